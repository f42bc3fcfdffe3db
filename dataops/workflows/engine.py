"""The workflow engine as `dataops` needs it, independent of the product behind it.

`Engine` (blocking, for kernels, the CLI and workers) and `AsyncEngine` (for the server's event
loop) declare the same operations. `dataops.workflows.camunda` implements both for the Camunda 7
REST API (Camunda 7 CE, Operaton, CIB seven). The vocabulary is chosen so that a Camunda 8
implementation can follow: a definition ``key`` is a BPMN process id, a run id is an opaque string,
an external task is a job, ``fetch_and_lock`` is "activate jobs", ``extend_lock`` is "update job
timeout".

Every operation raises `dataops.errors` exceptions carrying the engine's own message:
`EngineUnreachable` when the engine does not answer, `NotFound` for an unknown definition, run or
task, `InvalidInput` for a request the engine refused, `MalformedMessage` for BPMN it cannot parse,
`Conflict` when a task's lock was lost to another worker, `Unauthorized`/`Forbidden` for
credentials, `RemoteError` for anything else the engine reports.

Times are aware UTC datetimes; durations (lock, long poll, retry back-off) are seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from dataops.workflows.models import (
    Activity,
    Deployment,
    ExternalTask,
    FormField,
    Incident,
    ProcessDefinition,
    Run,
    RunPage,
    RunStatus,
    Variable,
)

# Variables are passed as plain Python values (str, int, float, bool, None, datetime, dict/list
# as JSON) or as a `Variable` to force the engine type.
Variables = Mapping[str, Any]


@runtime_checkable
class Engine(Protocol):
    """A BPMN engine reached over the network (blocking calls)."""

    url: str

    def version(self) -> str:
        """The engine's version string; the cheapest way to check that it answers."""
        ...

    # -- definitions ---------------------------------------------------------------------------
    def definitions(self, *, latest_only: bool = True) -> list[ProcessDefinition]:
        """Published process definitions, by key (only each key's latest version by default)."""
        ...

    def definition(self, key: str, version: int | None = None) -> ProcessDefinition:
        """One definition by key: the latest version, or the given one."""
        ...

    def definition_xml(self, definition_id: str) -> str:
        """The BPMN XML of one definition version (by id, as in `ProcessDefinition.id`)."""
        ...

    def start_form(self, key: str) -> list[FormField]:
        """The fields of the latest version's start form (``[]`` when it has none)."""
        ...

    def publish(self, resources: Mapping[str, bytes], *, name: str, changed_only: bool = True) -> Deployment:
        """Publish BPMN files (file name -> content); unchanged files keep their version."""
        ...

    # -- runs ----------------------------------------------------------------------------------
    def start(self, key: str, variables: Variables | None = None, *, business_key: str | None = None) -> Run:
        """Start the latest version of a definition."""
        ...

    def runs(
        self,
        *,
        definition_key: str | None = None,
        status: RunStatus | None = None,
        business_key: str | None = None,
        ids: Sequence[str] | None = None,
        started_after: datetime | None = None,
        started_before: datetime | None = None,
        first: int = 0,
        max_results: int = 50,
    ) -> RunPage:
        """Runs, newest first, filtered and paged; ``ids`` asks for many runs in one request."""
        ...

    def run(self, run_id: str) -> Run:
        """One run, running or finished."""
        ...

    def activities(self, run_id: str) -> list[Activity]:
        """The run's timeline: every activity started so far, in start order."""
        ...

    def variables(self, run_id: str) -> list[Variable]:
        """The run's process variables with their types (also for finished runs)."""
        ...

    def incidents(self, run_id: str | None = None, *, include_resolved: bool = False) -> list[Incident]:
        """Incidents of one run (or of all runs), oldest first, with the step's error details."""
        ...

    def retry(self, run_id: str, incident_id: str | None = None) -> int:
        """Give failed steps of a run (or one incident's step) another attempt; returns how many."""
        ...

    def cancel(self, run_id: str, reason: str = "") -> None:
        """Stop a running run for good.

        A cancel refused because the run changed at that moment (a worker reporting a step) is
        retried a few times within about two seconds, then raises `ConcurrentUpdate`.
        """
        ...

    # -- external tasks (what a worker needs) ---------------------------------------------------
    def fetch_and_lock(
        self,
        worker_id: str,
        topics: Sequence[str],
        *,
        max_tasks: int = 1,
        lock_duration: float = 60.0,
        long_poll: float = 0.0,
        variables: Sequence[str] | None = None,
        business_key: str | None = None,
    ) -> list[ExternalTask]:
        """Lock up to ``max_tasks`` tasks of the topics, waiting up to ``long_poll`` s for one.

        ``variables`` limits the variables fetched (all by default); ``business_key`` only
        fetches tasks of runs with that business key.
        """
        ...

    def complete(
        self,
        task_id: str,
        worker_id: str,
        variables: Variables | None = None,
        *,
        local_variables: Variables | None = None,
    ) -> None:
        """Finish a locked task, setting output variables on the run."""
        ...

    def handle_failure(
        self,
        task_id: str,
        worker_id: str,
        message: str,
        *,
        details: str = "",
        retries: int = 0,
        retry_timeout: float = 0.0,
    ) -> None:
        """Report a failed attempt; with ``retries == 0`` the engine raises an incident."""
        ...

    def handle_bpmn_error(
        self,
        task_id: str,
        worker_id: str,
        error_code: str,
        message: str = "",
        variables: Variables | None = None,
    ) -> None:
        """Report a business error the BPMN models (caught by an error boundary event)."""
        ...

    def extend_lock(self, task_id: str, worker_id: str, duration: float) -> None:
        """Keep a long step's lock: it now expires ``duration`` s from now."""
        ...

    def unlock(self, task_id: str) -> None:
        """Give a locked task back so that any worker can fetch it again at once."""
        ...

    def close(self) -> None:
        """Release the connection pool."""
        ...


