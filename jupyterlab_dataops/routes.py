"""Every route of the REST API, relative to ``dataops/api/``: one list per capability."""

from __future__ import annotations

from jupyterlab_dataops.handlers import (
    dashboards,
    guide,
    metadata,
    pipelines,
    promotion,
    sdmx,
    status,
    store,
    workflow_ws,
    workflows,
)


def api_routes() -> list[tuple[str, type]]:
    """All (pattern, handler) pairs, in matching order."""
    return [
        *status.ROUTES,
        *workflows.ROUTES,
        *workflow_ws.ROUTES,
        *sdmx.ROUTES,
        *store.ROUTES,
        *pipelines.ROUTES,
        *promotion.ROUTES,
        *guide.ROUTES,
        *dashboards.ROUTES,
        *metadata.ROUTES,
    ]
