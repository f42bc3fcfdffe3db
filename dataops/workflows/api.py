"""The notebook API: list, publish and start processes, follow a run's log live.

```python
import dataops.workflows as wf
wf.definitions()                                   # DataFrame of latest process definitions
run = wf.start("sdmx_production", variables={"flow": "EXR"}, business_key="EXR-2026-10")
run.logs(follow=True)                              # prints lines as they arrive, until the run ends
run.wait(); run.status; run.incidents()
wf.publish("processes/sdmx_production.bpmn")      # new version of an edited definition
```

Under JupyterHub (``DATAOPS_SERVICE_URL`` set), ``publish``, ``start`` and ``run`` go through the DataOps
service with the user's own hub token and take ``env=`` (the workflow environment); the service
decides what the user may do there.
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from dataops.errors import InvalidInput, NotConfigured, NotFound
from dataops.service import workflows_calls as calls
from dataops.service.client import ServiceClient, hub_client, hub_mode
from dataops.service.workflows_calls import ServiceRun
from dataops.settings import resolve
from dataops.sync import run_sync
from dataops.workflows import models
from dataops.workflows.config import WorkflowsConfig
from dataops.workflows.engine import Engine
from dataops.workflows.logs import LogRecord, RunLogStore, current_user, open_log_store
from dataops.workflows.timeline import sync_run

POLL_S = 0.2  # how often a follower looks at the log store
ENGINE_POLL_S = 1.0  # how often it asks the engine for the run's status


def _config() -> WorkflowsConfig:
    cfg = resolve().workflows
    if not cfg.configured:
        raise NotConfigured(
            "No workflow engine is configured: set engine_url in the [workflows] section "
            "of the dataops configuration."
        )
    return cfg


def _service(env: str | None) -> tuple[ServiceClient, str]:
    """The DataOps service's client and the workflow environment ``env`` names (or its only one)."""
    client = hub_client()
    return client, run_sync(calls.environment(client, env))


def engine(config: WorkflowsConfig | None = None) -> Engine:
    """The configured engine client (blocking)."""
    from dataops.workflows.camunda import CamundaEngine

    cfg = config or _config()
    return CamundaEngine(cfg.engine_url, username=cfg.username, password=cfg.password)


def log_store(config: WorkflowsConfig | None = None) -> RunLogStore:
    """The configured run log store (PostgreSQL when ``[workflows] log_store`` is set, else SQLite)."""
    cfg = config or resolve().workflows
    return open_log_store(cfg.log_location)


def definitions(latest_only: bool = True, *, env: str | None = None) -> pd.DataFrame:
    """Published process definitions, one row each (latest version per key by default; under
    JupyterHub the latest versions on environment ``env``'s engine)."""
    columns = [f for f in models.ProcessDefinition.__dataclass_fields__]
    if hub_mode():
        client, env = _service(env)
        return pd.DataFrame(run_sync(calls.definitions(client, env)), columns=columns)
    rows = [asdict(d) for d in engine().definitions(latest_only=latest_only)]
    return pd.DataFrame(rows, columns=columns)


def publish(*paths: str | Path, name: str | None = None, env: str | None = None) -> Any:
    """Publish BPMN files; a changed file becomes a new version, an unchanged one keeps its version.

    Returns the `models.Deployment`; under JupyterHub the service's answer for environment ``env``.
    """
    if not paths:
        raise InvalidInput("Name at least one BPMN file to publish.")
    resources: dict[str, bytes] = {}
    for p in map(Path, paths):
        if not p.is_file():
            raise NotFound(f"The BPMN file {p} does not exist.")
        resources[p.name] = p.read_bytes()
    if hub_mode():
        client, env = _service(env)
        return run_sync(calls.publish(client, env, resources, name or Path(paths[0]).stem))
    return engine().publish(resources, name=name or Path(paths[0]).stem)


def start(
    key: str,
    variables: dict[str, Any] | None = None,
    *,
    business_key: str | None = None,
    env: str | None = None,
) -> Run | ServiceRun:
    """Start the latest version of process ``key``; returns the `Run` to follow (under JupyterHub a
    `ServiceRun` in environment ``env``, started through the service as the hub user)."""
    if hub_mode():
        client, env = _service(env)
        answer = run_sync(calls.start(client, env, key, variables or {}, business_key))
        return ServiceRun(client, env, answer["id"], answer)
    eng = engine()
    started = eng.start(key, variables or {}, business_key=business_key)
    log_store().note_start(started.id, current_user(), key)
    return Run(started.id, eng, log_store(), started)


