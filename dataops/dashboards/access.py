"""Who sees an environment's dashboards: who may see its pipelines (the deploy job publishes them).

The server's route and the hub service's both answer through `visible_dashboards`, so the rule is
written once, next to the pipelines' (`dataops.pipelines.environment.visible_target`).
"""

from __future__ import annotations

from typing import Any

from dataops.dashboards.publish import published_dashboards
from dataops.errors import Forbidden
from dataops.promotion.access import Identity, may_see_pipelines
from dataops.settings import Settings


def visible_dashboards(settings: Settings, env_id: str, who: Identity) -> dict[str, Any]:
    """``{"environment", "dashboards": [Published JSON]}`` of ``env_id`` for ``who``: `NotFound` for an
    environment not configured, `Forbidden` with the sentence when ``who`` may not see its pipelines."""
    decision = may_see_pipelines(settings.promotion.environment(env_id), who)
    if not decision.allowed:
        raise Forbidden(decision.reason)
    return {
        "environment": env_id,
        "dashboards": [p.as_json() for p in published_dashboards(settings.config, env_id)],
    }
