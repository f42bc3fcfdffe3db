"""GitLab CI over REST v4: pipelines per branch, jobs, job logs, test summaries, triggering.

Async (`httpx.AsyncClient`) so the server never blocks; the notebook API drives it from a thread.
The token is sent as ``PRIVATE-TOKEN`` and never appears in an error message.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import quote

import httpx

from dataops.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    RemoteError,
    Unauthorized,
    Unreachable,
)
from dataops.pipelines.models import Job, Pipeline, TestReportSummary

MAX_RETRIES = 3
MAX_RETRY_AFTER = 30.0
_VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]{1,255}")


class GitLabCI:
    """Pipelines of one GitLab project."""

    def __init__(
        self, gitlab_url: str, token: str, project: str, *, client: httpx.AsyncClient | None = None
    ) -> None:
        self.gitlab_url = gitlab_url.rstrip("/")
        self.project = project
        self._api = f"{self.gitlab_url}/api/v4/projects/{quote(project, safe='')}"
        self._headers = {"PRIVATE-TOKEN": token} if token else {}
        self._client = client
        self._own_client = client is None

    async def __aenter__(self) -> GitLabCI:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=30.0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- reads ------------------------------------------------------------------------------
    async def pipelines(
        self, ref: str | None = None, *, limit: int = 10, environment: str = ""
    ) -> list[Pipeline]:
        """The newest pipelines (of ``ref`` when given), with who started them, durations and jobs."""
        params: dict[str, Any] = {"per_page": min(max(limit, 1), 100), "order_by": "id", "sort": "desc"}
        if ref:
            params["ref"] = ref
        basics = await self._get_json("/pipelines", params=params)
        return list(await asyncio.gather(*(self.pipeline(b["id"], environment=environment) for b in basics)))

    async def pipeline_of_commit(self, sha: str, *, environment: str = "") -> Pipeline | None:
        """The newest pipeline that ran commit ``sha``, with its jobs (None when none ran it)."""
        params = {"sha": sha, "per_page": 1, "order_by": "id", "sort": "desc"}
        basics = await self._get_json("/pipelines", params=params)
        return await self.pipeline(basics[0]["id"], environment=environment) if basics else None

    async def pipelines_of_commits(
        self, shas: list[str], *, environment: str = "", concurrency: int = 6
    ) -> dict[str, Pipeline | None]:
        """`pipeline_of_commit` for each distinct sha, a few requests at a time."""
        gate = asyncio.Semaphore(concurrency)

        async def one(sha: str) -> Pipeline | None:
            async with gate:
                return await self.pipeline_of_commit(sha, environment=environment)

        distinct = list(dict.fromkeys(shas))
        return dict(zip(distinct, await asyncio.gather(*(one(s) for s in distinct)), strict=True))

    async def pipeline(self, pipeline_id: int, *, environment: str = "") -> Pipeline:
        """One pipeline with its jobs in the order they run."""
        detail, jobs = await asyncio.gather(
            self._get_json(f"/pipelines/{int(pipeline_id)}"), self.jobs(pipeline_id)
        )
        pipeline = Pipeline.from_gitlab(detail, environment)
        pipeline.jobs = jobs
        return pipeline

    async def jobs(self, pipeline_id: int) -> list[Job]:
        """The pipeline's jobs, oldest first (GitLab lists them newest first)."""
        data = await self._get_json(f"/pipelines/{int(pipeline_id)}/jobs", params={"per_page": 100})
        return sorted((Job.from_gitlab(j) for j in data), key=lambda j: j.id)

    async def job(self, job_id: int) -> Job:
        """One job."""
        return Job.from_gitlab(await self._get_json(f"/jobs/{int(job_id)}"))

    async def trace(self, job_id: int) -> bytes:
        """The job's whole log as GitLab has it now (the endpoint has no offset)."""
        return (await self._request("GET", f"/jobs/{int(job_id)}/trace")).content

    async def test_report_summary(self, pipeline_id: int) -> TestReportSummary:
        """Counts of the JUnit reports published by the pipeline's jobs."""
        return TestReportSummary.from_gitlab(
            await self._get_json(f"/pipelines/{int(pipeline_id)}/test_report_summary")
        )

    # -- writes -----------------------------------------------------------------------------
    async def trigger(
        self, ref: str, variables: dict[str, str] | None = None, *, environment: str = ""
    ) -> Pipeline:
        """Start a pipeline on ``ref`` with CI/CD variables (strings)."""
        body: dict[str, Any] = {"ref": ref}
        if variables:
            for key in variables:
                if not _VARIABLE_NAME.fullmatch(key):
                    raise InvalidInput(
                        f"The CI/CD variable name {key!r} may hold only letters, digits and _."
                    )
            body["variables"] = [{"key": k, "value": str(v)} for k, v in variables.items()]
        data = (await self._request("POST", "/pipeline", json=body)).json()
        pipeline = Pipeline.from_gitlab(data, environment)
        pipeline.jobs = await self.jobs(pipeline.id)
        return pipeline

    # -- transport --------------------------------------------------------------------------
    async def _get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return (await self._request("GET", path, params=params)).json()

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self._client is None:
            raise RuntimeError("use GitLabCI as 'async with GitLabCI(...) as ci:'")
        for attempt in range(MAX_RETRIES + 1):
            try:
                response = await self._client.request(
                    method, self._api + path, headers=self._headers, **kwargs
                )
            except httpx.HTTPError as exc:
                raise Unreachable(
                    f"GitLab at {self.gitlab_url} could not be reached: {type(exc).__name__}."
                ) from exc
            if response.status_code == 429 and attempt < MAX_RETRIES:
                await asyncio.sleep(_retry_after(response))
                continue
            _raise_for_status(response, self.gitlab_url, self.project)
            return response
        raise AssertionError("unreachable")  # the loop returns or raises


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "1")), MAX_RETRY_AFTER)
    except ValueError:
        return 1.0


def _raise_for_status(response: httpx.Response, gitlab_url: str, project: str) -> None:
    status = response.status_code
    if status < 400:
        return
    reason = _reason(response)
    if status == 401:
        raise Unauthorized(f"GitLab at {gitlab_url} refused the token: check the server's GitLab token.")
    if status == 403:
        raise Forbidden(f"GitLab does not allow this account to do that in {project}: {reason}")
    if status == 404:
        raise NotFound(f"GitLab has no such pipeline, job or project ({project}): {reason}")
    if status == 400:
        raise InvalidInput(f"GitLab refused to start the pipeline: {reason}")
    if status == 429:
        raise RateLimited("GitLab asked us to slow down; try again in a minute.")
    if status >= 500:
        raise Unreachable(f"GitLab at {gitlab_url} answered {status}: it may be down or overloaded.")
    raise RemoteError(f"GitLab answered {status}: {reason}")


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    message = body.get("message", body.get("error", "")) if isinstance(body, dict) else body
    if isinstance(message, dict):  # {"base": ["Reference not found"]}
        return "; ".join(" ".join(v) if isinstance(v, list) else str(v) for v in message.values())
    return str(message)
