"""The Jupyter server extension: mounts the dataops REST API under ``{base_url}dataops/api/``.

`DataOpsApp.initialize_settings` is the server's composition root: it resolves the configuration
(TOML files + the traitlets of `jupyterlab_dataops.settings`) through one `SettingsResolver` and
builds one service per capability for the handlers.
"""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_server.extension.application import ExtensionApp
from traitlets import Unicode

from dataops.config import config_files
from dataops.redaction import attach_filter
from dataops.settings import SettingsResolver
from dataops.workflows.service import Workflows
from jupyterlab_dataops.context import DataOpsContext, DataService, PromotionService
from jupyterlab_dataops.handlers.base import NotFoundHandler
from jupyterlab_dataops.routes import api_routes
from jupyterlab_dataops.settings import (
    DataSettings,
    PromotionSettings,
    WorkflowSettings,
    overrides,
    run_log_store_class,
)

API_PREFIX = "dataops/api/"


class DataOpsApp(ExtensionApp):
    """JupyterLab DataOps server extension."""

    name = "jupyterlab_dataops"
    classes = [DataSettings, WorkflowSettings, PromotionSettings]

    config_file_path = Unicode(
        "",
        config=True,
        help="The administrator's dataops TOML file for this server, read in place of "
        "/etc/dataops/config.toml (it becomes DATAOPS_SYSTEM_CONFIG for the kernels and workers "
        "this server starts); default: the standard locations (see dataops.config).",
    )

    def initialize_settings(self) -> None:
        """Resolve the configuration and build the capabilities' services, once."""
        if self.config_file_path:
            os.environ["DATAOPS_SYSTEM_CONFIG"] = str(Path(self.config_file_path).resolve())
        places = [f"{f.path} ({'administrator' if f.admin else 'user'})" for f in config_files()]
        self.log.info("dataops configuration files: %s", ", ".join(places))
        # the server's log and httpx's request lines may name a URL with credentials or a token
        server_log = self.serverapp.log if self.serverapp is not None else self.log
        attach_filter(self.log, server_log, "httpx", "httpcore")
        data = DataSettings(parent=self)
        workflows = WorkflowSettings(parent=self)
        promotion = PromotionSettings(parent=self)
        resolver = SettingsResolver(overrides(data, workflows, promotion), warn=self.log.warning)
        self.settings["dataops"] = DataOpsContext(
            settings=resolver,
            data=DataService(resolver.current, preview_max_series=data.preview_max_series),
            workflows=Workflows(resolver.current, store_class=run_log_store_class(workflows)),
            promotion=PromotionService(resolver.current, display_name=promotion.display_name),
        )

    def initialize_handlers(self) -> None:
        """Mount every capability's routes, then a JSON 404 for the rest of the prefix."""
        for pattern, handler in api_routes():
            self.handlers.append((API_PREFIX + pattern, handler))
        self.handlers.append((API_PREFIX + r"(.*)", NotFoundHandler))
        # The standard SDMX REST endpoint for third-party tools lives beside the API, not under it.
        from jupyterlab_dataops.handlers import sdmx_rest

        for pattern, handler in sdmx_rest.ROUTES:
            self.handlers.append((sdmx_rest.PREFIX + pattern, handler))
        self.handlers.append((sdmx_rest.PREFIX + r"(.*)", NotFoundHandler))
