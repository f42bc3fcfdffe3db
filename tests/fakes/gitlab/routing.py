"""How resource modules declare the endpoints they serve.

A module in this package registers handlers with ``@route("GET", "/projects/{id}/...")`` (the
template as written in the OpenAPI document, without ``/api/v4``). The server imports every module
of the package, so a new resource group is one new file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.gitlab.state import GitLabState, Project, User

API = "/api/v4"


@dataclass
class FakeRequest:
    """One authenticated request as a handler sees it."""

    state: GitLabState
    user: User
    method: str
    params: dict[str, str]
    query: dict[str, list[str]]
    body: Any

    def arg(self, name: str, default: Any = None) -> Any:
        """A query parameter (first value) or JSON body field."""
        if name in self.query:
            return self.query[name][0]
        if isinstance(self.body, dict):
            return self.body.get(name, default)
        return default

    def project(self) -> Project:
        """The project named by ``{id}``; 404 when missing or the user is not a member."""
        project = self.state.project(self.params["id"])
        if project is None or project.level(self.user) == 0:
            raise ApiError(404, "404 Project Not Found")
        return project


@dataclass
class FakeResponse:
    """What a handler answers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json"

    def encode(self) -> bytes:
        return self.raw if self.raw is not None else json.dumps(self.body).encode()


class ApiError(Exception):
    """Raise from a handler to answer ``{"message": ...}`` with ``status``, as GitLab does."""

    def __init__(self, status: int, message: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(str(message))
        self.status = status
        self.message = message
        self.headers = headers or {}


Handler = Callable[[FakeRequest], FakeResponse]


@dataclass
class Route:
    method: str
    template: str
    handler: Handler


ROUTES: list[Route] = []


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``method`` + ``/api/v4`` + ``template``."""

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, API + template, handler))
        return handler

    return register


def ok(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> FakeResponse:
    """A JSON answer."""
    return FakeResponse(status, body, headers or {})


def paginated(items: list[Any], req: FakeRequest) -> FakeResponse:
    """A list answer with GitLab's pagination headers (not in the document: README item 3)."""
    page = int(req.arg("page", 1))
    per_page = int(req.arg("per_page", 20))
    chunk = items[(page - 1) * per_page : page * per_page]
    next_page = str(page + 1) if page * per_page < len(items) else ""
    headers = {
        "X-Total": str(len(items)),
        "X-Page": str(page),
        "X-Per-Page": str(per_page),
        "X-Next-Page": next_page,
    }
    return FakeResponse(200, chunk, headers)
