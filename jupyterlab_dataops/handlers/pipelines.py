"""REST API of the Deploy panel's pipelines, under ``dataops/api/pipelines/`` (docs/openapi-pipelines.yaml).

Per environment: the last pipelines of its deployment branch with their jobs, starting a pipeline
with variables, a job, its log from a byte ``offset`` (GitLab's trace endpoint has none, so the
server cuts what the browser already has) and the test report summary. The GitLab token stays here.
Only users who may see an environment's promotion history see its pipelines, and a pipeline or job
id must belong to the environment's branch (`dataops.pipelines.environment`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tornado import web

from dataops.errors import InvalidInput
from dataops.pipelines.access import NO_PIPELINES, has_pipelines
from dataops.pipelines.environment import EnvironmentCI
from dataops.pipelines.trace import slice_trace
from dataops.promotion.access import may_see_pipelines, require
from jupyterlab_dataops.handlers.base import DataOpsHandler
from jupyterlab_dataops.handlers.forward import ServiceForwarding

MAX_PIPELINES = 50


class PipelinesHandler(ServiceForwarding):
    """Shared plumbing: the environment's pipelines as the signed-in user may see them (under JupyterHub
    with the DataOps service, every request is forwarded to it instead)."""

    def ci(self, env: str) -> EnvironmentCI:
        """The environment's CI (`Forbidden` for a user who may not see its promotions)."""
        return self.dataops.promotion.ci(env, self.identity())


class EnvironmentsHandler(PipelinesHandler):
    """``GET pipelines/environments``: every environment and whether it has pipelines the user may see."""

    @web.authenticated
    def get(self) -> None:
        """List environments with their branch, GitLab project and whether pipelines can be shown."""
        cfg = self.dataops.promotion.config()
        who = self.identity()
        out = []
        for env in cfg.environments:
            visible = may_see_pipelines(env, who)
            reason = "" if has_pipelines(env) else NO_PIPELINES
            entry: dict[str, Any] = {
                "id": env.id,
                "branch": env.branch,
                "gitlab_project": env.gitlab_project,
                "pipelines": has_pipelines(env) and visible.allowed,
                "reason": visible.reason or reason,
            }
            out.append(entry)
        self.write_json({"environments": out})


class EnvironmentPipelinesHandler(PipelinesHandler):
    """``GET pipelines/{env}``: the newest pipelines of the environment's branch, with jobs."""

    @web.authenticated
    async def get(self, env: str) -> None:
        """The last ``limit`` (default 10) pipelines of the environment."""
        limit = _int_arg(self, "limit", 10, 1, MAX_PIPELINES)
        async with self.ci(env) as ci:
            pipelines = await ci.pipelines(limit)
        self.write_json(
            {
                "environment": ci.target.environment,
                "branch": ci.target.branch,
                "gitlab_project": ci.target.project,
                "pipelines": [p.to_json() for p in pipelines],
            }
        )


class RunPipelineHandler(PipelinesHandler):
    """``POST pipelines/{env}/run``: start a pipeline on the environment's branch."""

    @web.authenticated
    async def post(self, env: str) -> None:
        """Body ``{"variables": {"NAME": "value"}}``; only users who may promote there may run it."""
        body = self.json_body()
        variables = body.get("variables") or {}
        if not isinstance(variables, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float | bool) for k, v in variables.items()
        ):
            raise InvalidInput("'variables' must be an object of variable names to text values.")
        cfg = self.dataops.promotion.config()
        require(cfg.environment(env), self.identity())
        async with self.ci(env) as ci:
            pipeline = await ci.trigger({k: str(v) for k, v in variables.items()}, self.identity().username)
        self.log.info(
            "dataops: %s started pipeline %s on %s", self.identity().username, pipeline.id, ci.target.branch
        )
        self.write_json(pipeline.to_json(), status=201)


class PipelineHandler(PipelinesHandler):
    """``GET pipelines/{env}/pipelines/{id}``: one pipeline with its jobs (poll it to notice the end)."""

    @web.authenticated
    async def get(self, env: str, pipeline_id: str) -> None:
        """The pipeline now."""
        async with self.ci(env) as ci:
            pipeline = await ci.pipeline(int(pipeline_id))
        self.write_json(pipeline.to_json())


class TestReportHandler(PipelinesHandler):
    """``GET pipelines/{env}/pipelines/{id}/test-report``: the JUnit summary."""

    __test__ = False  # not a pytest class

    @web.authenticated
    async def get(self, env: str, pipeline_id: str) -> None:
        """Totals and one entry per suite (job)."""
        async with self.ci(env) as ci:
            summary = await ci.test_report(int(pipeline_id))
        self.write_json(summary.to_json())


class JobHandler(PipelinesHandler):
    """``GET pipelines/{env}/jobs/{id}``: one job."""

    @web.authenticated
    async def get(self, env: str, job_id: str) -> None:
        """The job now."""
        async with self.ci(env) as ci:
            job = await ci.job(int(job_id))
        self.write_json({**asdict(job), "finished": job.finished})


class JobLogHandler(PipelinesHandler):
    """``GET pipelines/{env}/jobs/{id}/log?offset=N``: the log after byte N, to append."""

    @web.authenticated
    async def get(self, env: str, job_id: str) -> None:
        """``content`` to append, ``next_offset`` for the next call, ``finished`` when it will not grow."""
        offset = _int_arg(self, "offset", 0, 0, None)
        async with self.ci(env) as ci:
            job, log = await ci.job_log(int(job_id))
        piece = slice_trace(log, offset)
        self.write_json(
            {
                "job_id": job.id,
                "status": job.status,
                "finished": job.finished,
                "offset": piece.offset,
                "next_offset": piece.next_offset,
                "content": piece.content,
                "reset": piece.reset,
            }
        )


def _int_arg(handler: DataOpsHandler, name: str, default: int, low: int, high: int | None) -> int:
    raw = handler.get_query_argument(name, str(default))
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidInput(f"'{name}' must be a whole number, not {raw!r}.") from exc
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidInput(f"'{name}' must be {bound}.")
    return value


_ENV = r"(?P<env>[A-Za-z0-9_.-]+)"
ROUTES = [
    (r"pipelines/environments", EnvironmentsHandler),
    (rf"pipelines/{_ENV}", EnvironmentPipelinesHandler),
    (rf"pipelines/{_ENV}/run", RunPipelineHandler),
    (rf"pipelines/{_ENV}/pipelines/(?P<pipeline_id>\d+)", PipelineHandler),
    (rf"pipelines/{_ENV}/pipelines/(?P<pipeline_id>\d+)/test-report", TestReportHandler),
    (rf"pipelines/{_ENV}/jobs/(?P<job_id>\d+)", JobHandler),
    (rf"pipelines/{_ENV}/jobs/(?P<job_id>\d+)/log", JobLogHandler),
]
