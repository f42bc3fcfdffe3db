"""The service's workflow routes, ``api/workflows/…``: every action checked against the caller's hub
identity and the environment's rules (`dataops.workflows.access`); engine credentials stay here.

Handlers parse and serialise; the decisions are `dataops.service.flows` and `dataops.workflows.access`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from dataops.errors import InvalidInput
from dataops.service.app import CallerHandler
from dataops.service.flows import EnvironmentFlows, ServiceFlows, identity
from dataops.web_input import json_object, whole_number
from dataops.workflows import route_input
from dataops.workflows.access import environment_rights, may_publish, may_start
from dataops.workflows.models import RunPage
from dataops.workflows.watch import jsonable

MAX_LOG_PAGE = 10_000


class FlowHandler(CallerHandler):
    """Base of the workflow routes: ``self.flows`` is the service's `ServiceFlows`."""

    def initialize(self, hub_auth: Any, directory: Any, flows: ServiceFlows) -> None:  # type: ignore[override]
        super().initialize(hub_auth, directory)
        self.flows = flows

    def env(self, env_id: str) -> EnvironmentFlows:
        """The environment named in the path."""
        return self.flows.environment(env_id)

    def body(self) -> dict[str, Any]:
        """The JSON object sent (``{}`` for an empty body)."""
        return json_object(self.request.body)

    def int_arg(self, name: str, default: int, low: int = 0, high: int | None = None) -> int:
        """An integer query argument, or a 400 naming it."""
        return whole_number(name, self.get_query_argument(name, None), default, low, high)

    def answer(self, value: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(value))


class EnvironmentsHandler(FlowHandler):
    async def get(self) -> None:
        """The workflow environments and what the caller may do in each."""
        self.answer({"environments": self.flows.environments_json(self.caller)})


class DefinitionsHandler(FlowHandler):
    async def get(self, env_id: str) -> None:
        """The environment's latest definitions."""
        flows = self.env(env_id)
        self.flows.require_view(self.caller, flows.env)
        defs = await flows.service.engine.definitions(latest_only=True)
        self.answer(
            {"definitions": jsonable(defs), "may": environment_rights(identity(self.caller), flows.env)}
        )


class PublishHandler(FlowHandler):
    async def post(self, env_id: str) -> None:
        """Publish BPMN files, ``{"name", "resources": {file: xml}}``, where the caller may publish."""
        flows = self.env(env_id)
        may_publish(identity(self.caller), flows.env).require()
        body = self.body()
        raw = body.get("resources")
        if not isinstance(raw, dict) or not raw or not all(isinstance(v, str) for v in raw.values()):
            raise InvalidInput('Send the BPMN files as "resources": {"file.bpmn": "<xml…>"}.')
        resources = {k: v.encode() for k, v in raw.items()}
        await asyncio.to_thread(route_input.check_bpmn, resources)
        name = str(body.get("name") or next(iter(resources)).rsplit(".", 1)[0])
        deployment = await flows.service.engine.publish(resources, name=name)
        self.answer(jsonable(deployment), 201)


class RunsHandler(FlowHandler):
    async def get(self, env_id: str) -> None:
        """Runs, newest first (``scope`` mine/all, ``status``, ``definition_key``, paged), each with ``may``."""
        flows = self.env(env_id)
        self.flows.require_view(self.caller, flows.env)
        scope = route_input.runs_scope(self.get_query_argument("scope", "all"))
        status = route_input.run_status(self.get_query_argument("status", None))
        first, max_results = self.int_arg("first", 0), self.int_arg("max_results", 50, 1, 500)
        query: dict[str, Any] = {
            "definition_key": self.get_query_argument("definition_key", None) or None,
            "status": status,
            "first": first,
            "max_results": max_results,
        }
        if scope == "mine":
            ids = await asyncio.to_thread(self.flows.store.started_by, self.caller.name)
            if not ids:
                self.answer({**jsonable(RunPage([], 0, first, max_results))})
                return
            query["ids"] = ids
        page = await flows.service.engine.runs(**query)
        items = await self.flows.runs_json(self.caller, flows.env, page.items)
        self.answer({**jsonable(page), "items": items})

    async def post(self, env_id: str) -> None:
        """Start a run, ``{"key", "variables", "business_key"}``; the caller is recorded as its starter."""
        flows = self.env(env_id)
        may_start(identity(self.caller), flows.env).require()
        start = route_input.start_request(self.body())
        run = await flows.service.engine.start(start.key, start.variables, business_key=start.business_key)
        await asyncio.to_thread(self.flows.store.note_start, run.id, self.caller.name, start.key)
        [item] = await self.flows.runs_json(self.caller, flows.env, [run])
        self.answer(item, 201)


class RunHandler(FlowHandler):
    async def get(self, env_id: str, run_id: str) -> None:
        """One run with ``started_by`` and ``may``."""
        flows = self.env(env_id)
        run = await self.flows.run_of(self.caller, flows, run_id)
        [item] = await self.flows.runs_json(self.caller, flows.env, [run])
        self.answer(item)


