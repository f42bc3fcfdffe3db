"""Projects and the current user: ``GET /projects/{id}``, ``GET /user``."""

from __future__ import annotations

from tests.fakes.gitlab.routing import FakeRequest, FakeResponse, ok, route


@route("GET", "/projects/{id}")
def get_project(req: FakeRequest) -> FakeResponse:
    project = req.project()
    namespace, _, path = project.path_with_namespace.rpartition("/")
    return ok(
        {
            "id": project.id,
            "description": None,
            "name": path,
            "name_with_namespace": f"{namespace} / {path}",
            "path": path,
            "path_with_namespace": project.path_with_namespace,
            "created_at": project.created_at,
            "default_branch": project.default_branch,
            "web_url": req.state.web_url(project),
            "http_url_to_repo": req.state.web_url(project, ".git"),
            "empty_repo": False,
            "archived": False,
            "visibility": "private",
            "merge_requests_enabled": True,
            "permissions": {
                "project_access": {"access_level": project.level(req.user)},
                "group_access": None,
            },
        }
    )


@route("GET", "/user")
def get_user(req: FakeRequest) -> FakeResponse:
    return ok(req.state.user_entity(req.user))