@runtime_checkable
class AsyncEngine(Protocol):
    """The same operations as `Engine`, awaitable (for the Jupyter server's event loop)."""

    url: str

    async def version(self) -> str: ...
    async def definitions(self, *, latest_only: bool = True) -> list[ProcessDefinition]: ...
    async def definition(self, key: str, version: int | None = None) -> ProcessDefinition: ...
    async def definition_xml(self, definition_id: str) -> str: ...
    async def start_form(self, key: str) -> list[FormField]: ...
    async def publish(
        self, resources: Mapping[str, bytes], *, name: str, changed_only: bool = True
    ) -> Deployment: ...
    async def start(
        self, key: str, variables: Variables | None = None, *, business_key: str | None = None
    ) -> Run: ...
    async def runs(
        self,
        *,
        definition_key: str | None = None,
        status: RunStatus | None = None,
        business_key: str | None = None,
        ids: Sequence[str] | None = None,
        started_after: datetime | None = None,
        started_before: datetime | None = None,
        first: int = 0,
        max_results: int = 50,
    ) -> RunPage: ...
    async def run(self, run_id: str) -> Run: ...
    async def activities(self, run_id: str) -> list[Activity]: ...
    async def variables(self, run_id: str) -> list[Variable]: ...
    async def incidents(
        self, run_id: str | None = None, *, include_resolved: bool = False
    ) -> list[Incident]: ...
    async def retry(self, run_id: str, incident_id: str | None = None) -> int: ...
    async def cancel(self, run_id: str, reason: str = "") -> None: ...
    async def fetch_and_lock(
        self,
        worker_id: str,
        topics: Sequence[str],
        *,
        max_tasks: int = 1,
        lock_duration: float = 60.0,
        long_poll: float = 0.0,
        variables: Sequence[str] | None = None,
        business_key: str | None = None,
    ) -> list[ExternalTask]: ...
    async def complete(
        self,
        task_id: str,
        worker_id: str,
        variables: Variables | None = None,
        *,
        local_variables: Variables | None = None,
    ) -> None: ...
    async def handle_failure(
        self,
        task_id: str,
        worker_id: str,
        message: str,
        *,
        details: str = "",
        retries: int = 0,
        retry_timeout: float = 0.0,
    ) -> None: ...
    async def handle_bpmn_error(
        self,
        task_id: str,
        worker_id: str,
        error_code: str,
        message: str = "",
        variables: Variables | None = None,
    ) -> None: ...
    async def extend_lock(self, task_id: str, worker_id: str, duration: float) -> None: ...
    async def unlock(self, task_id: str) -> None: ...
    async def aclose(self) -> None: ...
