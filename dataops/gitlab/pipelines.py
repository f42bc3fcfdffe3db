"""GitLab CI calls: pipelines per branch or commit, jobs, job logs, test summaries, triggering.

Each function is a call (`dataops.gitlab.calls`) that a `dataops.gitlab.client` runner runs.
"""

from __future__ import annotations

import re
from typing import Any

from dataops.errors import InvalidInput
from dataops.gitlab.calls import Call, Request, Together, answer, project_path
from dataops.pipelines.models import Job, Pipeline, TestReportSummary

_VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]{1,255}")


def pipelines(project: str, ref: str | None = None, limit: int = 10, environment: str = "") -> Call:
    """The newest pipelines (of ``ref`` when given), with who started them, durations and jobs."""
    params: dict[str, Any] = {"per_page": min(max(limit, 1), 100), "order_by": "id", "sort": "desc"}
    if ref:
        params["ref"] = ref
    where = f"the pipelines of {ref} in {project}" if ref else f"the pipelines of {project}"
    basics = yield Request("GET", f"{project_path(project)}/pipelines", f"listing {where}", params=params)
    return (yield Together([pipeline(project, b["id"], environment) for b in basics]))


def pipeline_of_commit(project: str, sha: str, environment: str = "") -> Call:
    """The newest pipeline that ran commit ``sha``, with its jobs (None when none ran it)."""
    basics = yield Request(
        "GET",
        f"{project_path(project)}/pipelines",
        f"looking for the pipeline of commit {sha[:12]} in {project}",
        params={"sha": sha, "per_page": 1, "order_by": "id", "sort": "desc"},
    )
    if not basics:
        return None
    return (yield from pipeline(project, basics[0]["id"], environment))


def pipelines_of_commits(project: str, shas: list[str], environment: str = "", concurrency: int = 6) -> Call:
    """`pipeline_of_commit` for each distinct sha (the async runner asks a few at a time)."""
    distinct = list(dict.fromkeys(shas))
    found = yield Together([pipeline_of_commit(project, s, environment) for s in distinct], concurrency)
    return dict(zip(distinct, found, strict=True))


def pipeline(project: str, pipeline_id: int, environment: str = "") -> Call:
    """One pipeline with its jobs in the order they run."""
    detail, ordered = yield Together(
        [
            answer(
                Request(
                    "GET",
                    f"{project_path(project)}/pipelines/{int(pipeline_id)}",
                    f"reading pipeline {int(pipeline_id)} of {project}",
                )
            ),
            jobs(project, pipeline_id),
        ]
    )
    found = Pipeline.from_gitlab(detail, environment)
    found.jobs = ordered
    return found


def jobs(project: str, pipeline_id: int) -> Call:
    """The pipeline's jobs, oldest first (GitLab lists them newest first)."""
    data = yield Request(
        "GET",
        f"{project_path(project)}/pipelines/{int(pipeline_id)}/jobs",
        f"listing the jobs of pipeline {int(pipeline_id)} of {project}",
        params={"per_page": 100},
    )
    return sorted((Job.from_gitlab(j) for j in data), key=lambda j: j.id)


def job(project: str, job_id: int) -> Call:
    """One job."""
    data = yield Request(
        "GET", f"{project_path(project)}/jobs/{int(job_id)}", f"reading job {int(job_id)} of {project}"
    )
    return Job.from_gitlab(data)


def trace(project: str, job_id: int) -> Call:
    """The job's whole log as GitLab has it now (the endpoint has no offset)."""
    return (
        yield Request(
            "GET",
            f"{project_path(project)}/jobs/{int(job_id)}/trace",
            f"reading the log of job {int(job_id)} of {project}",
            expect="bytes",
        )
    )


def test_report_summary(project: str, pipeline_id: int) -> Call:
    """Counts of the JUnit reports published by the pipeline's jobs."""
    data = yield Request(
        "GET",
        f"{project_path(project)}/pipelines/{int(pipeline_id)}/test_report_summary",
        f"reading the test report of pipeline {int(pipeline_id)} of {project}",
    )
    return TestReportSummary.from_gitlab(data)


def trigger(project: str, ref: str, variables: dict[str, str] | None = None, environment: str = "") -> Call:
    """Start a pipeline on ``ref`` with CI/CD variables (strings)."""
    body: dict[str, Any] = {"ref": ref}
    if variables:
        for key in variables:
            if not _VARIABLE_NAME.fullmatch(key):
                raise InvalidInput(f"The CI/CD variable name {key!r} may hold only letters, digits and _.")
        body["variables"] = [{"key": k, "value": str(v)} for k, v in variables.items()]
    data = yield Request(
        "POST", f"{project_path(project)}/pipeline", f"starting a pipeline on {ref} in {project}", json=body
    )
    started = Pipeline.from_gitlab(data, environment)
    started.jobs = yield from jobs(project, started.id)
    return started
