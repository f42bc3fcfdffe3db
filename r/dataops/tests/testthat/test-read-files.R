test_that("a files source is read into a data frame as dataops.read shapes it", {
  frame <- dataops_read("FILES", "NA")
  expect_s3_class(frame, "data.frame")
  expect_equal(names(frame), c("FREQ", "REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"))
  expect_equal(values_of(frame), c("DE 2022" = 10, "DE 2023" = 11, "DE 2024" = 12, "FR 2024" = 20))
})

test_that("the key and the periods select series and observations", {
  frame <- dataops_read("FILES", "TEST,NA,1.0", key = "A.DE.GDP", start = "2023", end = "2023")
  expect_equal(values_of(frame), c("DE 2023" = 11))
})
