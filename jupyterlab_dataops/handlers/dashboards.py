"""REST API of the Deploy panel's dashboards, under ``dataops/api/dashboards/`` (docs/dashboards.md).

``GET dashboards/{env}``: what the environment's dashboard targets serve now, for users who may see
the environment's pipelines (`dataops.dashboards.access`).
"""

from __future__ import annotations

import asyncio

from tornado import web

from dataops.dashboards.access import visible_dashboards
from jupyterlab_dataops.handlers.forward import ServiceForwarding


class EnvironmentDashboardsHandler(ServiceForwarding):
    """``GET dashboards/{env}``: the environment's published dashboards (forwarded to the hub service
    under JupyterHub)."""

    @web.authenticated
    async def get(self, env: str) -> None:
        """Each dashboard's name, kind, target, URL, commit and publication time."""
        settings = self.dataops.promotion.settings()
        # The targets read their site folders (or a remote server): off the event loop.
        self.write_json(await asyncio.to_thread(visible_dashboards, settings, env, self.identity()))


ROUTES = [(r"dashboards/(?P<env>[A-Za-z0-9_.-]+)", EnvironmentDashboardsHandler)]
