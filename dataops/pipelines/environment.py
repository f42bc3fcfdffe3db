"""One environment's CI as a user may see it: the server's pipeline routes and the notebook API both
go through here, so the rule is written once.

Who may see an environment's pipelines, jobs and job logs is who may see its promotion history
(`dataops.promotion.access.may_see_pipelines`). A pipeline or job asked for by id must have run on
the environment's branch: GitLab's ids are project-wide, and without this check a job of a hidden
environment could be read through a visible one.
"""

from __future__ import annotations

from collections.abc import Callable

from dataops.errors import Forbidden, NotFound
from dataops.pipelines.access import CITarget, ci_target
from dataops.pipelines.gitlab import GitLabCI
from dataops.pipelines.local import LocalCI
from dataops.pipelines.models import Job, Pipeline, TestReportSummary
from dataops.promotion.access import Identity, may_see_pipelines
from dataops.settings import Settings


def visible_target(settings: Settings, env_id: str, who: Identity) -> CITarget:
    """The CI target of ``env_id`` for ``who``: `NotFound` when no such environment is configured,
    `Forbidden` with the sentence when ``who`` may not see its pipelines, `NotConfigured` when it
    has no GitLab project."""
    decision = may_see_pipelines(settings.promotion.environment(env_id), who)
    if not decision.allowed:
        raise Forbidden(decision.reason)
    return ci_target(env_id, settings.config)


class EnvironmentCI:
    """The pipelines of one environment's branch: ``async with EnvironmentCI(target, token) as ci:``,
    from GitLab (``token`` is asked for then) or, for a plain git remote, its local pipelines.

    Every pipeline and job it returns ran on ``target.branch``; any other id is `NotFound`.
    """

    def __init__(self, target: CITarget, token: Callable[[], str]) -> None:
        self.target = target
        self._ci: GitLabCI | LocalCI
        if target.local_root is not None:
            self._ci = LocalCI(target)
        else:
            self._ci = GitLabCI(target.gitlab_url, token(), target.project)

    async def __aenter__(self) -> EnvironmentCI:
        await self._ci.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._ci.aclose()

    async def pipelines(self, limit: int = 10) -> list[Pipeline]:
        """The newest ``limit`` pipelines of the branch, with their jobs."""
        return await self._ci.pipelines(self.target.branch, limit=limit, environment=self.target.environment)

    async def pipeline(self, pipeline_id: int) -> Pipeline:
        """One pipeline of the branch, with its jobs."""
        found = await self._ci.pipeline(pipeline_id, environment=self.target.environment)
        self._check(found.ref, f"Pipeline {pipeline_id}")
        return found

    async def test_report(self, pipeline_id: int) -> TestReportSummary:
        """The JUnit summary of one pipeline of the branch."""
        await self.pipeline(pipeline_id)
        return await self._ci.test_report_summary(pipeline_id)

    async def job(self, job_id: int) -> Job:
        """One job of one of the branch's pipelines."""
        found = await self._ci.job(job_id)
        self._check(found.ref, f"Job {job_id}")
        return found

    async def trace(self, job: Job) -> bytes:
        """The whole log of ``job`` (one of a pipeline this object returned)."""
        self._check(job.ref, f"Job {job.id}")
        return await self._ci.trace(job.id)

    async def job_log(self, job_id: int) -> tuple[Job, bytes]:
        """The job's state, then its whole log: read in this order, a log read after a finished
        state is known to be complete."""
        found = await self.job(job_id)
        return found, await self._ci.trace(job_id)

    async def trigger(self, variables: dict[str, str], user: str = "") -> Pipeline:
        """Start a pipeline on the branch (the caller checks that the user may promote there; GitLab
        records the token's account as who started it, a local pipeline ``user``)."""
        if isinstance(self._ci, LocalCI):
            return await self._ci.trigger(self.target.branch, variables, user=user)
        return await self._ci.trigger(self.target.branch, variables, environment=self.target.environment)

    def _check(self, ref: str, what: str) -> None:
        if ref != self.target.branch:
            # the other ref is not named: it may be a hidden environment's branch
            raise NotFound(
                f"{what} did not run on {self.target.environment}'s branch {self.target.branch}; "
                "ask for it under the environment it belongs to."
            )
