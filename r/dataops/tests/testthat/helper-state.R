# These tests read and write through a real Jupyter server with the dataops extension, started
# and filled by tests/r/test_r_package.py (which runs each file here with testthat): a files
# source FILES and a store source STORE, both with dataflow TEST:NA (FREQ.REF_AREA.INDICATOR).
# STORE holds two vintages: "first" (A.DE.GDP 2023 = 1, A.FR.GDP 2023 = 5), then the latest
# (A.DE.GDP 2023 revised to 1.5, 2024 = 2). FILES holds A.DE.GDP 2022-2024 = 10, 11, 12 and
# A.FR.GDP 2024 = 20.
library(dataops)

values_of <- function(frame) {
  frame <- frame[order(frame$REF_AREA, frame$TIME_PERIOD), ]
  stats::setNames(frame$OBS_VALUE, paste(frame$REF_AREA, frame$TIME_PERIOD))
}
