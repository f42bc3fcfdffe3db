"""CI endpoints: pipelines, their jobs, job logs and the test report summary (see `ci_model`)."""

from __future__ import annotations

from typing import Any

from tests.fakes.gitlab.ci_model import (
    FakeJob,
    FakePipeline,
    advance,
    create_pipeline,
    duration,
    job_index,
    junit_summary,
    pipelines,
)
from tests.fakes.gitlab.routing import ApiError, FakeRequest, FakeResponse, ok, paginated, route
from tests.fakes.gitlab.state import DEVELOPER, REPORTER, GitLabState, Project


def _basic(state: GitLabState, project: Project, p: FakePipeline) -> dict[str, Any]:
    """APIEntitiesCiPipelineBasic."""
    return {
        "id": p.id,
        "iid": p.iid,
        "project_id": p.project_id,
        "sha": p.sha,
        "ref": p.ref,
        "status": p.status,
        "source": p.source,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "web_url": state.web_url(project, f"/-/pipelines/{p.id}"),
    }


def _full(state: GitLabState, project: Project, p: FakePipeline) -> dict[str, Any]:
    """APIEntitiesCiPipeline(WithMetadata)."""
    seconds = duration(p.started_clock, p.finished_clock)
    return {
        **_basic(state, project, p),
        "before_sha": p.before_sha,
        "tag": False,
        "user": state.user_entity(p.user),
        "started_at": p.started_at,
        "finished_at": p.finished_at,
        "committed_at": p.created_at,
        "duration": int(seconds) if seconds is not None and p.finished_clock else None,
        "queued_duration": 0,
        "coverage": None,
        "archived": False,
    }


def _job(state: GitLabState, project: Project, p: FakePipeline, j: FakeJob) -> dict[str, Any]:
    """APIEntitiesCiJob."""
    user = {k: v for k, v in state.user_entity(j.user).items() if v is not None}
    body = {
        "id": j.id,
        "status": j.status,
        "stage": j.plan.stage,
        "name": j.plan.name,
        "ref": p.ref,
        "tag": False,
        "coverage": None,
        "allow_failure": False,
        "created_at": j.created_at,
        "started_at": j.started_at,
        "finished_at": j.finished_at,
        "erased_at": None,
        "duration": duration(j.started_clock, j.finished_clock),
        "queued_duration": 0.0 if j.started_at else None,
        "user": user,
        "pipeline": _basic(state, project, p),
        "web_url": state.web_url(project, f"/-/jobs/{j.id}"),
        "archived": False,
        "tag_list": [],
    }
    if j.status == "failed":
        body["failure_reason"] = "script_failure"
    return body


def _pipeline(req: FakeRequest) -> tuple[Project, FakePipeline]:
    project = req.project()
    p = pipelines(req.state).get(int(req.params["pipeline_id"]))
    if p is None or p.project_id != project.id:
        raise ApiError(404, "404 Not found")
    advance(p)
    return project, p


def _find_job(req: FakeRequest) -> tuple[Project, FakePipeline, FakeJob]:
    project = req.project()
    found = job_index(req.state).get(int(req.params["job_id"]))
    if found is None or found[0].project_id != project.id:
        raise ApiError(404, "404 Job Not Found")
    advance(found[0])
    return project, found[0], found[1]


@route("GET", "/projects/{id}/pipelines")
def list_pipelines(req: FakeRequest) -> FakeResponse:
    project = req.project()
    if project.level(req.user) < REPORTER:
        raise ApiError(403, "403 Forbidden")
    items = [p for p in pipelines(req.state).values() if p.project_id == project.id]
    for p in items:
        advance(p)
    for name in ("ref", "status", "source", "sha"):
        value = req.arg(name)
        if value is not None:
            items = [p for p in items if getattr(p, name) == value]
    if req.arg("username") is not None:
        items = [p for p in items if p.user.username == req.arg("username")]
    order = req.arg("order_by", "id")
    items.sort(key=lambda p: p.user.id if order == "user_id" else getattr(p, order))
    if req.arg("sort", "desc") == "desc":
        items.reverse()
    return paginated([_basic(req.state, project, p) for p in items], req)


@route("POST", "/projects/{id}/pipeline")
def create(req: FakeRequest) -> FakeResponse:
    project, state = req.project(), req.state
    if project.level(req.user) < DEVELOPER:
        raise ApiError(403, "403 Forbidden")
    ref = req.body["ref"]
    sha = state.head(project, ref)
    if sha is None:
        raise ApiError(400, {"base": ["Reference not found"]})
    if project.id not in state.collection("ci_plans"):
        raise ApiError(400, {"base": ["Missing CI config file"]})
    variables = {v["key"]: v.get("value", "") for v in req.body.get("variables", [])}
    p = create_pipeline(state, project, ref, sha, None, "api", req.user, variables)
    return ok(_full(state, project, p), 201)


@route("GET", "/projects/{id}/pipelines/{pipeline_id}")
def get_pipeline(req: FakeRequest) -> FakeResponse:
    project, p = _pipeline(req)
    return ok(_full(req.state, project, p))


@route("GET", "/projects/{id}/pipelines/{pipeline_id}/jobs")
def list_jobs(req: FakeRequest) -> FakeResponse:
    project, p = _pipeline(req)
    scope = req.query.get("scope")
    jobs = [j for j in p.jobs if not scope or j.status in scope]
    # GitLab lists a pipeline's jobs newest first
    return paginated([_job(req.state, project, p, j) for j in reversed(jobs)], req)


@route("GET", "/projects/{id}/pipelines/{pipeline_id}/test_report_summary")
def test_report_summary(req: FakeRequest) -> FakeResponse:
    _, p = _pipeline(req)
    suites = [
        junit_summary(j.plan.name, j.id, j.plan.junit)
        for j in p.jobs
        if j.plan.junit is not None and j.status in ("success", "failed")
    ]
    total = {
        "time": sum(s["total_time"] for s in suites),
        "count": sum(s["total_count"] for s in suites),
        "success": sum(s["success_count"] for s in suites),
        "failed": sum(s["failed_count"] for s in suites),
        "skipped": sum(s["skipped_count"] for s in suites),
        "error": sum(s["error_count"] for s in suites),
        "suite_error": None,
    }
    return ok({"total": total, "test_suites": suites})


@route("GET", "/projects/{id}/jobs/{job_id}")
def get_job(req: FakeRequest) -> FakeResponse:
    project, p, j = _find_job(req)
    return ok(_job(req.state, project, p, j))


@route("GET", "/projects/{id}/jobs/{job_id}/trace")
def get_trace(req: FakeRequest) -> FakeResponse:
    _, _, j = _find_job(req)
    # GitLab answers the whole log every time (no offset); clients must cut what they already have.
    return FakeResponse(200, raw=j.trace.encode(), content_type="text/plain; charset=utf-8")
