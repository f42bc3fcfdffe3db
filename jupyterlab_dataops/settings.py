"""Traitlets configuration of the server extension: one group per capability.

The administrator sets them in ``jupyter_server_config.py`` (``c.WorkflowSettings.engine_url = ...``).
A trait the server's configuration sets overrides the TOML key it names in `OVERRIDES`; they reach
`dataops.settings` as a plain mapping (`overrides`), where one rule applies them.
"""

from __future__ import annotations

from typing import Any

from traitlets import Int, Type, Unicode
from traitlets.config import Configurable

from dataops.workflows.logs import LogStore, RunLogStore


class DataSettings(Configurable):
    """Data capability (SDMX sources, previews)."""

    preview_max_series = Int(50, config=True, help="Series shown at most in a panel preview.")
    max_response_mb = Int(
        512,
        config=True,
        help="Refuse SDMX responses larger than this many MiB; overrides [data] max_response_mb.",
    )


class WorkflowSettings(Configurable):
    """Workflow capability (engine, logs)."""

    engine_url = Unicode(
        "",
        config=True,
        help="Base URL of the Camunda 7-compatible REST API (…/engine-rest); overrides [workflows] engine_url.",
    )
    log_dir = Unicode(
        "",
        config=True,
        help="Folder of the durable run log store; overrides [workflows] log_dir (default: the dataops data dir).",
    )
    log_store = Unicode(
        "",
        config=True,
        help="PostgreSQL connection string of a shared run log store (no password in it: use a libpq "
        "passfile or service file); overrides [workflows] log_store. Empty: SQLite in log_dir.",
    )
    log_store_class = Type(
        default_value=LogStore,
        klass=RunLogStore,
        config=True,
        help="Class of the durable run log store (a dataops.workflows.logs.RunLogStore, built with the "
        "log_store connection string when set, else the log folder), for a deployment that brings its own. "
        "The default picks SQLite or PostgreSQL from the configuration.",
    )


class PromotionSettings(Configurable):
    """Promotion capability (environments, GitLab, audit)."""

    audit_log = Unicode(
        "",
        config=True,
        help="File that receives one JSON line per promotion (audit trail); overrides [promotion] audit_log.",
    )
    gitlab_url = Unicode(
        "",
        config=True,
        help="Base URL of the GitLab instance (https://gitlab.example.org); overrides [promotion] gitlab_url.",
    )
    display_name = Unicode(
        "",
        config=True,
        help="Without JupyterHub, promotions are by the account the server runs as: the name the history, "
        "commits and sentences give it (default: the account's passwd full name, else its login name).",
    )


# Which trait overrides which TOML key.
OVERRIDES: dict[type[Configurable], dict[str, str]] = {
    DataSettings: {"max_response_mb": "data.max_response_mb"},
    WorkflowSettings: {
        "engine_url": "workflows.engine_url",
        "log_dir": "workflows.log_dir",
        "log_store": "workflows.log_store",
    },
    PromotionSettings: {"audit_log": "promotion.audit_log", "gitlab_url": "promotion.gitlab_url"},
}


def overrides(*groups: Configurable) -> dict[str, Any]:
    """``{"section.key": value}`` for every trait of ``groups`` that the server's configuration sets."""
    out: dict[str, Any] = {}
    for group in groups:
        configured = group.config.get(type(group).__name__, {})
        for trait, key in OVERRIDES[type(group)].items():
            if trait in configured:
                out[key] = getattr(group, trait)
    return out


def run_log_store_class(settings: WorkflowSettings) -> type[RunLogStore]:
    """The configured log store class (the traitlet has already checked that it is a `RunLogStore`)."""
    chosen = settings.log_store_class
    if not (isinstance(chosen, type) and issubclass(chosen, RunLogStore)):
        raise TypeError(f"c.WorkflowSettings.log_store_class must be a RunLogStore class, not {chosen!r}")
    return chosen
