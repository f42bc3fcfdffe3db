# The R side of dataops R steps (see dataops/workflows/r_steps.py). Run by the worker as
#
#   Rscript runner.R list <steps file.R> <steps folder> <result.json>
#   Rscript runner.R run  <steps file.R> <steps folder> <topic> <input.json> <result.json>
#
# <steps file.R> is the worker's copy of the file as it was when its topics were listed; R works in
# <steps folder>, so that the file's source("helpers.R") finds its neighbours.
# "list" sources the file and writes the topics it registers; "run" sources it, calls the function
# registered for <topic> with the task's variables and its process configuration, and writes its
# outputs. The result goes to <result.json>, never to stdout, so what the step prints cannot spoil it.
# Log lines go to stdout as they happen: message(), warning() and dataops_log() lines start with
# "\036LEVEL\037" so the worker keeps their level; anything else printed is a plain INFO line.

mark <- function(level, source) paste0("\036", level, "\037", source, "\037")

emit <- function(level, source, text) {
  lines <- strsplit(paste(text, collapse = "\n"), "\n", fixed = TRUE)[[1]]
  if (length(lines) == 0) lines <- ""
  # one write per record: a line is never split by another one
  cat(paste0(mark(level, source), lines, "\n", collapse = ""))
}

if (!requireNamespace("jsonlite", quietly = TRUE)) {
  cat("dataops: R steps need the R package jsonlite: install it with",
      "`apt-get install r-cran-jsonlite` (or install.packages(\"jsonlite\")).\n", file = stderr())
  quit(save = "no", status = 3)
}

args <- commandArgs(trailingOnly = TRUE)
mode <- args[[1]]
steps_file <- normalizePath(args[[2]])
setwd(args[[3]])
result_file <- args[[length(args)]]

write_result <- function(value) {
  text <- jsonlite::toJSON(value, auto_unbox = TRUE, null = "null", na = "null", digits = NA,
                           force = TRUE)
  partial <- paste0(result_file, ".partial")
  writeLines(text, partial, useBytes = TRUE)
  invisible(file.rename(partial, result_file))
}

registered <- new.env()

# What a steps file may call -----------------------------------------------------------------

dataops_step <- function(topic, fn) {
  if (!is.character(topic) || length(topic) != 1 || !nzchar(topic)) {
    stop("dataops_step() takes a topic (one non-empty string) and a function")
  }
  if (!is.function(fn)) stop("dataops_step(\"", topic, "\", ...) needs a function as its second argument")
  if (exists(topic, envir = registered, inherits = FALSE)) {
    stop("the topic '", topic, "' is registered twice in ", basename(steps_file))
  }
  assign(topic, fn, envir = registered)
  invisible(fn)
}

dataops_log <- function(level, ...) {
  level <- toupper(level)
  if (level == "WARN") level <- "WARNING"
  if (!level %in% c("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")) {
    stop("dataops_log() takes a level among DEBUG, INFO, WARNING, ERROR, CRITICAL, not '", level, "'")
  }
  emit(level, "logging", paste0(...))
  invisible(NULL)
}

dataops_bpmn_error <- function(code, message = "", variables = list()) {
  stop(structure(
    class = c("dataops_bpmn_error", "error", "condition"),
    list(message = if (nzchar(message)) message else code, call = sys.call(-1),
         code = code, text = message, variables = variables)
  ))
}

# Sourcing and calling, with the calls that led to an error -----------------------------------

where <- function(call) {
  ref <- attr(call, "srcref")
  if (is.null(ref)) return("")
  file <- attr(ref, "srcfile")$filename
  paste0(" at ", basename(if (is.null(file)) "?" else file), "#", ref[[1]])
}

