"""REST API of the workflow capability, under ``dataops/api/workflows/`` (see docs/openapi-workflows.yaml).

Handlers translate HTTP to `dataops.workflows` calls: the async engine client for the engine,
the log store (in a thread) for logs. Engine errors are `DataOpsError`s the base handler maps
("engine unreachable" is a JSON 502).
"""

from __future__ import annotations

import asyncio
from typing import Any

from tornado import web

from dataops.errors import InvalidInput
from dataops.service import workflows_calls as calls
from dataops.service.client import ServiceClient
from dataops.web_input import whole_number
from dataops.workflows import route_input
from dataops.workflows.logs import current_user
from dataops.workflows.models import RunPage
from dataops.workflows.service import WorkflowsService
from dataops.workflows.timeline import in_time_order
from dataops.workflows.watch import jsonable
from jupyterlab_dataops.handlers.forward import ServiceForwarding

MAX_LOG_PAGE = 10_000


class WorkflowsHandler(ServiceForwarding):
    """Base of the workflow handlers. Under JupyterHub (``DATAOPS_SERVICE_URL`` set) every workflow
    request is sent on to the DataOps service with this server's hub token (``?env=`` names the
    environment), which decides what the user may do; the verbs below serve standalone mode."""

    def forward_body(self) -> Any:
        """The request's JSON body (the service takes BPMN files only as JSON resources)."""
        if self.request.files:
            raise InvalidInput("Under JupyterHub, send BPMN files as JSON resources, not as a form.")
        return self.json_body()

    async def service_request(
        self, client: ServiceClient, path: str, params: dict[str, str], body: Any
    ) -> tuple[str, dict[str, str]]:
        """The service's path in the environment ``?env=`` (or the body's ``env``) names."""
        query = {k: v for k, v in params.items() if k != "env"}
        env = params.get("env") or (body or {}).get("env")
        return await calls.service_path(client, path.removeprefix("workflows/"), env), query

    @property
    def svc(self) -> WorkflowsService:
        """The shared workflow service (`NotConfigured` while no engine is configured)."""
        return self.dataops.workflows.service()

    @property
    def username(self) -> str:
        """Whose runs are "mine": the user this Jupyter server runs for, as in a notebook.

        A Jupyter server serves one user (JupyterHub spawns one per user), and token-authenticated
        requests carry a fresh anonymous identity each time, so the server's user is the stable key.
        """
        return current_user()

    def int_arg(self, name: str, default: int, low: int = 0, high: int | None = None) -> int:
        """An integer query argument, or a 400 naming it."""
        return whole_number(name, self.get_query_argument(name, None), default, low, high)


class DefinitionsHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self) -> None:
        """Deployed definitions (latest versions unless ``?all=true``)."""
        latest_only = self.get_query_argument("all", "false").lower() not in ("1", "true", "yes")
        defs = await self.svc.engine.definitions(latest_only=latest_only)
        self.write_json({"definitions": jsonable(defs)})


class DefinitionXmlHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self, definition_id: str) -> None:
        """The BPMN XML of one definition version."""
        xml = await self.svc.engine.definition_xml(definition_id)
        self.write_json({"definition_id": definition_id, "xml": xml})


class StartFormHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self, key: str) -> None:
        """The start form fields of the latest version of ``key``."""
        self.write_json({"key": key, "fields": jsonable(await self.svc.engine.start_form(key))})


class PublishHandler(WorkflowsHandler):
    @web.authenticated
    async def post(self) -> None:
        """Publish BPMN files: multipart form files, or JSON ``{"name", "resources": {file: xml}}``."""
        if self.request.files:
            resources = {f.filename: f.body for files in self.request.files.values() for f in files}
            name = self.get_body_argument("name", None) or ""
        else:
            body = self.json_body()
            raw = body.get("resources")
            if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
                raise InvalidInput(
                    'Send the BPMN files as "resources": {"file.bpmn": "<xml…>"} or as a multipart form.'
                )
            resources = {k: v.encode() for k, v in raw.items()}
            name = str(body.get("name") or "")
        if not resources:
            raise InvalidInput("There is no BPMN file to publish.")
        await asyncio.to_thread(route_input.check_bpmn, resources)
        name = name or next(iter(resources)).rsplit(".", 1)[0]
        deployment = await self.svc.engine.publish(resources, name=name)
        self.write_json(jsonable(deployment), status=201)


class RunsHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self) -> None:
        """Runs, newest first, filtered by ``scope`` (mine/all), ``status``, ``definition_key``; paged."""
        scope = route_input.runs_scope(self.get_query_argument("scope", "all"))
        status = route_input.run_status(self.get_query_argument("status", None))
        first = self.int_arg("first", 0)
        max_results = self.int_arg("max_results", 50, 1, 500)
        query: dict[str, Any] = {
            "definition_key": self.get_query_argument("definition_key", None) or None,
            "status": status,
            "first": first,
            "max_results": max_results,
        }
        svc = self.svc
        if scope == "mine":
            ids = await asyncio.to_thread(svc.store.started_by, self.username)
            if not ids:
                self.write_json(jsonable(RunPage([], 0, first, max_results)))
                return
            query["ids"] = ids
        self.write_json(jsonable(await svc.engine.runs(**query)))

    @web.authenticated
    async def post(self) -> None:
        """Start a run: ``{"key", "variables", "business_key"}``."""
        start = route_input.start_request(self.json_body())
        svc = self.svc
        run = await svc.engine.start(start.key, start.variables, business_key=start.business_key)
        await asyncio.to_thread(svc.store.note_start, run.id, self.username, start.key)
        self.write_json(jsonable(run), status=201)


class RunHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        """One run."""
        self.write_json(jsonable(await self.svc.engine.run(run_id)))


class TimelineHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        """The run's activities in start order."""
        self.write_json({"run_id": run_id, "activities": jsonable(await self.svc.engine.activities(run_id))})


class VariablesHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        """The run's variables with their engine types."""
        self.write_json({"run_id": run_id, "variables": jsonable(await self.svc.engine.variables(run_id))})


class IncidentsHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        """The run's incidents (``include_resolved=true`` for past ones too)."""
        include = self.get_query_argument("include_resolved", "false").lower() in ("1", "true", "yes")
        incidents = await self.svc.engine.incidents(run_id, include_resolved=include)
        self.write_json({"run_id": run_id, "incidents": jsonable(incidents)})


class RetryHandler(WorkflowsHandler):
    @web.authenticated
    async def post(self, run_id: str) -> None:
        """Retry the run's failed steps (or ``{"incident_id"}``'s)."""
        incident_id = self.json_body().get("incident_id")
        retried = await self.svc.engine.retry(run_id, incident_id)
        self.write_json({"run_id": run_id, "retried": retried})


class CancelHandler(WorkflowsHandler):
    @web.authenticated
    async def post(self, run_id: str) -> None:
        """Cancel the run (``{"reason"}`` is recorded by the engine)."""
        reason = str(self.json_body().get("reason") or "")
        # The client retries a delete that races a worker's report, then says the run is busy.
        await self.svc.engine.cancel(run_id, reason)
        self.write_json({"run_id": run_id, "cancelled": True})


class LogsHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self, run_id: str) -> None:
        """The run's log records after ``offset`` with engine events merged in; ``next_offset`` resumes.

        ``order=time`` orders the page by timestamp (engine events where they happened, not where
        they arrived); paging stays by arrival offset either way.
        """
        offset = self.int_arg("offset", 0)
        limit = self.int_arg("limit", 1000, 1, MAX_LOG_PAGE)
        order = self.get_query_argument("order", "seq")
        if order not in ("seq", "time"):
            raise InvalidInput(f"The parameter 'order' must be 'seq' (arrival) or 'time', not '{order}'.")
        svc = self.svc
        run, error = await svc.sync_for_reader(run_id)
        records = await asyncio.to_thread(svc.store.read, run_id, offset, limit)
        next_offset = records[-1].seq if records else offset
        if order == "time":
            records = in_time_order(records)
        self.write_json(
            {
                "run_id": run_id,
                "records": [r.to_json() for r in records],
                "next_offset": next_offset,
                "run": jsonable(run) if run else None,
                "engine_error": error.to_json() if error else None,
            }
        )


class EnvironmentsHandler(WorkflowsHandler):
    @web.authenticated
    async def get(self) -> None:
        """Standalone mode has no environments and enforces no rights (the service answers under JupyterHub)."""
        self.write_json({"environments": [], "rights_enforced": False})


_RUN = r"workflows/runs/(?P<run_id>[^/]+)"
ROUTES = [
    (r"workflows/environments", EnvironmentsHandler),
    (r"workflows/definitions", DefinitionsHandler),
    (r"workflows/definitions/(?P<definition_id>[^/]+)/xml", DefinitionXmlHandler),
    (r"workflows/definitions/(?P<key>[^/]+)/form", StartFormHandler),
    (r"workflows/publish", PublishHandler),
    (r"workflows/runs", RunsHandler),
    (_RUN, RunHandler),
    (_RUN + r"/timeline", TimelineHandler),
    (_RUN + r"/variables", VariablesHandler),
    (_RUN + r"/incidents", IncidentsHandler),
    (_RUN + r"/retry", RetryHandler),
    (_RUN + r"/cancel", CancelHandler),
    (_RUN + r"/logs", LogsHandler),
]
