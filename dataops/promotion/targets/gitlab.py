"""A GitLab project through REST v4: one commit with every file, or a merge request.

The commit goes through ``POST /projects/:id/repository/commits`` with each file's
``last_commit_id`` and never with ``force``, so GitLab itself refuses to overwrite a file that
changed since the review. Protected environments get a promotion branch and a merge request; an
open merge request for the same branch is reused (GitLab answers 409) and updated.
"""

from __future__ import annotations

import base64
import email.utils
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from dataops.errors import (
    Conflict,
    DataOpsError,
    Forbidden,
    NotFound,
    RateLimited,
    RemoteError,
    Unauthorized,
    Unreachable,
)
from dataops.promotion.credentials import redact, remember
from dataops.promotion.targets import BranchState, Change, Landing, RemoteFile

_STALE = ("changed since you started editing", "already exists", "doesn't exist")


class GitLabTarget:
    """One GitLab project, addressed by numeric id or ``namespace/path``."""

    def __init__(
        self,
        base_url: str,
        project: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        max_retries: int = 3,
        max_wait_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        remember(token)
        self.base_url = base_url.rstrip("/")
        self.project = project
        self._pid = quote(project, safe="")
        self._client = httpx.Client(
            base_url=f"{self.base_url}/api/v4",
            headers={"PRIVATE-TOKEN": token},
            timeout=httpx.Timeout(30.0),
            transport=transport,
        )
        self._max_retries = max_retries
        self._max_wait = max_wait_s
        self._sleep = sleep

    def close(self) -> None:
        self._client.close()

    # -- HTTP -----------------------------------------------------------------------------------
    def _call(self, method: str, path: str, *, params=None, json=None, missing_ok: bool = False):  # noqa: ANN001, ANN202
        """The JSON answer, or None for a 404 when ``missing_ok``; errors become `DataOpsError`s."""
        for attempt in range(self._max_retries + 1):
            try:
                response = self._client.request(method, path, params=params, json=json)
            except httpx.TransportError as exc:
                raise Unreachable(
                    f"GitLab at {self.base_url} could not be reached: {redact(str(exc))}"
                ) from exc
            if response.status_code == 429 and attempt < self._max_retries:
                self._sleep(self._retry_after(response))
                continue
            break
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            raise self._error(response, method, path)
        return response.json() if response.content else None

    def _retry_after(self, response: httpx.Response) -> float:
        value = response.headers.get("Retry-After", "")
        if value.isdigit():
            wait = float(value)
        else:
            when = email.utils.parsedate_to_datetime(value) if value else None
            wait = max(0.0, when.timestamp() - time.time()) if when else 1.0
        return min(wait, self._max_wait)

    def _error(self, response: httpx.Response, method: str, path: str) -> DataOpsError:
        try:
            body = response.json()
            message = body.get("message") or body.get("error") or ""
        except ValueError:
            message = response.text[:200]
        if isinstance(message, list):
            message = "; ".join(map(str, message))
        elif isinstance(message, dict):
            message = "; ".join(f"{k} {v}" for k, v in message.items())
        message = redact(str(message))
        status = response.status_code
        if status == 401:
            return Unauthorized(f"GitLab refused the token ({message}); ask for a new access token.")
        if status == 403:
            return Forbidden(f"GitLab does not allow this for your token: {message}")
        if status == 404:
            return NotFound(f"GitLab project {self.project} or the requested item was not found ({message}).")
        if status == 409 or (status == 400 and any(s in message for s in _STALE)):
            return Conflict(
                f"The target changed since you reviewed this promotion ({message}). Nothing was overwritten: "
                "review the new differences and submit again."
            )
        if status == 429:
            wait = response.headers.get("Retry-After", "a while")
            return RateLimited(f"GitLab is rate limiting requests; try again in {wait} seconds.")
        if status >= 500:
            return Unreachable(f"GitLab answered with a server error ({status}); try again later.")
        return RemoteError(f"GitLab refused {method} {path}: {message}")

    # -- reading --------------------------------------------------------------------------------
    def default_branch(self) -> str:
        return self._call("GET", f"/projects/{self._pid}")["default_branch"]

    def read(self, branch: str, paths: list[str]) -> BranchState:
        """The branch head (None when the branch does not exist yet), protection and file contents."""
        info = self._call(
            "GET", f"/projects/{self._pid}/repository/branches/{quote(branch, safe='')}", missing_ok=True
        )
        ref = branch if info else self.default_branch()
        state = BranchState(
            branch,
            info["commit"]["id"] if info else None,
            protected=bool(info and info.get("protected")),
            can_push=bool(info["can_push"]) if info else True,
            web_url=info.get("web_url", "") if info else "",
        )
        for path in paths:
            found = self._file(path, ref)
            if found:
                state.files[path] = found
        return state

    def _file(self, path: str, ref: str) -> RemoteFile | None:
        body = self._call(
            "GET",
            f"/projects/{self._pid}/repository/files/{quote(path, safe='')}",
            params={"ref": ref},
            missing_ok=True,
        )
        if body is None:
            return None
        return RemoteFile(base64.b64decode(body["content"]), body.get("last_commit_id"))

    def _head(self, branch: str) -> str | None:
        info = self._call(
            "GET", f"/projects/{self._pid}/repository/branches/{quote(branch, safe='')}", missing_ok=True
        )
        return info["commit"]["id"] if info else None

    # -- landing --------------------------------------------------------------------------------
    def land(self, change: Change) -> Landing:
        """One commit with every file (directly, or on a promotion branch with a merge request)."""
        if self._head(change.branch) != change.base_commit:
            raise Conflict(
                f"The branch {change.branch} changed since you reviewed this promotion. "
                "Nothing was overwritten: review the new differences and submit again."
            )
        if not change.review_branch:
            start = None if change.base_commit else self.default_branch()
            commit = self._commit(change.branch, start, change, change.last_commit_ids)
            return Landing(commit["id"], commit.get("web_url", ""), change.branch)
        if self._head(change.review_branch):
            last_ids = {
                p: (f.last_commit_id if f else None)
                for p in change.files
                for f in [self._file(p, change.review_branch)]
            }
            commit = self._commit(change.review_branch, None, change, last_ids)
        else:
            start = change.branch if change.base_commit else self.default_branch()
            commit = self._commit(change.review_branch, start, change, change.last_commit_ids)
        mr = self._open_merge_request(change)
        return Landing(commit["id"], commit.get("web_url", ""), change.review_branch, mr)

    def _commit(
        self, branch: str, start: str | None, change: Change, last_ids: dict[str, str | None]
    ) -> dict:
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
            "branch": branch,
            "commit_message": change.message,
            "actions": actions,
            "author_name": change.author_name,
            "author_email": change.author_email,
        }
        if start:
            body["start_branch"] = start
        return self._call("POST", f"/projects/{self._pid}/repository/commits", json=body)

    def _open_merge_request(self, change: Change) -> dict[str, Any]:
        body = {
            "source_branch": change.review_branch,
            "target_branch": change.branch,
            "title": change.title or change.message.splitlines()[0],
            "description": change.message,
        }
        try:
            mr = self._call("POST", f"/projects/{self._pid}/merge_requests", json=body)
        except Conflict:
            existing = self._call(
                "GET",
                f"/projects/{self._pid}/merge_requests",
                params={
                    "state": "opened",
                    "source_branch": change.review_branch,
                    "target_branch": change.branch,
                },
            )
            if not existing:
                raise
            update = {"title": body["title"], "description": body["description"]}
            mr = self._call("PUT", f"/projects/{self._pid}/merge_requests/{existing[0]['iid']}", json=update)
        return self._mr_state(mr)

    # -- merge requests -------------------------------------------------------------------------
    def merge_request(self, iid: int) -> dict[str, Any]:
        """State of merge request ``!iid``: open/merged, approvals, mergeable."""
        return self._mr_state(self._call("GET", f"/projects/{self._pid}/merge_requests/{iid}"))

    def _mr_state(self, mr: dict[str, Any]) -> dict[str, Any]:
        # approval_state exists on GitLab Premium and Ultimate only; Free answers 404
        approvals = self._call(
            "GET", f"/projects/{self._pid}/merge_requests/{mr['iid']}/approval_state", missing_ok=True
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
            "iid": mr["iid"],
            "title": mr.get("title", ""),
            "state": mr["state"],
            "web_url": mr.get("web_url", ""),
            "source_branch": mr.get("source_branch", ""),
            "target_branch": mr.get("target_branch", ""),
            "mergeable": mr.get("detailed_merge_status") == "mergeable",
            "merge_status": mr.get("detailed_merge_status") or mr.get("merge_status", ""),
            "has_conflicts": bool(mr.get("has_conflicts")),
            "sha": mr.get("sha", ""),
            "approvals": summary,
        }
