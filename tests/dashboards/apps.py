"""The dashboards the tests publish: a Shiny app and a Voilà notebook reading SDMX-CSV from a source."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat

DATASET = "ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-1.0.csv"

# The page is built by ui(req) for each visitor, so the data read from the source is in the HTML the
# server sends (no websocket needed to see it); renderText proves the R session runs too.
SHINY_APP = """library(shiny)
source_url <- "{source}{dataset}"
ui <- function(req) {{
  exr <- read.csv(source_url)
  last <- exr[nrow(exr), ]
  fluidPage(
    titlePanel("{title}"),
    p(id = "latest", sprintf("Latest %s: %s", last$TIME_PERIOD, last$OBS_VALUE)),
    textOutput("count")
  )
}}
server <- function(input, output) {{
  output$count <- renderText(sprintf("%d observations", nrow(read.csv(source_url))))
}}
shinyApp(ui, server)
"""


def latest_observation(samples: Path) -> tuple[str, str]:
    """(period, value) of the dataset's last row, as the apps show it."""
    with (samples / DATASET).open(newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[-1]["TIME_PERIOD"], rows[-1]["OBS_VALUE"]


def shiny_app(folder: Path, source: str, title: str = "EUR/USD exchange rate") -> Path:
    """A Shiny app folder (``app.R``) reading the dataset from ``source`` (a base URL)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "app.R").write_text(SHINY_APP.format(source=source, dataset=DATASET, title=title))
    return folder


def voila_notebook(path: Path, source: str) -> Path:
    """A notebook printing the dataset's latest observation read from ``source`` with pandas."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# EUR/USD dashboard"),
        nbformat.v4.new_code_cell(
            "import pandas as pd\n"
            f"exr = pd.read_csv({source + DATASET!r}, dtype=str)\n"
            "last = exr.iloc[-1]\n"
            "print(f\"Latest {last['TIME_PERIOD']}: {last['OBS_VALUE']}\")"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
