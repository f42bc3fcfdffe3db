# Where the Jupyter server is and how to sign in to it, and the one place HTTP answers become R
# values or R errors.

#' The Jupyter server this R session talks to
#'
#' In order: `DATAOPS_URL` (with `DATAOPS_TOKEN`); under JupyterHub, the single-user server's own
#' URL (`JUPYTERHUB_SERVICE_URL`) with `JUPYTERHUB_API_TOKEN`; else the server's runtime file
#' (`jpserver-<pid>.json` in Jupyter's runtime folder): the one of the server that started this
#' kernel, else the newest of a running server.
#'
#' @return A list with `url` (ending in `/`, the server's base URL included) and `token`.
#' @export
dataops_server <- function() {
  url <- Sys.getenv("DATAOPS_URL")
  if (nzchar(url)) {
    return(list(url = with_slash(url), token = Sys.getenv("DATAOPS_TOKEN")))
  }
  hub_token <- Sys.getenv("JUPYTERHUB_API_TOKEN")
  hub_url <- Sys.getenv("JUPYTERHUB_SERVICE_URL")
  if (nzchar(hub_token) && nzchar(hub_url)) {
    return(list(url = with_slash(hub_url), token = hub_token))
  }
  info <- runtime_server()
  if (is.null(info)) {
    stop(dataops_condition(paste0(
      "No running Jupyter server was found (no jpserver-*.json of a running server in ", runtime_dir(), "); ",
      "set DATAOPS_URL and DATAOPS_TOKEN to the server's URL and token."
    ), "unreachable"))
  }
  # Under JupyterHub the runtime file has no token: the hub's token signs in instead.
  token <- if (nzchar(hub_token)) hub_token else as.character(info$token %||% "")
  list(url = with_slash(info$url), token = token)
}

`%||%` <- function(a, b) if (is.null(a)) b else a

with_slash <- function(url) if (endsWith(url, "/")) url else paste0(url, "/")

runtime_dir <- function() {
  dir <- Sys.getenv("JUPYTER_RUNTIME_DIR")
  if (nzchar(dir)) return(dir)
  data <- Sys.getenv("JUPYTER_DATA_DIR")
  if (!nzchar(data)) {
    xdg <- Sys.getenv("XDG_DATA_HOME", file.path(path.expand("~"), ".local", "share"))
    data <- file.path(xdg, "jupyter")
  }
  file.path(data, "runtime")
}

parent_pid <- function() {
  stat <- tryCatch(readLines("/proc/self/stat", warn = FALSE), error = function(e) "")
  # The command name (field 2) may hold spaces; the parent's pid is the second field after it.
  rest <- strsplit(sub("^.*\\) ", "", stat[1]), " ")[[1]]
  if (length(rest) >= 2) rest[2] else ""
}

runtime_server <- function() {
  files <- list.files(runtime_dir(), pattern = "^jpserver-[0-9]+\\.json$", full.names = TRUE)
  if (length(files) == 0) return(NULL)
  own <- file.path(runtime_dir(), paste0("jpserver-", parent_pid(), ".json"))
  if (own %in% files) return(jsonlite::fromJSON(own))
  files <- files[order(file.mtime(files), decreasing = TRUE)]
  for (path in files) {
    info <- tryCatch(jsonlite::fromJSON(path), error = function(e) NULL)
    alive <- is.numeric(info$pid) && info$pid > 0 && isTRUE(tools::pskill(info$pid, 0))
    if (alive) return(info)
  }
  NULL
}

# An R error of class `dataops_error` carrying the server's sentence and its error code.
dataops_condition <- function(message, code = NULL) {
  structure(
    class = c("dataops_error", "error", "condition"),
    list(message = message, call = NULL, code = code)
  )
}

segment <- function(text) utils::URLencode(as.character(text), reserved = TRUE)

# One request to the server; the answer's body as text, or the server's sentence as an R error.
dataops_request <- function(method, path, query = NULL, accept = "application/json",
                            body = NULL, content_type = NULL) {
  server <- dataops_server()
  headers <- c(Accept = accept)
  if (nzchar(server$token)) headers <- c(headers, Authorization = paste("token", server$token))
  if (!is.null(content_type)) headers <- c(headers, `Content-Type` = content_type)
  query <- Filter(Negate(is.null), query)
  url <- paste0(server$url, path)
  response <- tryCatch(
    httr::VERB(method, url, query = if (length(query)) query else NULL,
               httr::add_headers(.headers = headers), body = body),
    error = function(e) {
      stop(dataops_condition(paste0(
        "The Jupyter server at ", server$url, " cannot be reached: ", conditionMessage(e)
      ), "unreachable"))
    }
  )
  text <- httr::content(response, as = "text", encoding = "UTF-8")
  status <- httr::status_code(response)
  if (status >= 400) {
    answer <- tryCatch(jsonlite::fromJSON(text), error = function(e) NULL)
    if (is.list(answer) && is.character(answer$message)) {
      stop(dataops_condition(answer$message, answer$error))
    }
    stop(dataops_condition(paste0(
      "The Jupyter server answered ", status, " to ", method, " ", path,
      if (status == 404) " (is the dataops server extension installed?)" else "", "."
    ), "http_error"))
  }
  text
}
