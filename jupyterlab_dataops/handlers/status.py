"""``GET /dataops/api/status``: version and which backends are configured."""

from __future__ import annotations

from tornado import web

from jupyterlab_dataops._version import __version__
from jupyterlab_dataops.handlers.base import DataOpsHandler
from jupyterlab_dataops.status import capability_status, readers_status, rights_status


class StatusHandler(DataOpsHandler):
    """Version, who decides rights (``rights``), whether the compiled SDMX scanner is in use (``readers``),
    plus one status entry per capability (what the panels show as their status line)."""

    @web.authenticated
    def get(self) -> None:
        """Report version and capabilities."""
        self.write_json(
            {
                "version": __version__,
                "capabilities": capability_status(self.dataops),
                "rights": rights_status(),
                "readers": readers_status(),
            }
        )


ROUTES = [(r"status", StatusHandler)]
