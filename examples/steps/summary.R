# Sample R step of processes/sdmx_r_summary.bpmn, served by `dataops worker --steps examples/steps`
# beside the Python steps (see docs/workflows.md, "R steps"). It writes its lines slowly enough
# for the Workflows panel to show them live, and fails with an R error for a dataflow it does not
# know (start the process with flow XYZ to see the incident and its R traceback).

known_flows <- c("EXR", "YC", "ICP")

check_flow <- function(flow) {
  if (is.null(flow)) flow <- "EXR"
  if (!flow %in% known_flows) {
    stop("unknown dataflow '", flow, "': this step summarises ", paste(known_flows, collapse = ", "))
  }
  flow
}

# Twelve monthly observations of a made-up series, the same for the same dataflow.
observations <- function(flow) {
  set.seed(sum(utf8ToInt(flow)))
  round(100 + cumsum(rnorm(12)), 2)
}

dataops_step("r_summarise", function(vars, config) {
  flow <- check_flow(vars$flow)
  message("summarising ", flow, " in R ", R.version$major, ".", R.version$minor)
  values <- observations(flow)
  for (i in seq_along(values)) {
    cat(sprintf("observation %2d of %d: %.2f\n", i, length(values), values[[i]]))
    Sys.sleep(0.25)
  }
  if (any(diff(values) < -1.5)) warning("a fall of more than 1.5 in one month")
  dataops_log("info", "mean ", round(mean(values), 2), ", range ", paste(range(values), collapse = " to "))
  list(
    observations = length(values),
    mean = round(mean(values), 2),
    summary = as.list(summary(values))
  )
})
