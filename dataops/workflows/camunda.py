"""The `Engine` for Camunda 7's REST API (Camunda 7 CE, Operaton, CIB seven) over httpx.

`CamundaEngine` blocks (kernels, CLI, workers); `AsyncCamundaEngine` awaits (the server). Both run
the same operations from `dataops.workflows.camunda_ops` and map every failure to a
`dataops.errors` exception carrying the engine's own message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx

from dataops.errors import ConcurrentUpdate, NotConfigured
from dataops.workflows import camunda_http as http
from dataops.workflows import camunda_ops as ops
from dataops.workflows import camunda_task_ops as task_ops
from dataops.workflows.config import WorkflowsConfig
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


class CamundaEngine:
    """Blocking client for a Camunda 7 REST API rooted at ``url`` (…/engine-rest)."""

    def __init__(
        self,
        url: str,
        *,
        username: str = "",
        password: str = "",
        timeout: float = http.DEFAULT_TIMEOUT,
        start_command: str = "",
    ) -> None:
        self.url = url.rstrip("/")
        self.start_command = start_command
        self._client = httpx.Client(base_url=self.url, auth=http.auth(username, password), timeout=timeout)

    @classmethod
    def from_config(cls, config: WorkflowsConfig) -> CamundaEngine:
        """The engine the ``[workflows]`` configuration names."""
        return cls(
            _require_url(config),
            username=config.username,
            password=config.password,
            start_command=config.engine_start,
        )

    def _send(self, request: ops.Request) -> Any:
        try:
            response = self._client.request(request.method, request.path, **http.kwargs(request))
        except http.NETWORK_ERRORS as exc:
            raise http.unreachable(self.url, request, exc, self.start_command) from exc
        http.raise_for(request, response, self.url)
        return http.decode(request, response)

    def _run(self, op: ops.Op) -> Any:
        try:
            request = next(op)
            while True:
                request = op.send(self._send(request))
        except StopIteration as done:
            return done.value

    def version(self) -> str:
        return self._run(ops.version())

    def definitions(self, *, latest_only: bool = True) -> list[ProcessDefinition]:
        return self._run(ops.definitions(latest_only))

    def definition(self, key: str, version: int | None = None) -> ProcessDefinition:
        return self._run(ops.definition(key, version))

    def definition_xml(self, definition_id: str) -> str:
        return self._run(ops.definition_xml(definition_id))

    def start_form(self, key: str) -> list[FormField]:
        return self._run(ops.start_form(key))

    def publish(self, resources: Mapping[str, bytes], *, name: str, changed_only: bool = True) -> Deployment:
        return self._run(ops.publish(resources, name, changed_only))

    def start(
        self, key: str, variables: Mapping[str, Any] | None = None, *, business_key: str | None = None
    ) -> Run:
        return self._run(ops.start(key, variables, business_key))

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
        return self._run(
            ops.runs(
                definition_key, status, business_key, ids, started_after, started_before, first, max_results
            )
        )

    def run(self, run_id: str) -> Run:
        return self._run(ops.run(run_id))

    def activities(self, run_id: str) -> list[Activity]:
        return self._run(ops.activities(run_id))

    def variables(self, run_id: str) -> list[Variable]:
        return self._run(ops.variables(run_id))

    def incidents(self, run_id: str | None = None, *, include_resolved: bool = False) -> list[Incident]:
        return self._run(ops.incidents(run_id, include_resolved))

    def retry(self, run_id: str, incident_id: str | None = None) -> int:
        return self._run(ops.retry(run_id, incident_id))

    def cancel(self, run_id: str, reason: str = "") -> None:
        for pause in http.CANCEL_PAUSES:
            try:
                return self._run(ops.cancel(run_id, reason))
            except ConcurrentUpdate:
                time.sleep(pause)
        try:
            return self._run(ops.cancel(run_id, reason))
        except ConcurrentUpdate as exc:
            raise http.cancel_refused(run_id, exc) from exc

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
        return self._run(
            task_ops.fetch_and_lock(
                worker_id, topics, max_tasks, lock_duration, long_poll, variables, business_key
            )
        )

    def complete(
        self,
        task_id: str,
        worker_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        local_variables: Mapping[str, Any] | None = None,
    ) -> None:
        return self._run(task_ops.complete(task_id, worker_id, variables, local_variables))

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
        return self._run(
            task_ops.handle_failure(task_id, worker_id, message, details, retries, retry_timeout)
        )

    def handle_bpmn_error(
        self,
        task_id: str,
        worker_id: str,
        error_code: str,
        message: str = "",
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        return self._run(task_ops.handle_bpmn_error(task_id, worker_id, error_code, message, variables))

    def extend_lock(self, task_id: str, worker_id: str, duration: float) -> None:
        return self._run(task_ops.extend_lock(task_id, worker_id, duration))

    def unlock(self, task_id: str) -> None:
        return self._run(task_ops.unlock(task_id))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> CamundaEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncCamundaEngine:
    """Awaitable client for a Camunda 7 REST API, for the Jupyter server's event loop."""

    def __init__(
        self,
        url: str,
        *,
        username: str = "",
        password: str = "",
        timeout: float = http.DEFAULT_TIMEOUT,
        start_command: str = "",
    ) -> None:
        self.url = url.rstrip("/")
        self.start_command = start_command
        self._client = httpx.AsyncClient(
            base_url=self.url, auth=http.auth(username, password), timeout=timeout
        )

    @classmethod
    def from_config(cls, config: WorkflowsConfig) -> AsyncCamundaEngine:
        """The engine the ``[workflows]`` configuration names."""
        return cls(
            _require_url(config),
            username=config.username,
            password=config.password,
            start_command=config.engine_start,
        )

    async def _send(self, request: ops.Request) -> Any:
        try:
            response = await self._client.request(request.method, request.path, **http.kwargs(request))
        except http.NETWORK_ERRORS as exc:
            raise http.unreachable(self.url, request, exc, self.start_command) from exc
        http.raise_for(request, response, self.url)
        return http.decode(request, response)

    async def _run(self, op: ops.Op) -> Any:
        try:
            request = next(op)
            while True:
                request = op.send(await self._send(request))
        except StopIteration as done:
            return done.value

    async def version(self) -> str:
        return await self._run(ops.version())

    async def definitions(self, *, latest_only: bool = True) -> list[ProcessDefinition]:
        return await self._run(ops.definitions(latest_only))

    async def definition(self, key: str, version: int | None = None) -> ProcessDefinition:
        return await self._run(ops.definition(key, version))

    async def definition_xml(self, definition_id: str) -> str:
        return await self._run(ops.definition_xml(definition_id))

    async def start_form(self, key: str) -> list[FormField]:
        return await self._run(ops.start_form(key))

    async def publish(
        self, resources: Mapping[str, bytes], *, name: str, changed_only: bool = True
    ) -> Deployment:
        return await self._run(ops.publish(resources, name, changed_only))

    async def start(
        self, key: str, variables: Mapping[str, Any] | None = None, *, business_key: str | None = None
    ) -> Run:
        return await self._run(ops.start(key, variables, business_key))

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
    ) -> RunPage:
        return await self._run(
            ops.runs(
                definition_key, status, business_key, ids, started_after, started_before, first, max_results
            )
        )

    async def run(self, run_id: str) -> Run:
        return await self._run(ops.run(run_id))

    async def activities(self, run_id: str) -> list[Activity]:
        return await self._run(ops.activities(run_id))

    async def variables(self, run_id: str) -> list[Variable]:
        return await self._run(ops.variables(run_id))

    async def incidents(self, run_id: str | None = None, *, include_resolved: bool = False) -> list[Incident]:
        return await self._run(ops.incidents(run_id, include_resolved))

    async def retry(self, run_id: str, incident_id: str | None = None) -> int:
        return await self._run(ops.retry(run_id, incident_id))

    async def cancel(self, run_id: str, reason: str = "") -> None:
        for pause in http.CANCEL_PAUSES:
            try:
                return await self._run(ops.cancel(run_id, reason))
            except ConcurrentUpdate:
                await asyncio.sleep(pause)
        try:
            return await self._run(ops.cancel(run_id, reason))
        except ConcurrentUpdate as exc:
            raise http.cancel_refused(run_id, exc) from exc

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
    ) -> list[ExternalTask]:
        return await self._run(
            task_ops.fetch_and_lock(
                worker_id, topics, max_tasks, lock_duration, long_poll, variables, business_key
            )
        )

    async def complete(
        self,
        task_id: str,
        worker_id: str,
        variables: Mapping[str, Any] | None = None,
        *,
        local_variables: Mapping[str, Any] | None = None,
    ) -> None:
        return await self._run(task_ops.complete(task_id, worker_id, variables, local_variables))

    async def handle_failure(
        self,
        task_id: str,
        worker_id: str,
        message: str,
        *,
        details: str = "",
        retries: int = 0,
        retry_timeout: float = 0.0,
    ) -> None:
        return await self._run(
            task_ops.handle_failure(task_id, worker_id, message, details, retries, retry_timeout)
        )

    async def handle_bpmn_error(
        self,
        task_id: str,
        worker_id: str,
        error_code: str,
        message: str = "",
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        return await self._run(task_ops.handle_bpmn_error(task_id, worker_id, error_code, message, variables))

    async def extend_lock(self, task_id: str, worker_id: str, duration: float) -> None:
        return await self._run(task_ops.extend_lock(task_id, worker_id, duration))

    async def unlock(self, task_id: str) -> None:
        return await self._run(task_ops.unlock(task_id))

    async def aclose(self) -> None:
        await self._client.aclose()


def _require_url(config: WorkflowsConfig) -> str:
    if not config.configured:
        raise NotConfigured(
            "No workflow engine is configured: set engine_url in the [workflows] section "
            "(for example http://localhost:8080/engine-rest; `make engine` starts one)."
        )
    return config.engine_url
