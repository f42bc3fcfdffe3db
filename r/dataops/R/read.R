# dataops_read(): the server's standard SDMX REST endpoint, SDMX-CSV 2.0 into a data frame.

CSV_20 <- "application/vnd.sdmx.data+csv;version=2.0.0"
# SDMX-CSV's own columns, not the data's.
MESSAGE_COLUMNS <- c("STRUCTURE", "STRUCTURE_ID", "ACTION", "DATAFLOW")

#' Read data from a source the Jupyter server knows
#'
#' @param source The source's id, as in the Data panel (`ECB`, a files source, a store source).
#' @param flow The dataflow: `EXR`, `ECB,EXR` or `ECB,EXR,1.0`.
#' @param key The series key (`M.USD+GBP.EUR.SP00.A`); empty reads every series.
#' @param start,end The first and last periods wanted (`2020`, `2020-01`, `2020-Q1`).
#' @param as_of For a store source: the vintage to read, by name (tag), snapshot id, or a date
#'   or ISO 8601 time (the last vintage committed then); `NULL` reads the latest.
#' @return A data frame as `dataops.read` returns it in Python: the dimensions, `TIME_PERIOD`,
#'   `OBS_VALUE` (numeric) and the attributes, as text.
#' @export
dataops_read <- function(source, flow, key = "", start = NULL, end = NULL, as_of = NULL) {
  if (is.null(as_of)) {
    path <- paste0("dataops/sdmx/", segment(source), "/data/", segment(flow))
    if (nzchar(key)) path <- paste0(path, "/", segment(key))
    query <- list(startPeriod = start, endPeriod = end)
  } else {
    picked <- vintage_time(source, flow, as_of)
    ref <- picked$flow
    path <- paste0(
      "dataops/sdmx/", segment(source), "/data/dataflow/", segment(ref[["agency"]]), "/",
      segment(ref[["id"]]), "/", segment(ref[["version"]]), "/", if (nzchar(key)) segment(key) else "*"
    )
    bounds <- c(if (!is.null(start)) paste0("ge:", start), if (!is.null(end)) paste0("le:", end))
    query <- list(asOf = picked$time)
    if (length(bounds)) query[["c[TIME_PERIOD]"]] <- paste(bounds, collapse = "+")
  }
  csv_frame(dataops_request("GET", path, query = query, accept = CSV_20))
}

# The vintage `as_of` names, as the point in time REST 2.x asOf takes, and the flow's full
# reference (agency, id, version) the 2.x path needs: both from the server's vintages list.
vintage_time <- function(source, flow, as_of) {
  path <- paste0("dataops/api/sdmx/sources/", segment(source), "/dataflows/", segment(flow), "/vintages")
  answer <- jsonlite::fromJSON(dataops_request("GET", path), simplifyVector = FALSE)
  parts <- regmatches(answer$flow, regexec("^([^:]+):([^(]+)\\(([^)]+)\\)$", answer$flow))[[1]]
  ref <- c(agency = parts[2], id = parts[3], version = parts[4])
  text <- trimws(as.character(as_of))
  for (v in answer$vintages) {
    if (text %in% unlist(v$tags) || identical(text, v$snapshot_id)) {
      return(list(flow = ref, time = v$committed_at))
    }
  }
  if (!grepl("^[0-9]{4}-[0-9]{2}-[0-9]{2}", text)) {
    named <- unlist(lapply(answer$vintages, function(v) unlist(v$tags)))
    listed <- if (length(named)) paste0("'", named, "'", collapse = ", ") else "none"
    stop(dataops_condition(paste0(
      source, ":", flow, " has no vintage named '", text, "' (named vintages: ", listed,
      "); as_of also takes a date or an ISO 8601 time."
    ), "unknown_vintage"))
  }
  list(flow = ref, time = text)
}

csv_frame <- function(text) {
  frame <- utils::read.csv(
    text = text, colClasses = "character", check.names = FALSE, na.strings = "",
    stringsAsFactors = FALSE, encoding = "UTF-8"
  )
  frame <- frame[, setdiff(names(frame), MESSAGE_COLUMNS), drop = FALSE]
  if ("OBS_VALUE" %in% names(frame)) frame$OBS_VALUE <- as.numeric(frame$OBS_VALUE)
  rownames(frame) <- NULL
  frame
}
