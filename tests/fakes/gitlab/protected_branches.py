"""Protected branches: ``GET /projects/{id}/protected_branches[/{name}]``."""

from __future__ import annotations

from typing import Any

from tests.fakes.gitlab.routing import ApiError, FakeRequest, FakeResponse, ok, paginated, route
from tests.fakes.gitlab.state import LEVEL_NAMES, ProtectedBranch


def protected_entity(rule: ProtectedBranch) -> dict[str, Any]:
    """APIEntitiesProtectedBranch."""

    def access(level: int, rid: int) -> list[dict[str, Any]]:
        return [
            {"id": rid, "access_level": level, "access_level_description": LEVEL_NAMES.get(level, str(level))}
        ]

    return {
        "id": rule.id,
        "name": rule.name,
        "push_access_levels": access(rule.push_access_level, rule.id * 10 + 1),
        "merge_access_levels": access(rule.merge_access_level, rule.id * 10 + 2),
        "unprotect_access_levels": [],
        "allow_force_push": False,
        "code_owner_approval_required": False,
        "inherited": False,
    }


@route("GET", "/projects/{id}/protected_branches")
def list_protected(req: FakeRequest) -> FakeResponse:
    project = req.project()
    return paginated([protected_entity(r) for r in project.protected.values()], req)


@route("GET", "/projects/{id}/protected_branches/{name}")
def get_protected(req: FakeRequest) -> FakeResponse:
    rule = req.project().protected.get(req.params["name"])
    if rule is None:
        raise ApiError(404, "404 Not found")
    return ok(protected_entity(rule))
