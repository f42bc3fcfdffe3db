"""GitLab merge request calls: open one for a promotion branch (or update the open one), read its state.

GitLab answers 409 when an open merge request already joins the two branches; that request is
found and updated rather than reported as a failure.
"""

from __future__ import annotations

from typing import Any

from dataops.errors import Conflict
from dataops.gitlab.calls import Call, Request, project_path
from dataops.promotion.targets import Change


def open_or_update(project: str, change: Change) -> Call:
    """The state (`state`) of the merge request from ``change.review_branch`` into ``change.branch``."""
    body = {
        "source_branch": change.review_branch,
        "target_branch": change.branch,
        "title": change.title or change.message.splitlines()[0],
        "description": change.message,
    }
    where = f"{change.review_branch} into {change.branch} in {project}"
    try:
        opened = yield Request(
            "POST",
            f"{project_path(project)}/merge_requests",
            f"opening a merge request of {where}",
            json=body,
        )
    except Conflict:
        existing = yield Request(
            "GET",
            f"{project_path(project)}/merge_requests",
            f"looking for the open merge request of {where}",
            params={"state": "opened", "source_branch": change.review_branch, "target_branch": change.branch},
        )
        if not existing:
            raise
        update = {"title": body["title"], "description": body["description"]}
        opened = yield Request(
            "PUT",
            f"{project_path(project)}/merge_requests/{existing[0]['iid']}",
            f"updating merge request !{existing[0]['iid']} of {project}",
            json=update,
        )
    return (yield from state_of(project, opened))


def merge_request(project: str, iid: int) -> Call:
    """State of merge request ``!iid``: open/merged, approvals, mergeable."""
    found = yield Request(
        "GET",
        f"{project_path(project)}/merge_requests/{int(iid)}",
        f"reading merge request !{iid} of {project}",
    )
    return (yield from state_of(project, found))


def state_of(project: str, request: dict[str, Any]) -> Call:
    """The merge request as the Promote dialog shows it, with its approvals when GitLab has them."""
    # approval_state exists on GitLab Premium and Ultimate only; Free answers 404
    approvals = yield Request(
        "GET",
        f"{project_path(project)}/merge_requests/{request['iid']}/approval_state",
        f"reading the approvals of merge request !{request['iid']} of {project}",
        missing_ok=True,
    )
    summary = None
    if approvals is not None:
        rules = approvals.get("rules", [])
        summary = {
            "required": sum(r.get("approvals_required", 0) for r in rules),
            "approved_by": sorted({u["username"] for r in rules for u in r.get("approved_by", [])}),
            "approved": all(r.get("approved", False) for r in rules),
        }
    return {
        "iid": request["iid"],
        "title": request.get("title", ""),
        "state": request["state"],
        "web_url": request.get("web_url", ""),
        "source_branch": request.get("source_branch", ""),
        "target_branch": request.get("target_branch", ""),
        "mergeable": request.get("detailed_merge_status") == "mergeable",
        "merge_status": request.get("detailed_merge_status") or request.get("merge_status", ""),
        "has_conflicts": bool(request.get("has_conflicts")),
        "sha": request.get("sha", ""),
        "approvals": summary,
    }
