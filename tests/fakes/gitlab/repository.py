"""Repository: branches, files and commits, all read from and written to the project's git repository."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from tests.fakes.gitlab.routing import ApiError, FakeRequest, FakeResponse, ok, paginated, route
from tests.fakes.gitlab.state import DEVELOPER, GitLabState, Project, User


def branch_entity(state: GitLabState, project: Project, name: str, user: User) -> dict[str, Any]:
    """APIEntitiesBranch, with ``can_push`` for the requesting user."""
    sha = state.head(project, name)
    rule = project.protected.get(name)
    return {
        "name": name,
        "commit": state.commit_entity(project, sha),
        "merged": False,
        "protected": rule is not None,
        "developers_can_push": rule is None or rule.push_access_level <= DEVELOPER,
        "developers_can_merge": rule is None or rule.merge_access_level <= DEVELOPER,
        "can_push": project.can_push(user, name),
        "default": name == project.default_branch,
        "web_url": state.web_url(project, f"/-/tree/{name}"),
    }


@route("GET", "/projects/{id}/repository/branches")
def list_branches(req: FakeRequest) -> FakeResponse:
    project = req.project()
    search = req.arg("search") or ""
    names = [b for b in req.state.branches(project) if search in b]
    return paginated([branch_entity(req.state, project, n, req.user) for n in names], req)


@route("GET", "/projects/{id}/repository/branches/{branch}")
def get_branch(req: FakeRequest) -> FakeResponse:
    project = req.project()
    if req.state.head(project, req.params["branch"]) is None:
        raise ApiError(404, "404 Branch Not Found")
    return ok(branch_entity(req.state, project, req.params["branch"], req.user))


@route("POST", "/projects/{id}/repository/branches")
def create_branch(req: FakeRequest) -> FakeResponse:
    project, state = req.project(), req.state
    name, ref = req.body["branch"], req.body["ref"]
    if state.head(project, name):
        raise ApiError(400, "Branch already exists")
    sha = state.head(project, ref) or state.git(project, "rev-parse", "--verify", "-q", ref, check=False)
    if not sha:
        raise ApiError(400, "Invalid reference name")
    if project.level(req.user) < DEVELOPER:
        raise ApiError(403, "403 Forbidden")
    state.move_branch(project, name, sha, None)
    return ok(branch_entity(state, project, name, req.user), 201)


def _file_at(req: FakeRequest) -> tuple[Project, str, str, bytes]:
    project, state = req.project(), req.state
    ref = req.arg("ref") or project.default_branch
    path = req.params["file_path"]
    found = state.blob(project, ref, path)
    if found is None:
        raise ApiError(404, "404 File Not Found")
    return project, ref, found[0], found[1]


@route("GET", "/projects/{id}/repository/files/{file_path}")
def get_file(req: FakeRequest) -> FakeResponse:
    project, ref, blob_id, data = _file_at(req)
    path = req.params["file_path"]
    return ok(
        {
            "file_name": path.rsplit("/", 1)[-1],
            "file_path": path,
            "size": len(data),
            "encoding": "base64",
            "content": base64.b64encode(data).decode(),
            "content_sha256": hashlib.sha256(data).hexdigest(),
            "ref": ref,
            "blob_id": blob_id,
            "commit_id": req.state.git(project, "rev-parse", ref),
            "last_commit_id": req.state.last_commit_for(project, ref, path),
            "execute_filemode": False,
        }
    )


@route("GET", "/projects/{id}/repository/files/{file_path}/raw")
def get_raw_file(req: FakeRequest) -> FakeResponse:
    *_, data = _file_at(req)
    return FakeResponse(200, raw=data, content_type="text/plain; charset=utf-8")


@route("GET", "/projects/{id}/repository/commits/{sha}")
def get_commit(req: FakeRequest) -> FakeResponse:
    project = req.project()
    sha = req.state.git(
        project, "rev-parse", "--verify", "-q", f"{req.params['sha']}^{{commit}}", check=False
    )
    if not sha:
        raise ApiError(404, "404 Commit Not Found")
    return ok(commit_detail(req.state, project, sha))


def commit_detail(state: GitLabState, project: Project, sha: str) -> dict[str, Any]:
    """APIEntitiesCommitDetail."""
    entity = state.commit_entity(project, sha)
    parent = entity["parent_ids"][0] if entity["parent_ids"] else None
    numstat = state.git(
        project, "diff", "--numstat", parent or "4b825dc642cb6eb9a060e54bf8d69288fbee4904", sha
    )
    adds = dels = 0
    for line in numstat.splitlines():
        a, d, _ = line.split("\t", 2)
        adds += int(a) if a.isdigit() else 0
        dels += int(d) if d.isdigit() else 0
    return {
        **entity,
        "stats": {"additions": adds, "deletions": dels, "total": adds + dels},
        "status": None,
        "project_id": project.id,
        "last_pipeline": None,
    }


@route("POST", "/projects/{id}/repository/commits")
def create_commit(req: FakeRequest) -> FakeResponse:
    """One commit with all actions, or nothing (GitLab's answers for each refusal)."""
    project, state, body = req.project(), req.state, req.body
    branch = body["branch"]
    head = state.head(project, branch)
    start = body.get("start_branch")
    if head and start and start != branch and not body.get("force"):
        raise ApiError(
            400, f"A branch called '{branch}' already exists. Switch to that branch in order to make changes"
        )
    if head is None:
        if not start:
            raise ApiError(400, "You can only create or edit files when you are on a branch")
        head = state.head(project, start)
        if head is None:
            raise ApiError(400, f"Cannot find start_branch '{start}'")
    if project.level(req.user) < DEVELOPER or (
        state.head(project, branch) and not project.can_push(req.user, branch)
    ):
        raise ApiError(403, "403 Forbidden - You are not allowed to push into this branch")
    files: dict[str, bytes | None] = {}
    for action in body["actions"]:
        path, kind = action["file_path"], action["action"]
        exists = state.blob(project, head, path) is not None
        if kind == "create" and exists:
            raise ApiError(400, "A file with this name already exists")
        if kind in ("update", "delete") and not exists:
            raise ApiError(400, "A file with this name doesn't exist")
        wanted = action.get("last_commit_id")
        if wanted and kind != "create" and state.last_commit_for(project, head, path) != wanted:
            raise ApiError(
                400, "You are attempting to update a file that has changed since you started editing it."
            )
        if kind not in ("create", "update", "delete"):
            raise ApiError(400, f"The fake does not implement the '{kind}' action")
        content = action.get("content", "")
        data = base64.b64decode(content) if action.get("encoding") == "base64" else content.encode()
        files[path] = None if kind == "delete" else data
    sha = state.write_commit(project, head, files, body["commit_message"], req.user)
    before = state.head(project, branch)
    if not state.move_branch(project, branch, sha, before):
        raise ApiError(
            400, "You are attempting to update a file that has changed since you started editing it."
        )
    state.emit("push", project=project, branch=branch, before=before, after=sha, user=req.user)
    return ok(commit_detail(state, project, sha), 201)
