# dataops_write(): a data frame to the store as SDMX-CSV 2.0, over the server's API.

#' Write observations to a store source as one new vintage
#'
#' @param source The store source's id.
#' @param flow The dataflow (`NA`, `TEST,NA` or `TEST,NA,1.0`).
#' @param data A data frame in the shape [dataops_read()] returns: the dimensions, `TIME_PERIOD`,
#'   `OBS_VALUE` and the attributes.
#' @param action `merge` (insert or update), `replace` (the series present, whole) or `delete`.
#' @param vintage A name (tag) for the new vintage.
#' @param message Why it was written.
#' @return A list: what the server says was written (`vintage`, `snapshot_id`, `rows`, `series`, ...).
#'   Nothing is written when the data break a rule of the dataflow's structure: the server's
#'   sentence comes back as an R error.
#' @export
dataops_write <- function(source, flow, data, action = "merge", vintage = NULL, message = NULL) {
  if (!is.data.frame(data)) {
    stop(dataops_condition("dataops_write takes a data frame in the shape dataops_read returns.", "invalid_input"))
  }
  body <- csv_body(data)
  path <- paste0("dataops/api/sdmx/sources/", segment(source), "/dataflows/", segment(flow), "/vintages")
  answer <- dataops_request(
    "POST", path, query = list(action = action, vintage = vintage, message = message),
    body = body, content_type = CSV_20
  )
  jsonlite::fromJSON(answer)
}

# The data frame as SDMX-CSV 2.0 whose rows carry no action: the `action` parameter decides.
csv_body <- function(data) {
  data <- data[, setdiff(names(data), MESSAGE_COLUMNS), drop = FALSE]
  out <- cbind(
    data.frame(STRUCTURE = rep("dataflow", nrow(data)), STRUCTURE_ID = rep("", nrow(data)),
               ACTION = rep("", nrow(data)), stringsAsFactors = FALSE),
    data
  )
  connection <- textConnection("text", "w", local = TRUE)
  utils::write.csv(out, connection, row.names = FALSE, na = "", fileEncoding = "UTF-8")
  close(connection)
  charToRaw(enc2utf8(paste0(paste(text, collapse = "\n"), "\n")))
}
