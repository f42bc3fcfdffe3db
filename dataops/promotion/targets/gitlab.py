"""A GitLab project as a promotion `Target`: one commit with every file, or a merge request.

The requests are `dataops.gitlab.repository` and `dataops.gitlab.merge_requests`, run blocking by
the product's one GitLab client; commits are never forced, so GitLab refuses to overwrite a file
that changed since the review.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dataops.gitlab import merge_requests, repository
from dataops.gitlab.client import TIMEOUT, GitLab
from dataops.promotion.targets import BranchState, Change, Landing


class GitLabTarget:
    """One GitLab project, addressed by numeric id or ``namespace/path``."""

    def __init__(
        self,
        base_url: str,
        project: str,
        token: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = TIMEOUT,
    ) -> None:
        self.project = project
        # GitLab's retry policy for rate limits (3 retries, at most 60 s apart) applies.
        self._gitlab = GitLab(base_url, token, sleep=sleep, timeout=timeout)

    def close(self) -> None:
        """Release the connection pool."""
        self._gitlab.close()

    def default_branch(self) -> str:
        """The project's default branch."""
        return self._gitlab.run(repository.default_branch(self.project))

    def read(self, branch: str, paths: list[str]) -> BranchState:
        """The branch head (None when the branch does not exist yet), protection and file contents."""
        return self._gitlab.run(repository.read(self.project, branch, paths))

    def files_under(self, branch: str, folders: list[str]) -> dict[str, bytes]:
        """Every file under ``folders`` on the branch (on the default branch while it does not exist)."""
        return self._gitlab.run(repository.files_under(self.project, branch, folders))

    def land(self, change: Change) -> Landing:
        """One commit with every file (directly, or on a promotion branch with a merge request). When
        GitLab's answer to the commit is lost (a timeout), the branch is read again: a commit that
        landed is reported as landed, one that did not as `Unreachable` saying so."""
        return self._gitlab.run(repository.land(self.project, change))

    def merge_request(self, iid: int) -> dict[str, Any]:
        """State of merge request ``!iid``: open/merged, approvals, mergeable."""
        return self._gitlab.run(merge_requests.merge_request(self.project, iid))
