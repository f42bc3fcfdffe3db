"""Where promotions land: a GitLab project (REST v4) or any git remote. Both are atomic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class RemoteFile:
    """A file as it is on the target branch now."""

    content: bytes
    last_commit_id: str | None = None


@dataclass
class BranchState:
    """The target branch as reviewed: its head commit and the files the promotion touches."""

    branch: str
    base_commit: str | None
    files: dict[str, RemoteFile] = field(default_factory=dict)
    protected: bool = False
    can_push: bool = True
    web_url: str = ""


@dataclass
class Change:
    """Everything that lands in one commit."""

    branch: str
    base_commit: str | None
    files: dict[str, bytes]
    last_commit_ids: dict[str, str | None]
    message: str
    author_name: str
    author_email: str
    review_branch: str = ""  # set: commit there and open (or update) a merge request into ``branch``
    title: str = ""


@dataclass
class Landing:
    """Where the change landed."""

    commit_sha: str
    commit_url: str
    branch: str
    merge_request: dict[str, Any] | None = None


class Target(Protocol):
    """A deployment repository."""

    def read(self, branch: str, paths: list[str]) -> BranchState:
        """The branch head and the current content of ``paths`` (missing files are absent)."""
        ...

    def files_under(self, branch: str, folders: list[str]) -> dict[str, bytes]:
        """Every file under ``folders`` on the branch head, path → content (empty when the branch
        does not exist yet)."""
        ...

    def land(self, change: Change) -> Landing:
        """Commit all files at once; `Conflict` if the branch moved since ``change.base_commit``."""
        ...

    def merge_request(self, iid: int) -> dict[str, Any]:
        """State of a merge request (open, approvals, mergeable, merged)."""
        ...