def run(run_id: str, *, env: str | None = None) -> Run | ServiceRun:
    """A `Run` for an existing run id (to follow, wait for, retry or cancel it); under JupyterHub a
    `ServiceRun` of environment ``env``."""
    if hub_mode():
        client, env = _service(env)
        return ServiceRun(client, env, run_id, run_sync(calls.run(client, env, run_id)))
    eng = engine()
    return Run(run_id, eng, log_store(), eng.run(run_id))


def runs(
    definition_key: str | None = None,
    status: str | None = None,
    max_results: int = 50,
    *,
    env: str | None = None,
) -> pd.DataFrame:
    """Recent runs, newest first, one row each (under JupyterHub: environment ``env``'s, with who
    started each)."""
    columns = list(models.Run.__dataclass_fields__)
    if hub_mode():
        client, env = _service(env)
        query = {"definition_key": definition_key, "status": status, "max_results": max_results}
        answer = run_sync(calls.runs(client, env, query))
        return pd.DataFrame(answer["items"], columns=[*columns, "started_by"])
    state = models.RunStatus(status) if status else None
    page = engine().runs(definition_key=definition_key, status=state, max_results=max_results)
    return pd.DataFrame([asdict(r) for r in page.items], columns=columns)


def format_record(record: LogRecord) -> str:
    """One log line as printed: time, level, activity, message."""
    where = f" [{record.activity_id}]" if record.activity_id else ""
    return f"{record.timestamp[11:23]} {record.level:<7}{where} {record.message}"


class Run:
    """One run of a process, as seen from a notebook."""

    def __init__(
        self, run_id: str, engine: Engine, store: RunLogStore, info: models.Run | None = None
    ) -> None:
        self.id = run_id
        self.engine = engine
        self.store = store
        self._info = info

    def __repr__(self) -> str:
        info = self._info
        key = info.definition_key if info else "?"
        status = info.status.value if info else "?"
        return f"<Run {self.id} of {key}: {status}>"

    @property
    def info(self) -> models.Run:
        """The run as the engine reports it now."""
        self._info = self.engine.run(self.id)
        return self._info

    @property
    def status(self) -> models.RunStatus:
        """``running``, ``incident``, ``suspended``, ``completed`` or ``cancelled`` (asked now)."""
        return self.info.status

    def records(self, offset: int = 0) -> list[LogRecord]:
        """The run's log records after ``offset`` (engine events merged in)."""
        sync_run(self.engine, self.store, self.id)
        out: list[LogRecord] = []
        while batch := self.store.read(self.id, after=offset):
            out += batch
            offset = batch[-1].seq
        return out

    def logs(self, follow: bool = False, offset: int = 0, file: TextIO | None = None) -> int:
        """Print the run's log; with ``follow`` keep printing until the run ends or needs a person.

        Returns the offset reached, to resume from later (``run.logs(offset=n)``).
        """
        out = file or sys.stdout
        known: set[str] = set()
        info = sync_run(self.engine, self.store, self.id, known)
        next_sync = time.monotonic() + ENGINE_POLL_S
        while True:
            # The status was read before the store: lines written before the run moved on are here.
            while batch := self.store.read(self.id, after=offset):
                for record in batch:
                    print(format_record(record), file=out)
                offset = batch[-1].seq
            out.flush()
            if not follow:
                return offset
            if info.status.finished or info.status is models.RunStatus.INCIDENT:
                print(f"— run {info.status.value}", file=out, flush=True)
                self._info = info
                return offset
            time.sleep(POLL_S)
            if time.monotonic() >= next_sync:
                info = sync_run(self.engine, self.store, self.id, known)
                next_sync = time.monotonic() + ENGINE_POLL_S

    def wait(self, timeout: float | None = None, poll: float = 0.5) -> models.RunStatus:
        """Block until the run is finished or has an incident; returns its status."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            status = self.status
            if status.finished or status is models.RunStatus.INCIDENT:
                return status
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"Run {self.id} is still {status.value} after {timeout} s.")
            time.sleep(poll)

    def incidents(self, include_resolved: bool = False) -> list[models.Incident]:
        """The run's incidents, with the failing step's error details."""
        return self.engine.incidents(self.id, include_resolved=include_resolved)

    def variables(self) -> dict[str, Any]:
        """The run's process variables."""
        return {v.name: v.value for v in self.engine.variables(self.id)}

    def retry(self) -> int:
        """Give the failed steps another attempt; returns how many."""
        return self.engine.retry(self.id)

    def cancel(self, reason: str = "") -> None:
        """Stop the run for good."""
        self.engine.cancel(self.id, reason)
