"""Traitlets configuration of the server extension: one group per capability.

Each group overrides the matching section of the dataops TOML configuration, so an admin
can set everything in ``jupyter_server_config.py`` (``c.WorkflowSettings.engine_url = ...``).
"""

from __future__ import annotations

from traitlets import Int, Type, Unicode
from traitlets.config import Configurable

from dataops.workflows.logs import LogStore


class DataSettings(Configurable):
    """Data capability (SDMX sources, previews)."""

    preview_max_series = Int(50, config=True, help="Series shown at most in a panel preview.")
    max_response_mb = Int(512, config=True, help="Refuse SDMX responses larger than this many MiB.")


class WorkflowSettings(Configurable):
    """Workflow capability (engine, logs)."""

    engine_url = Unicode(
        "",
        config=True,
        help="Base URL of the Camunda 7-compatible REST API (…/engine-rest); overrides [workflows] engine_url.",
    )
    log_dir = Unicode(
        "", config=True, help="Folder of the durable run log store; default: the dataops data dir."
    )
    log_store_class = Type(
        default_value=LogStore,
        klass=LogStore,
        config=True,
        help="Class of the durable run log store (dataops.workflows.logs.LogStore or a subclass, built with "
        "the log folder), for a deployment that brings its own.",
    )


class PromotionSettings(Configurable):
    """Promotion capability (environments, GitLab, audit)."""

    audit_log = Unicode("", config=True, help="File that receives one JSON line per promotion (audit trail).")
    gitlab_url = Unicode(
        "", config=True, help="Base URL of the GitLab instance (https://gitlab.example.org)."
    )
