"""The Galata dashboards test's Shiny Server: publish a Shiny app to the site folder that
``dataops-test-config.toml`` names for dev, then run the real shiny-server on it (until killed).

Usage: python dashboards.py   (prints "ready" once the app answers)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from dataops.dashboards.models import DashboardApp
from dataops.dashboards.shiny_server import server_config
from dataops.dashboards.targets import ShinyServerTarget

ROOT = Path("/tmp/dataops-ui-tests/dashboards")  # noqa: S108 (the place dataops-test-config.toml names)
SITE = ROOT / "shiny"
PORT = 18796
REPO = Path(__file__).resolve().parents[2]
APP = """library(shiny)
ui <- function(req) {
  fluidPage(titlePanel("EUR/USD in the UI test"), p(id = "latest", paste("Latest", "1.0542")))
}
server <- function(input, output) {}
shinyApp(ui, server)
"""


def main() -> int:
    # The spec stops this script with SIGTERM: leave through `finally`, stopping the server with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    shutil.rmtree(ROOT, ignore_errors=True)
    (ROOT / "source" / "rates").mkdir(parents=True)
    for folder in (ROOT, SITE.parent):
        folder.chmod(0o755)
    ROOT.parent.chmod(0o755)
    (ROOT / "source" / "rates" / "app.R").write_text(APP)
    target = ShinyServerTarget(SITE, f"http://127.0.0.1:{PORT}/")
    target.publish(DashboardApp("rates", "shiny", ROOT / "source" / "rates"), commit="5eed" * 10)
    SITE.chmod(0o755)
    state = ROOT / "state"
    state.mkdir(mode=0o755)
    config = state / "shiny-server.conf"
    config.write_text(server_config(SITE, port=PORT, state_dir=state))
    exe = os.environ.get("DATAOPS_SHINY_SERVER") or str(REPO / ".venv/tools/shiny-server/bin/shiny-server")
    server = subprocess.Popen([exe, str(config)], stdout=sys.stderr, stderr=sys.stderr)
    try:
        for _ in range(240):
            try:
                if httpx.get(f"http://127.0.0.1:{PORT}/rates/", timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        print("ready", flush=True)
        return server.wait()
    finally:
        server.terminate()


if __name__ == "__main__":
    sys.exit(main())
