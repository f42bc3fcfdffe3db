"""What the server's workflow handlers share: engine client, log store, live watches, throttled syncs.

Built by the composition root (the server's `DataOpsApp`) from the resolved settings, and built
again when the ``[workflows]`` settings change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dataops.errors import DataOpsError, NotConfigured
from dataops.settings import Settings
from dataops.workflows.config import WorkflowsConfig
from dataops.workflows.engine import AsyncEngine
from dataops.workflows.logs import LogStore, RunLogStore, open_log_store
from dataops.workflows.timeline import async_sync_run
from dataops.workflows.watch import Watches

LOG_SYNC_INTERVAL = 1.0  # a run's engine events are merged at most this often per REST reader


@dataclass
class WorkflowsService:
    """One engine client, one log store and the live watches of one ``[workflows]`` configuration."""

    config: WorkflowsConfig
    engine: AsyncEngine
    store: RunLogStore
    watches: Watches
    last_sync: dict[str, float] = field(default_factory=dict)

    async def sync_for_reader(self, run_id: str) -> tuple[Any, DataOpsError | None]:
        """Merge the run's engine events unless a watcher or a recent reader just did.

        Returns the run as last seen (or None) and the engine's error, if it did not answer.
        """
        rw = self.watches.runs.get(run_id)
        if rw is not None and (rw.run is not None or rw.error is not None):
            return rw.run, rw.error
        if time.monotonic() - self.last_sync.get(run_id, 0.0) < LOG_SYNC_INTERVAL:
            return None, None
        self.last_sync[run_id] = time.monotonic()
        try:
            return await async_sync_run(self.engine, self.store, run_id), None
        except DataOpsError as exc:  # the stored log is still worth showing while the engine is away
            return None, exc


def async_engine(cfg: WorkflowsConfig) -> AsyncEngine:
    """The async engine client for ``cfg``."""
    from dataops.workflows.camunda import AsyncCamundaEngine

    return AsyncCamundaEngine(cfg.engine_url, username=cfg.username, password=cfg.password)


class Workflows:
    """The workflow capability of a long-running server: the `WorkflowsService` of the current
    settings, built on first use and again when the ``[workflows]`` settings change.

    ``store_class`` lets a deployment bring its own log store (built with ``[workflows] log_store``
    when set, else the log folder); by default the configuration chooses SQLite or PostgreSQL.
    """

    def __init__(self, settings: Callable[[], Settings], store_class: type[RunLogStore] = LogStore) -> None:
        self._settings = settings
        self.store_class = store_class
        self._service: WorkflowsService | None = None

    def service(self) -> WorkflowsService:
        """The shared service; `NotConfigured` while no engine is configured."""
        cfg = self._settings().workflows
        if not cfg.configured:
            raise NotConfigured(
                "No workflow engine is configured: set engine_url in the [workflows] section of the "
                "dataops configuration or c.WorkflowSettings.engine_url."
            )
        svc = self._service
        if svc is None or svc.config != cfg:
            engine = async_engine(cfg)
            if self.store_class is LogStore:
                store = open_log_store(cfg.log_location)
            else:
                store = self.store_class(cfg.log_location)
            svc = self._service = WorkflowsService(cfg, engine, store, Watches(engine, store))
        return svc
