"""The notebook API: ``dataops.list_pipelines(env="test")`` and ``dataops.pipeline(id).logs(follow=True)``.

The same rule as the Deploy panel's: only people who may see an environment's promotions see its
pipelines and job logs (`dataops.pipelines.environment`).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO, TypeVar
from urllib.parse import quote

from dataops.errors import InvalidInput, NotFound
from dataops.pipelines.access import CITarget, ci_targets, gitlab_token
from dataops.pipelines.environment import EnvironmentCI, visible_target
from dataops.pipelines.gitlab import GitLabCI
from dataops.pipelines.models import Job, Pipeline, TestReportSummary
from dataops.pipelines.trace import TraceFollower
from dataops.promotion.access import Identity
from dataops.promotion.api import current_identity
from dataops.service.client import service_client
from dataops.settings import settings_for
from dataops.sync import run_sync

T = TypeVar("T")


def list_pipelines(env: str, limit: int = 10, *, user: Identity | None = None) -> list[Pipeline]:
    """The newest pipelines of environment ``env``'s deployment branch, with their jobs (`Forbidden`
    when you may not see ``env``'s promotions).

    Under JupyterHub with the DataOps service (``DATAOPS_SERVICE_URL``) the service reads them with
    its credentials, for environments whose promotions you may see (``user`` decides nothing there).
    """
    client = service_client()
    if client is not None:
        answer = client.call("GET", f"pipelines/{quote(env, safe='')}", params={"limit": limit})
        return [Pipeline.from_json(p) for p in answer["pipelines"]]
    target = visible_target(settings_for(), env, user or current_identity())
    return _call(target, lambda ci: ci.pipelines(limit))


def pipeline(pipeline_id: int, env: str | None = None, *, user: Identity | None = None) -> PipelineView:
    """A handle on one pipeline of environment ``env`` (by default, the environment whose branch it
    ran on); `Forbidden` when you may not see that environment's promotions."""
    settings = settings_for()
    who = user or current_identity()
    if env is None:
        env = _environment_of(int(pipeline_id), ci_targets(settings.config))
    return PipelineView(int(pipeline_id), visible_target(settings, env, who))


def _environment_of(pipeline_id: int, targets: list[CITarget]) -> str:
    projects = {(t.gitlab_url, t.project) for t in targets}
    if not projects:
        raise NotFound("No deployment environment with a gitlab_project is configured.")
    if len(projects) > 1:
        names = ", ".join(t.environment for t in targets)
        raise InvalidInput(
            f"Environments {names} use different GitLab projects; "
            f"say which one: dataops.pipeline({pipeline_id}, env=...)."
        )

    async def ref() -> str:
        first = targets[0]
        async with GitLabCI(first.gitlab_url, gitlab_token(), first.project) as ci:
            return (await ci.pipeline(pipeline_id)).ref

    branch = run_sync(ref())
    for target in targets:
        if target.branch == branch:
            return target.environment
    raise NotFound(f"Pipeline {pipeline_id} did not run on the branch of a deployment environment.")


class PipelineView:
    """One pipeline: its current state, its job logs (``follow=True`` streams them live), its tests."""

    def __init__(self, pipeline_id: int, target: CITarget) -> None:
        self.id = pipeline_id
        self.target = target

    def refresh(self) -> Pipeline:
        """The pipeline as GitLab reports it now, with its jobs."""
        return _call(self.target, lambda ci: ci.pipeline(self.id))

    @property
    def status(self) -> str:
        """The pipeline's current status (``running``, ``success``, ``failed``, ...)."""
        return self.refresh().status

    def test_report(self) -> TestReportSummary:
        """Counts of the JUnit reports the pipeline published (the notebooks of ``dataops run``)."""
        return _call(self.target, lambda ci: ci.test_report(self.id))

    def logs(
        self,
        job: str | int | None = None,
        *,
        follow: bool = False,
        interval: float = 2.0,
        out: TextIO | None = None,
    ) -> str | None:
        """The jobs' logs (one job when named). ``follow=True`` prints them as they grow until the
        pipeline ends and returns None; otherwise the logs so far are returned as one string."""
        if not follow:
            return _call(self.target, lambda ci: self._collect(ci, job))
        _call(self.target, lambda ci: self._follow(ci, job, interval, out or sys.stdout))
        return None

    async def _collect(self, ci: EnvironmentCI, job: str | int | None) -> str:
        jobs = _select((await ci.pipeline(self.id)).jobs, job)
        parts = []
        for j in jobs:
            if j.started_at or j.finished:
                parts.append(_header(j) + (await ci.trace(j)).decode("utf-8", "replace"))
        return "".join(parts)

    async def _follow(self, ci: EnvironmentCI, job: str | int | None, interval: float, out: TextIO) -> None:
        followers: dict[int, TraceFollower] = {}
        current: int | None = None
        while True:
            state = await ci.pipeline(self.id)
            for j in _select(state.jobs, job):
                if not (j.started_at or j.finished) or j.status == "skipped":
                    continue
                follower = followers.setdefault(j.id, TraceFollower())
                piece = follower.feed(await ci.trace(j))
                if piece.content and current != j.id:
                    out.write(_header(j))
                    current = j.id
                out.write(piece.content)
            out.flush()
            if state.finished:
                took = f" in {state.duration:.0f} s" if state.duration is not None else ""
                out.write(f"\n── pipeline #{state.id}: {state.status}{took} ──\n")
                out.flush()
                return
            await asyncio.sleep(interval)

    def __repr__(self) -> str:
        return f"<pipeline {self.id} of {self.target.project} ({self.target.environment})>"


def _select(jobs: list[Job], job: str | int | None) -> list[Job]:
    if job is None:
        return jobs
    chosen = [j for j in jobs if job in (j.id, j.name)]
    if not chosen:
        names = ", ".join(j.name for j in jobs)
        raise NotFound(f"The pipeline has no job {job!r} (its jobs: {names}).")
    return chosen


def _header(job: Job) -> str:
    return f"\n── {job.name} ({job.stage}, job {job.id}) ──\n"


def _call(target: CITarget, work: Callable[[EnvironmentCI], Awaitable[T]]) -> T:
    """Run async client code to completion, also from a kernel whose event loop is already running."""

    async def main() -> T:
        async with EnvironmentCI(target, gitlab_token) as ci:
            return await work(ci)

    return run_sync(main())