calls_text <- function(calls, first, topic, fn) {
  ref <- attr(fn, "srcref")
  defined <- if (is.null(ref)) "" else paste0(" defined", where(structure(list(), srcref = ref)))
  n <- length(calls)
  # the last frames are the error machinery (the handler, .handleSimpleError), not the step's
  machinery <- function(call) {
    head <- call[[1]]
    is.function(head) || deparse(head, nlines = 1L)[[1]] %in% c("h", ".handleSimpleError")
  }
  while (n > first && machinery(calls[[n]])) n <- n - 1
  if (n < first) return(character())
  vapply(first:n, function(i) {
    text <- if (i == first) paste0("dataops_step(\"", topic, "\") function", defined)
            else paste(deparse(calls[[i]], width.cutoff = 200L, nlines = 1L), collapse = "")
    if (nchar(text) > 200) text <- paste0(substr(text, 1, 197), "...")
    paste0(i - first + 1, ": ", text, where(calls[[i]]))
  }, character(1))
}

load_steps <- function() {
  # keep.source: the traceback of an error names file#line
  source(steps_file, local = new.env(parent = globalenv()), keep.source = TRUE)
}

muffled <- function(expr) {
  withCallingHandlers(expr,
    message = function(m) {
      emit("INFO", "message", sub("\n$", "", conditionMessage(m)))
      invokeRestart("muffleMessage")
    },
    warning = function(w) {
      call <- conditionCall(w)
      # an anonymous function (the step itself) has no name worth showing
      named <- !is.null(call) && is.symbol(call[[1]])
      suffix <- if (named) paste0(" (in ", deparse(call, nlines = 1L)[[1]], ")") else ""
      emit("WARNING", "warnings", paste0(conditionMessage(w), suffix))
      invokeRestart("muffleWarning")
    })
}

error_result <- function(e, trace) {
  call <- conditionCall(e)
  list(error = list(
    message = conditionMessage(e),
    call = if (is.null(call)) "" else paste(deparse(call, nlines = 1L), collapse = ""),
    traceback = I(trace)  # an array even when there is one call
  ))
}

if (mode == "list") {
  outcome <- tryCatch({
    muffled(load_steps())
    list(topics = I(sort(ls(registered))))
  }, error = function(e) list(error = conditionMessage(e)))
  write_result(outcome)
  quit(save = "no", status = 0)
}

topic <- args[[4]]
input <- jsonlite::fromJSON(args[[5]], simplifyVector = TRUE, simplifyDataFrame = FALSE)
trace <- character()

outcome <- tryCatch(withCallingHandlers({
  muffled(load_steps())
  if (!exists(topic, envir = registered, inherits = FALSE)) {
    stop(basename(steps_file), " no longer registers the topic '", topic, "'")
  }
  fn <- get(topic, envir = registered)
  given <- list(vars = if (length(input$variables)) input$variables else structure(list(), names = character()),
                config = if (length(input$config)) input$config else structure(list(), names = character()),
                task = input$task)
  wanted <- names(formals(fn))
  call_args <- if ("..." %in% wanted) given else given[intersect(wanted, names(given))]
  out <- muffled(do.call(fn, call_args))
  if (is.null(out)) out <- structure(list(), names = character())
  if (!is.list(out) || is.data.frame(out) || (length(out) && (is.null(names(out)) || any(!nzchar(names(out)))))) {
    stop("the step for topic '", topic, "' returned ", class(out)[[1]],
         "; an R step returns a named list of output variables, or NULL")
  }
  list(outputs = out)
}, error = function(e) {
  calls <- sys.calls()
  # the step's frames start below do.call(fn, ...) and muffled()'s withCallingHandlers
  first <- which(vapply(calls, function(cl) identical(cl, quote(do.call(fn, call_args))), logical(1)))
  # (none when the file itself failed to load: R's message says where)
  if (length(first)) trace <<- calls_text(calls, first[[1]] + 1L, topic, fn)
}), dataops_bpmn_error = function(e) {
  list(bpmn_error = list(code = e$code, message = e$text, variables = e$variables))
}, error = function(e) error_result(e, trace))

write_result(outcome)
quit(save = "no", status = 0)
