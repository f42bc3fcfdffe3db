"""The Jupyter server extension: mounts the dataops REST API under ``{base_url}dataops/api/``."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_server.extension.application import ExtensionApp
from traitlets import Unicode

from dataops.config import config_paths
from jupyterlab_dataops.context import DataOpsContext
from jupyterlab_dataops.handlers.base import NotFoundHandler
from jupyterlab_dataops.routes import api_routes
from jupyterlab_dataops.settings import DataSettings, PromotionSettings, WorkflowSettings

API_PREFIX = "dataops/api/"


class DataOpsApp(ExtensionApp):
    """JupyterLab DataOps server extension."""

    name = "jupyterlab_dataops"
    classes = [DataSettings, WorkflowSettings, PromotionSettings]

    config_file_path = Unicode(
        "",
        config=True,
        help="dataops TOML configuration file; default: the standard locations (see dataops.config).",
    )

    def initialize_settings(self) -> None:
        """Load the dataops configuration once and share it with the handlers."""
        if self.config_file_path:
            os.environ["DATAOPS_CONFIG"] = str(Path(self.config_file_path).resolve())
        self.log.info("dataops configuration files: %s", [str(p) for p in config_paths()])
        self.settings["dataops"] = DataOpsContext(
            data=DataSettings(parent=self),
            workflows=WorkflowSettings(parent=self),
            promotion=PromotionSettings(parent=self),
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
