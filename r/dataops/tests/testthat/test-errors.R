test_that("a bad key is an R error carrying the server's sentence", {
  err <- tryCatch(dataops_read("STORE", "NA", key = "A.DE"), error = function(e) e)
  expect_s3_class(err, "dataops_error")
  expect_equal(conditionMessage(err), Sys.getenv("SERVER_SENTENCE"))
})

test_that("an unknown source is an R error with the server's sentence", {
  expect_error(dataops_read("NOWHERE", "NA"), "NOWHERE")
})
