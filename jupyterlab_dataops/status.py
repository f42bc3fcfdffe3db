"""One status line per capability, as shown at the top of each panel."""

from __future__ import annotations

from typing import Any

from dataops.errors import DataOpsError
from dataops.promotion.config import PromotionConfig
from dataops.sdmx.sources import configured_sources
from dataops.workflows.config import WorkflowsConfig
from jupyterlab_dataops.context import DataOpsContext


def capability_status(ctx: DataOpsContext) -> dict[str, dict[str, Any]]:
    """``{capability: {"configured": bool, "summary": sentence}}`` for data, workflows, promotion."""
    return {
        "data": _guarded(_data_status, ctx),
        "workflows": _guarded(_workflows_status, ctx),
        "promotion": _guarded(_promotion_status, ctx),
    }


def _guarded(fn, ctx: DataOpsContext) -> dict[str, Any]:  # noqa: ANN001
    try:
        return fn(ctx)
    except DataOpsError as exc:
        return {"configured": False, "summary": f"Configuration error: {exc.message}"}


def _data_status(ctx: DataOpsContext) -> dict[str, Any]:
    n = len(configured_sources(ctx.config))
    noun = "data source" if n == 1 else "data sources"
    return {"configured": n > 0, "summary": f"{n} {noun} configured"}


def _workflows_status(ctx: DataOpsContext) -> dict[str, Any]:
    cfg = WorkflowsConfig.from_config(ctx.config)
    if ctx.workflows.engine_url:
        cfg = WorkflowsConfig(ctx.workflows.engine_url, cfg.username, cfg.password)
    if not cfg.configured:
        return {"configured": False, "summary": "No workflow engine configured — see Settings"}
    return {"configured": True, "summary": f"Workflow engine at {cfg.engine_url}"}


def _promotion_status(ctx: DataOpsContext) -> dict[str, Any]:
    envs = PromotionConfig.from_config(ctx.config).environments
    if not envs:
        return {"configured": False, "summary": "No deployment environments configured — see Settings"}
    names = ", ".join(e.id for e in envs)
    noun = "environment" if len(envs) == 1 else "environments"
    return {"configured": True, "summary": f"{len(envs)} {noun}: {names}"}
