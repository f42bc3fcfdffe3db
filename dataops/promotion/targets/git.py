"""Any git remote: one commit built with git plumbing, pushed fast-forward only.

The push never forces: if the branch moved since the review, git refuses the non-fast-forward
update and the user sees a `Conflict`. A server-side hook that refuses the push (a protected
branch) becomes `Forbidden` with the hook's own sentence.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dataops.errors import Conflict, Forbidden, NotImplementedByProvider, RemoteError, Unreachable
from dataops.promotion.credentials import redact
from dataops.promotion.targets import BranchState, Change, Landing, RemoteFile

log = logging.getLogger(__name__)


class GitTarget:
    """A git remote reached with the ``git`` command (any URL git understands)."""

    def __init__(
        self,
        remote: str,
        token: str | None = None,
        username: str = "oauth2",
        on_push: Callable[[str, str, str], None] | None = None,
    ) -> None:
        """``on_push(sha, branch, author)`` is called after a commit was pushed (the local pipelines of
        the environment start there)."""
        self.remote = remote
        self.on_push = on_push
        self._token = token
        self._username = username

    def _env(self) -> dict[str, str]:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        if self._token and self.remote.startswith(("http://", "https://")):
            # in the environment, not argv, so the token never shows in a process listing
            basic = base64.b64encode(f"{self._username}:{self._token}".encode()).decode()
            env |= {
                "GIT_CONFIG_COUNT": "1",
                "GIT_CONFIG_KEY_0": "http.extraHeader",
                "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
            }
        return env

    def _git(
        self, cwd: Path, *args: str, stdin: bytes | None = None, env: dict | None = None
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, env={**self._env(), **(env or {})}
        )

    def _ok(self, done: subprocess.CompletedProcess, what: str) -> str:
        if done.returncode != 0:
            text = redact(done.stderr.decode(errors="replace").strip(), [self._token])
            if "Could not resolve host" in text or "Connection refused" in text or "unable to access" in text:
                raise Unreachable(f"The git remote {redact(self.remote)} could not be reached: {text}")
            raise RemoteError(f"git could not {what} on {redact(self.remote)}: {text}")
        return done.stdout.decode().strip()

    def _fetch(self, repo: Path, branch: str) -> str | None:
        listing = self._ok(
            self._git(repo, "ls-remote", "--", self.remote, f"refs/heads/{branch}"), "list branches"
        )
        if not listing:
            return None
        self._ok(
            self._git(repo, "fetch", "-q", "--no-tags", "--", self.remote, f"refs/heads/{branch}"), "fetch"
        )
        return self._ok(self._git(repo, "rev-parse", "FETCH_HEAD"), "read the fetched branch")

    def read(self, branch: str, paths: list[str]) -> BranchState:
        """Fetch the branch into a scratch repository and read ``paths`` from its head."""
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp)
            self._ok(self._git(repo, "init", "-q", "--bare"), "initialise")
            head = self._fetch(repo, branch)
            files: dict[str, RemoteFile] = {}
            if head:
                for path in paths:
                    blob = self._git(repo, "cat-file", "blob", f"{head}:{path}")
                    if blob.returncode == 0:
                        # no last commit id: a push is checked against the reviewed head alone
                        files[path] = RemoteFile(blob.stdout)
            return BranchState(branch, head, files)

    def files_under(self, branch: str, folders: list[str]) -> dict[str, bytes]:
        """Fetch the branch and read every file under ``folders`` from its head."""
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp)
            self._ok(self._git(repo, "init", "-q", "--bare"), "initialise")
            head = self._fetch(repo, branch)
            if not head:
                return {}
            listing = self._ok(self._git(repo, "ls-tree", "-r", "--name-only", head, "--", *folders), "list")
            files = {}
            for path in filter(None, listing.splitlines()):
                blob = self._git(repo, "cat-file", "blob", f"{head}:{path}")
                if blob.returncode == 0:
                    files[path] = blob.stdout
            return files

    def land(self, change: Change) -> Landing:
        """One commit on top of the reviewed head, pushed without force.

        A promotion branch that already exists (an earlier promotion still under review) gets the new
        commit on top of its own head, so a second promotion updates the review instead of clashing.
        """
        target = change.review_branch or change.branch
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp)
            self._ok(self._git(repo, "init", "-q", "--bare"), "initialise")
            head = self._fetch(repo, change.branch)
            if head != change.base_commit:
                raise Conflict(_moved(change.branch))
            if change.review_branch:
                head = self._fetch(repo, change.review_branch) or head
            sha = self._commit(repo, head, change)
            push = self._git(repo, "push", "--porcelain", "--", self.remote, f"{sha}:refs/heads/{target}")
            if push.returncode != 0:
                self._push_failed(push, change.branch)
        if self.on_push is not None:
            try:
                self.on_push(sha, target, change.author_name)
            except OSError as exc:
                # the commit has landed: the promotion stands, and whoever runs the server is told
                log.warning(
                    "dataops: commit %s landed on %s but its pipeline did not start: %s", sha, target, exc
                )
        return Landing(sha, "", target)

    def _commit(self, repo: Path, parent: str | None, change: Change) -> str:
        ident = {
            "GIT_AUTHOR_NAME": change.author_name,
            "GIT_AUTHOR_EMAIL": change.author_email,
            "GIT_COMMITTER_NAME": change.author_name,
            "GIT_COMMITTER_EMAIL": change.author_email,
            "GIT_INDEX_FILE": str(repo / "promotion-index"),
        }
        if parent:
            self._ok(self._git(repo, "read-tree", parent, env=ident), "read the branch")
        for path, data in change.files.items():
            blob = self._ok(self._git(repo, "hash-object", "-w", "--stdin", stdin=data), "store a file")
            info = f"100644,{blob},{path}"
            self._ok(self._git(repo, "update-index", "--add", "--cacheinfo", info, env=ident), "stage a file")
        tree = self._ok(self._git(repo, "write-tree", env=ident), "write the tree")
        parents = ["-p", parent] if parent else []
        return self._ok(
            self._git(repo, "commit-tree", tree, *parents, "-m", change.message, env=ident), "commit"
        )

    def _push_failed(self, push: subprocess.CompletedProcess, branch: str) -> None:
        text = redact((push.stdout + push.stderr).decode(errors="replace"), [self._token])
        # a concurrent push that won the race shows up as a failed ref lock on the server
        if re.search(_MOVED, text):
            raise Conflict(_moved(branch))
        hook = [ln.removeprefix("remote: ").strip() for ln in text.splitlines() if ln.startswith("remote: ")]
        if "pre-receive hook declined" in text:
            reason = " ".join(h for h in hook if h) or "the server's hook refused the push"
            raise Forbidden(f"The git server refused the promotion to {branch}: {reason}")
        raise RemoteError(f"git could not push to {redact(self.remote)}: {text.strip()}")

    def merge_request(self, iid: int) -> dict[str, Any]:
        raise NotImplementedByProvider(
            "A plain git remote has no merge requests; review the promotion branch."
        )


_MOVED = "|".join(
    [
        r"non-fast-forward",
        r"fetch first",
        r"stale info",
        r"\[rejected\]",
        r"cannot lock ref",
        r"failed to update ref",
    ]
)


def _moved(branch: str) -> str:
    return (
        f"The branch {branch} changed since you reviewed this promotion. Nothing was overwritten: "
        "review the new differences and submit again."
    )
