"""GitLab CI of one project (pipelines, jobs, job logs, test summaries, triggering) for the server
and the notebook API, over the product's one GitLab client (`dataops.gitlab`), awaiting.

The token is sent as ``PRIVATE-TOKEN`` and never appears in an error message.
"""

from __future__ import annotations

import httpx

from dataops.gitlab import pipelines as calls
from dataops.gitlab.client import AsyncGitLab
from dataops.gitlab.exchange import RetryPolicy
from dataops.pipelines.models import Job, Pipeline, TestReportSummary

MAX_RETRIES = 3
MAX_RETRY_AFTER = 30.0


class GitLabCI:
    """Pipelines of one GitLab project: ``async with GitLabCI(url, token, project) as ci:``."""

    def __init__(
        self, gitlab_url: str, token: str, project: str, *, client: httpx.AsyncClient | None = None
    ) -> None:
        self.project = project
        self._gitlab = AsyncGitLab(
            gitlab_url, token, retry=RetryPolicy(MAX_RETRIES, MAX_RETRY_AFTER), client=client
        )
        self.gitlab_url = self._gitlab.gitlab_url

    async def __aenter__(self) -> GitLabCI:
        await self._gitlab.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        await self._gitlab.aclose()

    async def pipelines(
        self, ref: str | None = None, *, limit: int = 10, environment: str = ""
    ) -> list[Pipeline]:
        """The newest pipelines (of ``ref`` when given), with who started them, durations and jobs."""
        return await self._gitlab.run(calls.pipelines(self.project, ref, limit, environment))

    async def pipeline_of_commit(self, sha: str, *, environment: str = "") -> Pipeline | None:
        """The newest pipeline that ran commit ``sha``, with its jobs (None when none ran it)."""
        return await self._gitlab.run(calls.pipeline_of_commit(self.project, sha, environment))

    async def pipelines_of_commits(
        self, shas: list[str], *, environment: str = "", concurrency: int = 6
    ) -> dict[str, Pipeline | None]:
        """`pipeline_of_commit` for each distinct sha, a few requests at a time."""
        return await self._gitlab.run(
            calls.pipelines_of_commits(self.project, shas, environment, concurrency)
        )

    async def pipeline(self, pipeline_id: int, *, environment: str = "") -> Pipeline:
        """One pipeline with its jobs in the order they run."""
        return await self._gitlab.run(calls.pipeline(self.project, pipeline_id, environment))

    async def jobs(self, pipeline_id: int) -> list[Job]:
        """The pipeline's jobs, oldest first."""
        return await self._gitlab.run(calls.jobs(self.project, pipeline_id))

    async def job(self, job_id: int) -> Job:
        """One job."""
        return await self._gitlab.run(calls.job(self.project, job_id))

    async def trace(self, job_id: int) -> bytes:
        """The job's whole log as GitLab has it now (the endpoint has no offset)."""
        return await self._gitlab.run(calls.trace(self.project, job_id))

    async def test_report_summary(self, pipeline_id: int) -> TestReportSummary:
        """Counts of the JUnit reports published by the pipeline's jobs."""
        return await self._gitlab.run(calls.test_report_summary(self.project, pipeline_id))

    async def trigger(
        self, ref: str, variables: dict[str, str] | None = None, *, environment: str = ""
    ) -> Pipeline:
        """Start a pipeline on ``ref`` with CI/CD variables (strings)."""
        return await self._gitlab.run(calls.trigger(self.project, ref, variables, environment))
