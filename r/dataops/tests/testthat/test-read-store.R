test_that("the store is read at its latest vintage", {
  expect_equal(values_of(dataops_read("STORE", "NA")), c("DE 2023" = 1.5, "DE 2024" = 2, "FR 2023" = 5))
})

test_that("as_of reads a named vintage, and a date-time, as they were", {
  first <- c("DE 2023" = 1, "FR 2023" = 5)
  expect_equal(values_of(dataops_read("STORE", "NA", as_of = "first")), first)
  expect_equal(values_of(dataops_read("STORE", "NA", as_of = Sys.getenv("BETWEEN"))), first)
  expect_equal(values_of(dataops_read("STORE", "NA", key = "A.DE.GDP", as_of = "first")), c("DE 2023" = 1))
})

test_that("a vintage that does not exist is an R error naming the vintages there are", {
  expect_error(dataops_read("STORE", "NA", as_of = "never"), "no vintage named 'never' \\(named vintages: 'first'\\)")
})
