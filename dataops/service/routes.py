"""The service's promotion and pipeline routes (docs/openapi-service.yaml): parse, call the desk, answer.

The paths under ``api/`` are those of the single-user server's ``dataops/api/``, so a user's server
forwards a panel's request unchanged; only a review differs: it carries the files' bytes.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from dataops.dashboards.access import visible_dashboards
from dataops.errors import InvalidInput
from dataops.service.app import CallerHandler
from dataops.service.desk import PromotionDesk, identity
from dataops.web_input import json_object


class DeskHandler(CallerHandler):
    """An authenticated route with the service's `PromotionDesk`."""

    def initialize(self, desk: PromotionDesk, **auth: Any) -> None:  # type: ignore[override]
        super().initialize(**auth)
        self.desk = desk

    def body(self) -> dict[str, Any]:
        """The JSON object sent, or `InvalidInput`."""
        return json_object(self.request.body)

    def int_arg(self, name: str, default: int) -> int:
        """A whole-number query argument."""
        raw = self.get_query_argument(name, str(default))
        try:
            return int(raw)
        except ValueError as exc:
            raise InvalidInput(f"'{name}' must be a whole number, not {raw!r}.") from exc

    def answer(self, body: Any, status: int = 200) -> None:
        """Finish with ``body`` as JSON."""
        self.set_status(status)
        self.finish(json.dumps(body, default=str))


class EnvironmentsHandler(DeskHandler):
    def get(self) -> None:
        self.answer(self.desk.environments(self.caller))


class PlansHandler(DeskHandler):
    async def post(self) -> None:
        plan = await asyncio.to_thread(self.desk.review, self.caller, self.body())
        self.answer(plan.to_json())


class PlanHandler(DeskHandler):
    def get(self, plan_id: str) -> None:
        self.answer(self.desk.plan(self.caller, plan_id).to_json())


class SubmitHandler(DeskHandler):
    async def post(self, plan_id: str) -> None:
        message = self.body().get("message", "")
        self.answer(await asyncio.to_thread(self.desk.submit, self.caller, plan_id, message), 201)


class MergeRequestHandler(DeskHandler):
    async def get(self, env_id: str, iid: str) -> None:
        self.answer(await asyncio.to_thread(self.desk.merge_request, self.caller, env_id, int(iid)))


class HistoryHandler(DeskHandler):
    async def get(self) -> None:
        env_id = self.get_query_argument("environment", "") or None
        self.answer(await self.desk.history(self.caller, env_id, self.int_arg("limit", 20)))


class PipelineEnvironmentsHandler(DeskHandler):
    def get(self) -> None:
        self.answer(self.desk.pipeline_environments(self.caller))


class PipelinesHandler(DeskHandler):
    async def get(self, env: str) -> None:
        self.answer(await self.desk.pipelines(self.caller, env, self.int_arg("limit", 10)))


class RunPipelineHandler(DeskHandler):
    async def post(self, env: str) -> None:
        variables = self.body().get("variables") or {}
        self.answer(await self.desk.run_pipeline(self.caller, env, variables), 201)


class PipelineHandler(DeskHandler):
    async def get(self, env: str, pipeline_id: str) -> None:
        self.answer(await self.desk.pipeline(self.caller, env, int(pipeline_id)))


class TestReportHandler(DeskHandler):
    __test__ = False  # not a pytest class

    async def get(self, env: str, pipeline_id: str) -> None:
        self.answer(await self.desk.test_report(self.caller, env, int(pipeline_id)))


class JobHandler(DeskHandler):
    async def get(self, env: str, job_id: str) -> None:
        self.answer(await self.desk.job(self.caller, env, int(job_id)))


class JobLogHandler(DeskHandler):
    async def get(self, env: str, job_id: str) -> None:
        self.answer(await self.desk.job_log(self.caller, env, int(job_id), self.int_arg("offset", 0)))


class DashboardsHandler(DeskHandler):
    async def get(self, env: str) -> None:
        settings = self.desk.policy.settings()
        self.answer(await asyncio.to_thread(visible_dashboards, settings, env, identity(self.caller)))


_ENV = r"(?P<env>[A-Za-z0-9_.-]+)"
_PLAN = r"(?P<plan_id>[0-9a-f]{32})"
ROUTES: list[tuple[str, type[DeskHandler]]] = [
    (r"promotion/environments", EnvironmentsHandler),
    (r"promotion/environments/(?P<env_id>[^/]+)/merge_requests/(?P<iid>\d+)", MergeRequestHandler),
    (r"promotion/plans", PlansHandler),
    (rf"promotion/plans/{_PLAN}", PlanHandler),
    (rf"promotion/plans/{_PLAN}/submit", SubmitHandler),
    (r"promotion/history", HistoryHandler),
    (r"pipelines/environments", PipelineEnvironmentsHandler),
    (rf"pipelines/{_ENV}", PipelinesHandler),
    (rf"pipelines/{_ENV}/run", RunPipelineHandler),
    (rf"pipelines/{_ENV}/pipelines/(?P<pipeline_id>\d+)", PipelineHandler),
    (rf"pipelines/{_ENV}/pipelines/(?P<pipeline_id>\d+)/test-report", TestReportHandler),
    (rf"pipelines/{_ENV}/jobs/(?P<job_id>\d+)", JobHandler),
    (rf"pipelines/{_ENV}/jobs/(?P<job_id>\d+)/log", JobLogHandler),
    (rf"dashboards/{_ENV}", DashboardsHandler),
]
