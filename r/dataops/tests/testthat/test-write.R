test_that("a data frame written from R becomes a named vintage", {
  frame <- dataops_read("STORE", "NA", key = "A.DE.GDP")
  frame$OBS_VALUE <- frame$OBS_VALUE * 10
  result <- dataops_write("STORE", "NA", frame, vintage = "from R", message = "scaled in R")
  expect_equal(result$vintage, "from R")
  expect_equal(result$rows, 2)
  expect_equal(values_of(dataops_read("STORE", "NA", as_of = "from R")), c("DE 2023" = 15, "DE 2024" = 20, "FR 2023" = 5))
})

test_that("data that break the structure are refused with the server's sentence, nothing written", {
  bad <- data.frame(FREQ = "A", REF_AREA = "XX", INDICATOR = "GDP", TIME_PERIOD = "2025", OBS_VALUE = 1, OBS_STATUS = "A")
  err <- tryCatch(dataops_write("STORE", "NA", bad, vintage = "broken"), dataops_error = function(e) e)
  expect_s3_class(err, "dataops_error")
  expect_match(conditionMessage(err), "XX")
  expect_error(dataops_read("STORE", "NA", as_of = "broken"), "no vintage named 'broken'")
})
