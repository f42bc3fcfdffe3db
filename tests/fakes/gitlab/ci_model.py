"""CI state of the GitLab fake: pipelines whose jobs run on the clock and whose traces grow.

A test gives a project its pipeline definition with `configure_ci` (a list of `JobPlan`). A pipeline
created through the API (or by a push to a branch matching ``push_branches``) then runs its jobs one
after the other: a running job appends one chunk of its plan to its trace every ``interval`` seconds,
and ends with the planned status. ``interval=None`` leaves the job to the test (`append_trace`,
`finish_job`). State advances lazily, whenever a request reads it, so no thread is needed.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tests.fakes.gitlab.state import GitLabState, Project, User, now_iso

FINISHED = {"success", "failed", "canceled", "skipped"}
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class JobPlan:
    """One job of the pipeline definition."""

    name: str
    stage: str = "test"
    chunks: list[str] = field(default_factory=list)
    interval: float | None = 0.2
    status: str = "success"
    junit: bytes | None = None  # the JUnit report the job "uploads" (test_report_summary reads it)


@dataclass
class FakeJob:
    id: int
    pipeline_id: int
    plan: JobPlan
    user: User
    status: str = "created"
    trace: str = ""
    created_at: str = field(default_factory=now_iso)
    started_at: str | None = None
    finished_at: str | None = None
    started_clock: float | None = None
    finished_clock: float | None = None
    chunks_done: int = 0


@dataclass
class FakePipeline:
    id: int
    iid: int
    project_id: int
    ref: str
    sha: str
    before_sha: str
    source: str
    user: User
    variables: dict[str, str]
    jobs: list[FakeJob]
    status: str = "created"
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    started_at: str | None = None
    finished_at: str | None = None
    started_clock: float | None = None
    finished_clock: float | None = None


def configure_ci(
    state: GitLabState, project: Project, plans: list[JobPlan], push_branches: str | None = r"^deploy/"
) -> None:
    """Give ``project`` a pipeline definition; pushes to branches matching ``push_branches`` start it."""
    with state.lock:
        first = project.id not in state.collection("ci_plans")
        state.collection("ci_plans")[project.id] = plans
        if first and push_branches:

            def on_push(project: Project, branch: str, before: str, after: str, user: User) -> None:
                if project.id in state.collection("ci_plans") and re.search(push_branches, branch):
                    create_pipeline(state, project, branch, after, before, "push", user, {})

            state.on("push", on_push)


def create_pipeline(
    state: GitLabState,
    project: Project,
    ref: str,
    sha: str,
    before_sha: str | None,
    source: str,
    user: User,
    variables: dict[str, str],
    plans: list[JobPlan] | None = None,
) -> FakePipeline:
    """A new pipeline running the project's plan, or ``plans`` when given (its first job starts at once)."""
    if plans is None:
        plans = state.collection("ci_plans")[project.id]
    pid = state.next_id("pipeline")
    iid = sum(1 for p in pipelines(state).values() if p.project_id == project.id) + 1
    jobs = [FakeJob(state.next_id("job"), pid, plan, user) for plan in plans]
    before = before_sha or "0" * 40
    pipeline = FakePipeline(pid, iid, project.id, ref, sha, before, source, user, variables, jobs)
    pipelines(state)[pid] = pipeline
    advance(pipeline)
    return pipeline


def pipelines(state: GitLabState) -> dict[int, FakePipeline]:
    """Every pipeline of the fake, by id."""
    return state.collection("pipelines")


def job_index(state: GitLabState) -> dict[int, tuple[FakePipeline, FakeJob]]:
    """Every job of the fake, by id, with its pipeline."""
    return {j.id: (p, j) for p in pipelines(state).values() for j in p.jobs}


def append_trace(job: FakeJob, text: str) -> None:
    """Append to a running job's log (for jobs the test drives by hand)."""
    assert job.status == "running", f"job {job.plan.name} is {job.status}, not running"
    job.trace += text


def finish_job(pipeline: FakePipeline, job: FakeJob, status: str = "success") -> None:
    """End a hand-driven job; the pipeline moves on."""
    _finish(job, status, time.monotonic())
    advance(pipeline)


def advance(pipeline: FakePipeline, now: float | None = None) -> None:
    """Bring the pipeline to where its clock says it is."""
    now = time.monotonic() if now is None else now
    clock = pipeline.started_clock or now
    for job in pipeline.jobs:
        if job.status in FINISHED:
            clock = job.finished_clock or clock
            if job.status != "success":
                _skip_rest(pipeline)
                break
            continue
        if job.status in ("created", "pending"):
            _start(pipeline, job, clock)
        if not _progress(job, now):
            break  # still running: later jobs wait
        clock = job.finished_clock or now
        if job.status != "success":
            _skip_rest(pipeline)
            break
    _settle(pipeline, now)


def _start(pipeline: FakePipeline, job: FakeJob, clock: float) -> None:
    job.status = "running"
    job.started_clock = clock
    job.started_at = now_iso()
    if pipeline.started_clock is None:
        pipeline.started_clock = clock
        pipeline.started_at = job.started_at


def _progress(job: FakeJob, now: float) -> bool:
    """Append the chunks that are due; True when the job has finished."""
    plan = job.plan
    if plan.interval is None:
        return job.status in FINISHED
    due = min(len(plan.chunks), int((now - job.started_clock) / plan.interval) + 1)
    while job.chunks_done < due:
        job.trace += plan.chunks[job.chunks_done]
        job.chunks_done += 1
    end = job.started_clock + plan.interval * max(len(plan.chunks), 1)
    if now >= end:
        _finish(job, plan.status, end)
    return job.status in FINISHED


def _finish(job: FakeJob, status: str, clock: float) -> None:
    job.status = status
    job.finished_clock = clock
    job.finished_at = now_iso()


def _skip_rest(pipeline: FakePipeline) -> None:
    for job in pipeline.jobs:
        if job.status in ("created", "pending"):
            job.status = "skipped"


def _settle(pipeline: FakePipeline, now: float) -> None:
    statuses = [j.status for j in pipeline.jobs]
    if any(s == "running" for s in statuses):
        status = "running"
    elif any(s == "failed" for s in statuses):
        status = "failed"
    elif all(s in ("success", "skipped") for s in statuses):
        status = "success"
    else:
        status = "pending"
    if status != pipeline.status:
        pipeline.status = status
        pipeline.updated_at = now_iso()
        if status in FINISHED:
            pipeline.finished_clock = now
            pipeline.finished_at = pipeline.updated_at


def duration(start: float | None, end: float | None, now: float | None = None) -> float | None:
    """Seconds between two clock readings (up to now while still running)."""
    if start is None:
        return None
    return (end if end is not None else (now or time.monotonic())) - start


def junit_summary(name: str, job_id: int, junit: bytes) -> dict[str, Any]:
    """TestSuiteSummaryEntity from a JUnit report, as GitLab's parser counts it."""
    root = etree.fromstring(junit, _SAFE_XML)
    cases = list(root.iter("testcase"))
    failed = sum(1 for c in cases if c.find("failure") is not None)
    errors = sum(1 for c in cases if c.find("error") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    total_time = sum(float(c.get("time", 0)) for c in cases)
    return {
        "name": name,
        "total_time": round(total_time),
        "total_count": len(cases),
        "success_count": len(cases) - failed - errors - skipped,
        "failed_count": failed,
        "skipped_count": skipped,
        "error_count": errors,
        "build_ids": [job_id],
    }
