"""GitLab repository calls for promotions: branches, files, one commit with every file.

The commit goes through ``POST /projects/:id/repository/commits`` with each file's
``last_commit_id`` and never with ``force``, so GitLab itself refuses to overwrite a file that
changed since the review. Protected environments get a promotion branch and a merge request
(`dataops.gitlab.merge_requests`).
"""

from __future__ import annotations

import base64
from typing import Any

from dataops.errors import Conflict, DataOpsError, Unreachable
from dataops.gitlab import merge_requests
from dataops.gitlab.calls import Call, Request, project_path, segment
from dataops.promotion.targets import BranchState, Change, Landing, RemoteFile

CHANGED_SINCE_REVIEW = (
    "The target changed since you reviewed this promotion ({reason}). Nothing was overwritten: "
    "review the new differences and submit again."
)


def default_branch(project: str) -> Call:
    """The project's default branch."""
    info = yield Request("GET", project_path(project), f"reading project {project}")
    return info["default_branch"]


def branch(project: str, name: str) -> Call:
    """GitLab's description of branch ``name`` (head commit, protection), None when it does not exist."""
    return (
        yield Request(
            "GET",
            f"{project_path(project)}/repository/branches/{segment(name)}",
            f"reading branch {name} of {project}",
            missing_ok=True,
        )
    )


def head(project: str, name: str) -> Call:
    """The commit branch ``name`` points at, None when it does not exist."""
    info = yield from branch(project, name)
    return info["commit"]["id"] if info else None


def file(project: str, path: str, ref: str) -> Call:
    """The file at ``path`` on ``ref`` with the commit that last changed it, None when absent."""
    body = yield Request(
        "GET",
        f"{project_path(project)}/repository/files/{segment(path)}",
        f"reading {path} on {ref} in {project}",
        params={"ref": ref},
        missing_ok=True,
    )
    if body is None:
        return None
    return RemoteFile(base64.b64decode(body["content"]), body.get("last_commit_id"))


def read(project: str, name: str, paths: list[str]) -> Call:
    """The branch head (None when the branch does not exist yet), protection and file contents
    (read from the default branch while the branch does not exist)."""
    info = yield from branch(project, name)
    ref = name if info else (yield from default_branch(project))
    state = BranchState(
        name,
        info["commit"]["id"] if info else None,
        protected=bool(info and info.get("protected")),
        can_push=bool(info["can_push"]) if info else True,
        web_url=info.get("web_url", "") if info else "",
    )
    for path in paths:
        found = yield from file(project, path, ref)
        if found:
            state.files[path] = found
    return state


def files_under(project: str, name: str, folders: list[str]) -> Call:
    """Every file under ``folders`` on branch ``name`` (the default branch while it does not exist),
    path → content, listed by the repository tree API page by page.

    Untested against the GitLab fake: ``repository/tree`` is not in the OpenAPI subset it checks
    requests against, and no route of the subset lists a branch's files (docs/metadata.md)."""
    info = yield from branch(project, name)
    ref = name if info else (yield from default_branch(project))
    out: dict[str, bytes] = {}
    for folder in folders:
        page = 1
        while True:
            entries = yield Request(
                "GET",
                f"{project_path(project)}/repository/tree",
                f"listing {folder} on {ref} in {project}",
                params={"path": folder, "ref": ref, "recursive": "true", "per_page": 100, "page": page},
                missing_ok=True,
            )
            for entry in entries or []:
                if entry.get("type") == "blob":
                    found = yield from file(project, entry["path"], ref)
                    if found:
                        out[entry["path"]] = found.content
            if not entries or len(entries) < 100:
                break
            page += 1
    return out


def land(project: str, change: Change) -> Call:
    """One commit with every file (directly, or on a promotion branch with a merge request)."""
    if (yield from head(project, change.branch)) != change.base_commit:
        raise Conflict(
            f"The branch {change.branch} changed since you reviewed this promotion. "
            "Nothing was overwritten: review the new differences and submit again."
        )
    if not change.review_branch:
        start = None if change.base_commit else (yield from default_branch(project))
        done = yield from commit_once(
            project, change.branch, start, change, change.last_commit_ids, change.base_commit
        )
        return Landing(done["id"], done.get("web_url", ""), change.branch)
    before = yield from head(project, change.review_branch)
    if before:
        last_ids: dict[str, str | None] = {}
        for path in change.files:
            found = yield from file(project, path, change.review_branch)
            last_ids[path] = found.last_commit_id if found else None
        done = yield from commit_once(project, change.review_branch, None, change, last_ids, before)
    else:
        start = change.branch if change.base_commit else (yield from default_branch(project))
        done = yield from commit_once(
            project, change.review_branch, start, change, change.last_commit_ids, None
        )
    request = yield from merge_requests.open_or_update(project, change)
    return Landing(done["id"], done.get("web_url", ""), change.review_branch, request)


def commit_once(
    project: str,
    name: str,
    start: str | None,
    change: Change,
    last_ids: dict[str, str | None],
    before: str | None,
) -> Call:
    """`commit`, told apart from a lost answer: when GitLab's reply does not arrive (a timeout, a
    broken connection) the commit may have landed all the same, so branch ``name`` (whose head was
    ``before``) is read again. Its new head is this change's commit: returned as landed. Its head
    did not move: `Unreachable` saying that nothing landed. Not readable either: `Unreachable`
    saying that whether it landed is unknown. A commit is never sent twice."""
    try:
        return (yield from commit(project, name, start, change, last_ids))
    except Unreachable as lost:
        try:
            info = yield from branch(project, name)
        except DataOpsError as again:
            raise Unreachable(
                f"{lost.message} Whether the promotion landed on {name} is not known: reading the branch "
                f"again failed too ({again.message}). Look at {name} before submitting again."
            ) from lost
        landed = (info or {}).get("commit") or {}
        if landed.get("id") and landed["id"] != before and _is_commit_of(landed, change, before):
            return landed
        raise Unreachable(
            f"{lost.message} The promotion did not land: {name} has not changed. Submit it again."
        ) from lost


def _is_commit_of(found: dict[str, Any], change: Change, before: str | None) -> bool:
    """Whether GitLab's commit entity ``found`` is the commit made of ``change`` on a branch at ``before``."""
    parents = found.get("parent_ids")
    if before and parents is not None and list(parents) != [before]:
        return False
    return (found.get("message") or "").strip() == change.message.strip() and found.get(
        "author_name", change.author_name
    ) == change.author_name


def commit(
    project: str, name: str, start: str | None, change: Change, last_ids: dict[str, str | None]
) -> Call:
    """Commit every file of ``change`` to branch ``name`` (created from ``start`` when given)."""
    actions = []
    for path, data in change.files.items():
        action: dict[str, Any] = {
            "action": "update" if last_ids.get(path) else "create",
            "file_path": path,
            "content": base64.b64encode(data).decode(),
            "encoding": "base64",
        }
        if last_ids.get(path):
            action["last_commit_id"] = last_ids[path]
        actions.append(action)
    body: dict[str, Any] = {
        "branch": name,
        "commit_message": change.message,
        "actions": actions,
        "author_name": change.author_name,
        "author_email": change.author_email,
    }
    if start:
        body["start_branch"] = start
    return (
        yield Request(
            "POST",
            f"{project_path(project)}/repository/commits",
            f"committing to {name} in {project}",
            json=body,
            conflict=CHANGED_SINCE_REVIEW,
        )
    )
