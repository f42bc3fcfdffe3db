"""Merge requests: create (409 when an open one exists), list, get, update, approve, merge with git."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.gitlab.routing import ApiError, FakeRequest, FakeResponse, ok, paginated, route
from tests.fakes.gitlab.state import DEVELOPER, GitLabState, Project, User, now_iso


@dataclass
class MergeRequest:
    id: int
    iid: int
    project_id: int
    title: str
    description: str | None
    source_branch: str
    target_branch: str
    author: User
    state: str = "opened"
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    merged_at: str | None = None
    merged_by: User | None = None
    merge_commit_sha: str | None = None
    approved_by: list[User] = field(default_factory=list)


def _mrs(state: GitLabState, project: Project) -> dict[int, MergeRequest]:
    return state.collection(f"merge_requests:{project.id}")


def _get(req: FakeRequest) -> tuple[Project, MergeRequest]:
    project = req.project()
    mr = _mrs(req.state, project).get(int(req.params["merge_request_iid"]))
    if mr is None:
        raise ApiError(404, "404 Not found")
    return project, mr


def _merge_tree(state: GitLabState, project: Project, mr: MergeRequest) -> str | None:
    """The tree of merging source into target, or None on conflicts (``git merge-tree``)."""
    done = subprocess.run(
        [
            "git",
            "merge-tree",
            "--write-tree",
            f"refs/heads/{mr.target_branch}",
            f"refs/heads/{mr.source_branch}",
        ],
        cwd=project.repo,
        capture_output=True,
    )
    return done.stdout.decode().split("\n", 1)[0] if done.returncode == 0 else None


def mr_entity(state: GitLabState, project: Project, mr: MergeRequest) -> dict[str, Any]:
    """APIEntitiesMergeRequest (live types, see spec.py item 4)."""
    sha = state.head(project, mr.source_branch)
    conflicts = mr.state == "opened" and _merge_tree(state, project, mr) is None
    status = "cannot_be_merged" if conflicts else "can_be_merged"
    approved = len(mr.approved_by) >= project.approvals_required
    detailed = "mergeable" if not conflicts and approved else ("conflict" if conflicts else "not_approved")
    return {
        "id": mr.id,
        "iid": mr.iid,
        "project_id": project.id,
        "title": mr.title,
        "description": mr.description,
        "state": mr.state,
        "created_at": mr.created_at,
        "updated_at": mr.updated_at,
        "merged_by": state.user_entity(mr.merged_by) if mr.merged_by else None,
        "merged_at": mr.merged_at,
        "closed_by": None,
        "closed_at": None,
        "target_branch": mr.target_branch,
        "source_branch": mr.source_branch,
        "user_notes_count": 0,
        "author": state.user_entity(mr.author),
        "assignees": [],
        "assignee": None,
        "reviewers": [],
        "source_project_id": project.id,
        "target_project_id": project.id,
        "labels": [],
        "draft": False,
        "work_in_progress": False,
        "merge_when_pipeline_succeeds": False,
        "merge_status": status,
        "detailed_merge_status": "merged" if mr.state == "merged" else detailed,
        "sha": sha or "",
        "merge_commit_sha": mr.merge_commit_sha,
        "squash_commit_sha": None,
        "has_conflicts": conflicts,
        "reference": f"!{mr.iid}",
        "web_url": state.web_url(project, f"/-/merge_requests/{mr.iid}"),
        "squash": False,
    }


@route("POST", "/projects/{id}/merge_requests")
def create_mr(req: FakeRequest) -> FakeResponse:
    project, state, body = req.project(), req.state, req.body
    for key in ("source_branch", "target_branch", "title"):
        if not body.get(key):
            raise ApiError(400, f"{key} is missing")
    if project.level(req.user) < DEVELOPER:
        raise ApiError(403, "403 Forbidden")
    for name in (body["source_branch"], body["target_branch"]):
        if state.head(project, name) is None:
            raise ApiError(404, f"404 Branch {name} Not Found")
    for mr in _mrs(state, project).values():
        same = (mr.source_branch, mr.target_branch) == (body["source_branch"], body["target_branch"])
        if same and mr.state == "opened":
            raise ApiError(
                409, [f"Another open merge request already exists for this source branch: !{mr.iid}"]
            )
    iid = state.next_id(f"mr_iid:{project.id}")
    mr = MergeRequest(
        state.next_id("merge_request"),
        iid,
        project.id,
        body["title"],
        body.get("description"),
        body["source_branch"],
        body["target_branch"],
        req.user,
    )
    _mrs(state, project)[iid] = mr
    return ok(mr_entity(state, project, mr), 201)


@route("GET", "/projects/{id}/merge_requests")
def list_mrs(req: FakeRequest) -> FakeResponse:
    project, state = req.project(), req.state
    wanted = req.arg("state") or "all"
    found = [
        mr
        for mr in sorted(_mrs(state, project).values(), key=lambda m: -m.iid)
        if wanted in ("all", mr.state)
        and req.arg("source_branch") in (None, mr.source_branch)
        and req.arg("target_branch") in (None, mr.target_branch)
    ]
    return paginated([mr_entity(state, project, mr) for mr in found], req)


@route("GET", "/projects/{id}/merge_requests/{merge_request_iid}")
def get_mr(req: FakeRequest) -> FakeResponse:
    project, mr = _get(req)
    return ok(mr_entity(req.state, project, mr))


@route("PUT", "/projects/{id}/merge_requests/{merge_request_iid}")
def update_mr(req: FakeRequest) -> FakeResponse:
    project, mr = _get(req)
    body = req.body or {}
    mr.title = body.get("title", mr.title)
    mr.description = body.get("description", mr.description)
    if body.get("state_event") == "close":
        mr.state = "closed"
    elif body.get("state_event") == "reopen" and mr.state == "closed":
        mr.state = "opened"
    mr.updated_at = now_iso()
    return ok(mr_entity(req.state, project, mr))


@route("POST", "/projects/{id}/merge_requests/{merge_request_iid}/approve")
def approve_mr(req: FakeRequest) -> FakeResponse:
    project, mr = _get(req)
    if req.user.id == mr.author.id:
        raise ApiError(401, "401 Unauthorized")  # GitLab: authors cannot approve their own MR by default
    if req.user not in mr.approved_by:
        mr.approved_by.append(req.user)
    return ok(
        {
            "user_has_approved": True,
            "user_can_approve": False,
            "approved": len(mr.approved_by) >= project.approvals_required,
            "approved_by": [{"user": req.state.user_entity(u)} for u in mr.approved_by],
        },
        201,
    )


@route("GET", "/projects/{id}/merge_requests/{merge_request_iid}/approval_state")
def approval_state(req: FakeRequest) -> FakeResponse:
    project, mr = _get(req)
    users = [req.state.user_entity(u) for u in mr.approved_by]
    rule = {
        "id": project.id,
        "name": "All Members",
        "rule_type": "any_approver",
        "eligible_approvers": [],
        "approvals_required": project.approvals_required,
        "users": [],
        "groups": [],
        "contains_hidden_groups": False,
        "approved_by": users,
        "approved": len(users) >= project.approvals_required,
        "overridden": False,
        "code_owner": False,
    }
    return ok({"approval_rules_overwritten": False, "rules": [rule]})


@route("PUT", "/projects/{id}/merge_requests/{merge_request_iid}/merge")
def merge_mr(req: FakeRequest) -> FakeResponse:
    project, mr = _get(req)
    state = req.state
    if mr.state != "opened":
        raise ApiError(405, "405 Method Not Allowed")
    rule = project.protected.get(mr.target_branch)
    if project.level(req.user) < (rule.merge_access_level if rule else DEVELOPER):
        raise ApiError(401, "401 Unauthorized")
    if len(mr.approved_by) < project.approvals_required:
        raise ApiError(405, "405 Method Not Allowed")
    tree = _merge_tree(state, project, mr)
    if tree is None:
        raise ApiError(422, "Branch cannot be merged")
    target, source = state.head(project, mr.target_branch), state.head(project, mr.source_branch)
    if (req.body or {}).get("sha") not in (None, source):
        raise ApiError(409, "SHA does not match HEAD of source branch")
    message = (
        f"Merge branch '{mr.source_branch}' into '{mr.target_branch}'\n\n{mr.title}\n\n"
        f"See merge request !{mr.iid}"
    )
    sha = state.git(project, "commit-tree", tree, "-p", target, "-p", source, "-m", message)
    if not state.move_branch(project, mr.target_branch, sha, target):
        raise ApiError(409, "The target branch moved; try again")
    mr.state, mr.merged_at, mr.merged_by, mr.merge_commit_sha = "merged", now_iso(), req.user, sha
    state.emit("push", project=project, branch=mr.target_branch, before=target, after=sha, user=req.user)
    return ok(mr_entity(state, project, mr))