class CancelHandler(FlowHandler):
    async def post(self, env_id: str, run_id: str) -> None:
        """Cancel the run (``{"reason"}``): its starter or an operator."""
        flows = self.env(env_id)
        (await self.flows.operate(self.caller, flows, run_id, "cancel")).require()
        reason = str(self.body().get("reason") or f"cancelled by {self.caller.name}")
        await flows.service.engine.cancel(run_id, reason)
        self.answer({"run_id": run_id, "cancelled": True})


class RetryHandler(FlowHandler):
    async def post(self, env_id: str, run_id: str) -> None:
        """Retry the run's failed steps (or ``{"incident_id"}``'s): its starter or an operator."""
        flows = self.env(env_id)
        (await self.flows.operate(self.caller, flows, run_id, "retry")).require()
        retried = await flows.service.engine.retry(run_id, self.body().get("incident_id"))
        self.answer({"run_id": run_id, "retried": retried})


class VariablesHandler(FlowHandler):
    async def get(self, env_id: str, run_id: str) -> None:
        """The run's variables, for those who may view the environment."""
        flows = self.env(env_id)
        await self.flows.run_of(self.caller, flows, run_id)
        variables = await flows.service.engine.variables(run_id)
        self.answer({"run_id": run_id, "variables": jsonable(variables)})


class DefinitionXmlHandler(FlowHandler):
    async def get(self, env_id: str, definition_id: str) -> None:
        """The BPMN XML of one definition version."""
        flows = self.env(env_id)
        self.flows.require_view(self.caller, flows.env)
        xml = await flows.service.engine.definition_xml(definition_id)
        self.answer({"definition_id": definition_id, "xml": xml})


class StartFormHandler(FlowHandler):
    async def get(self, env_id: str, key: str) -> None:
        """The start form fields of the latest version of ``key``."""
        flows = self.env(env_id)
        self.flows.require_view(self.caller, flows.env)
        self.answer({"key": key, "fields": jsonable(await flows.service.engine.start_form(key))})


class TimelineHandler(FlowHandler):
    async def get(self, env_id: str, run_id: str) -> None:
        """The run's activities in start order."""
        flows = self.env(env_id)
        await self.flows.run_of(self.caller, flows, run_id)
        activities = await flows.service.engine.activities(run_id)
        self.answer({"run_id": run_id, "activities": jsonable(activities)})


class IncidentsHandler(FlowHandler):
    async def get(self, env_id: str, run_id: str) -> None:
        """The run's incidents (``include_resolved=true`` for past ones too)."""
        flows = self.env(env_id)
        await self.flows.run_of(self.caller, flows, run_id)
        include = self.get_query_argument("include_resolved", "false").lower() in ("1", "true", "yes")
        incidents = await flows.service.engine.incidents(run_id, include_resolved=include)
        self.answer({"run_id": run_id, "incidents": jsonable(incidents)})


class LogsHandler(FlowHandler):
    async def get(self, env_id: str, run_id: str) -> None:
        """The run's log records after ``offset`` with engine events merged in; ``next_offset`` resumes."""
        flows = self.env(env_id)
        await self.flows.run_of(self.caller, flows, run_id)
        offset = self.int_arg("offset", 0)
        limit = self.int_arg("limit", 1000, 1, MAX_LOG_PAGE)
        run, error = await flows.service.sync_for_reader(run_id)
        records = await asyncio.to_thread(self.flows.store.read, run_id, offset, limit)
        self.answer(
            {
                "run_id": run_id,
                "records": [r.to_json() for r in records],
                "next_offset": records[-1].seq if records else offset,
                "run": jsonable(run) if run else None,
                "engine_error": error.to_json() if error else None,
            }
        )


def routes(prefix: str, auth: dict[str, Any], flows: ServiceFlows) -> list[tuple[str, type, dict[str, Any]]]:
    """The workflow routes under ``{prefix}api/workflows/``."""
    kwargs = {**auth, "flows": flows}
    base = rf"{prefix}api/workflows"
    env = rf"{base}/(?P<env_id>[^/]+)"
    run = rf"{env}/runs/(?P<run_id>[^/]+)"
    return [
        (rf"{base}/environments", EnvironmentsHandler, kwargs),
        (rf"{env}/definitions", DefinitionsHandler, kwargs),
        (rf"{env}/definitions/(?P<definition_id>[^/]+)/xml", DefinitionXmlHandler, kwargs),
        (rf"{env}/definitions/(?P<key>[^/]+)/form", StartFormHandler, kwargs),
        (rf"{env}/publish", PublishHandler, kwargs),
        (rf"{env}/runs", RunsHandler, kwargs),
        (run, RunHandler, kwargs),
        (rf"{run}/cancel", CancelHandler, kwargs),
        (rf"{run}/retry", RetryHandler, kwargs),
        (rf"{run}/variables", VariablesHandler, kwargs),
        (rf"{run}/timeline", TimelineHandler, kwargs),
        (rf"{run}/incidents", IncidentsHandler, kwargs),
        (rf"{run}/logs", LogsHandler, kwargs),
    ]
