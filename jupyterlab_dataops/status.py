"""One status line per capability, as shown at the top of each panel.

A policy key that a user's file set and that was left out (`dataops.policy`) is named in the
status line of the capability it belongs to, with the file, so nobody wonders why their edit
did nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from dataops.config import Ignored
from dataops.errors import DataOpsError
from dataops.redaction import public_url
from dataops.sdmx.readers.info import readers_info
from dataops.sdmx.sources import configured_sources
from dataops.service.client import SERVICE_URL_ENV, hub_mode
from dataops.settings import Settings
from jupyterlab_dataops.context import DataOpsContext

# The capability whose status line names an ignored key, by the key's top-level table.
CAPABILITY_OF = {"sources": "data", "data": "data", "workflows": "workflows", "promotion": "promotion"}


def capability_status(ctx: DataOpsContext) -> dict[str, dict[str, Any]]:
    """``{capability: {"configured", "summary"[, "ignored"]}}`` for data, workflows, promotion.

    ``ignored`` (present only when not empty) lists ``{"file", "key"}`` of the user's policy keys
    left out; the summary names them too.
    """
    # One resolution for the three lines: the panels ask often, and each resolution stats every file.
    try:
        settings: Settings | DataOpsError = ctx.settings.current()
    except DataOpsError as exc:
        settings = exc
    return {
        name: _guarded(name, fn, settings)
        for name, fn in (
            ("data", _data_status),
            ("workflows", _workflows_status),
            ("promotion", _promotion_status),
        )
    }


def _guarded(
    name: str, fn: Callable[[Settings], dict[str, Any]], settings: Settings | DataOpsError
) -> dict[str, Any]:
    if isinstance(settings, DataOpsError):
        return _config_error(settings)
    try:
        status = fn(settings)
    except DataOpsError as exc:
        return _config_error(exc)
    ignored = [i for i in settings.ignored if CAPABILITY_OF.get(i.key.split(".")[0]) == name]
    if ignored:
        status["summary"] += f" — {ignored_sentence(ignored)}"
        status["ignored"] = [{"file": str(i.file), "key": i.key} for i in ignored]
    return status


def _config_error(exc: DataOpsError) -> dict[str, Any]:
    return {"configured": False, "summary": f"Configuration error: {exc.message}"}


def ignored_sentence(ignored: list[Ignored]) -> str:
    """``"ignored in FILE: KEY, KEY (only the administrator's configuration sets them)"``, per file."""
    by_file: dict[str, list[str]] = {}
    for i in ignored:
        by_file.setdefault(str(i.file), []).append(i.key)
    parts = [f"ignored in {file}: {', '.join(keys)}" for file, keys in by_file.items()]
    return "; ".join(parts) + " (only the administrator's configuration sets these)"


def rights_status() -> dict[str, str]:
    """Who decides rights here: ``{"mode", "summary"}``, so nobody mistakes a laptop for the hub setup.

    ``hub`` when the server runs under JupyterHub with the DataOps service (``DATAOPS_SERVICE_URL``),
    ``single-user`` otherwise.
    """
    if hub_mode():
        url = public_url(os.environ[SERVICE_URL_ENV])
        return {"mode": "hub", "summary": f"rights are decided by the DataOps service at {url}"}
    return {"mode": "single-user", "summary": "single-user mode: rights are not enforced"}


def readers_status() -> dict[str, Any]:
    """Whether the compiled SDMX scanner is in use here: ``{"compiled", "version", "summary"}``.

    The Data panel shows the summary under its status line: the scanner's version, or how to install it.
    """
    info = readers_info()
    return {"compiled": info.compiled, "version": info.version, "summary": info.summary}


def _data_status(settings: Settings) -> dict[str, Any]:
    n = len(configured_sources(settings.config))
    noun = "data source" if n == 1 else "data sources"
    return {"configured": n > 0, "summary": f"{n} {noun} configured"}


def _workflows_status(settings: Settings) -> dict[str, Any]:
    cfg = settings.workflows
    if hub_mode():
        return {"configured": True, "summary": "Workflows through the DataOps service (rights enforced)"}
    if not cfg.configured:
        return {"configured": False, "summary": "No workflow engine configured — see Settings"}
    return {"configured": True, "summary": f"Workflow engine at {cfg.engine_url}"}


def _promotion_status(settings: Settings) -> dict[str, Any]:
    # Under JupyterHub the environments are the service's policy, not this server's configuration.
    if hub_mode():
        return {"configured": True, "summary": "Promotion through the DataOps service (rights enforced)"}
    envs = settings.promotion.environments
    if not envs:
        return {"configured": False, "summary": "No deployment environments configured — see Settings"}
    names = ", ".join(e.id for e in envs)
    noun = "environment" if len(envs) == 1 else "environments"
    return {"configured": True, "summary": f"{len(envs)} {noun}: {names}"}
