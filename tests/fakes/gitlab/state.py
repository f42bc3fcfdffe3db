"""The fake GitLab's shared state: users, projects backed by real bare git repositories, faults.

Resource modules (``repository.py``, ``merge_requests.py``, ...) read and change this state under
``state.lock``. A module for a new resource group keeps its records in ``state.collection(name)``
and numbers them with ``state.next_id(name)``, so it needs no change here.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# GitLab's access levels
GUEST, REPORTER, DEVELOPER, MAINTAINER, OWNER = 10, 20, 30, 40, 50
LEVEL_NAMES = {0: "No access", 30: "Developers + Maintainers", 40: "Maintainers", 50: "Owners"}


def now_iso() -> str:
    """GitLab's timestamp format."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class User:
    """A GitLab account and its personal access token."""

    id: int
    username: str
    name: str
    token: str


@dataclass
class ProtectedBranch:
    """A protection rule: who may push and merge (GitLab access levels)."""

    id: int
    name: str
    push_access_level: int = MAINTAINER
    merge_access_level: int = MAINTAINER


@dataclass
class Project:
    """A project and its bare repository on disk."""

    id: int
    path_with_namespace: str
    repo: Path
    default_branch: str = "main"
    members: dict[int, int] = field(default_factory=dict)  # user id -> access level
    protected: dict[str, ProtectedBranch] = field(default_factory=dict)
    approvals_required: int = 1
    created_at: str = field(default_factory=now_iso)

    def level(self, user: User) -> int:
        """The user's access level in this project (0: none)."""
        return self.members.get(user.id, 0)

    def can_push(self, user: User, branch: str) -> bool:
        """Whether the user may push to ``branch`` (protection rules applied)."""
        rule = self.protected.get(branch)
        need = rule.push_access_level if rule else DEVELOPER
        return need > 0 and self.level(user) >= need


@dataclass
class Fault:
    """An injected failure: the next ``times`` requests matching method and path regex get ``status``."""

    method: str
    path: str
    status: int
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    message: str = ""

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and self.method in (method, "*") and re.search(self.path, path) is not None


@dataclass
class Delay:
    """A slow answer: the next ``times`` requests matching method and path regex are carried out, then
    answered ``seconds`` later (a client that gave up meanwhile never learns what happened)."""

    method: str
    path: str
    seconds: float
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and self.method in (method, "*") and re.search(self.path, path) is not None


@dataclass
class RecordedRequest:
    """What the fake received and answered (tests assert on these, e.g. that nothing used force)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int = 0


class GitLabState:
    """Everything the fake knows; one instance per fake server."""

    def __init__(self, root: Path, base_url: str = "") -> None:
        self.root = root
        self.base_url = base_url
        self.lock = threading.RLock()
        self.users: dict[int, User] = {}
        self.projects: dict[int, Project] = {}
        self.faults: list[Fault] = []
        self.delays: list[Delay] = []
        self.violations: list[str] = []
        self.requests: list[RecordedRequest] = []
        self._ids: dict[str, int] = defaultdict(int)
        self._collections: dict[str, dict[Any, Any]] = defaultdict(dict)
        self._listeners: dict[str, list[Callable[..., None]]] = defaultdict(list)

    # -- identifiers and generic storage for resource modules ---------------------------------
    def next_id(self, kind: str) -> int:
        """A fresh id for a record of ``kind`` (1, 2, ...)."""
        with self.lock:
            self._ids[kind] += 1
            return self._ids[kind]

    def collection(self, name: str) -> dict[Any, Any]:
        """A named dict of records (merge requests, pipelines, ...)."""
        return self._collections[name]

    def on(self, event: str, listener: Callable[..., None]) -> None:
        """Call ``listener(**payload)`` whenever ``event`` is emitted (e.g. ``push``)."""
        self._listeners[event].append(listener)

    def emit(self, event: str, **payload: Any) -> None:
        """Tell listeners (``push``: project, branch, before, after, user)."""
        for listener in list(self._listeners[event]):
            listener(**payload)

    # -- setup helpers for tests ----------------------------------------------------------------
    def add_user(self, username: str, token: str, name: str = "") -> User:
        """Create an account that authenticates with ``token``."""
        user = User(self.next_id("user"), username, name or username.title(), token)
        self.users[user.id] = user
        return user

    def add_project(self, path_with_namespace: str, default_branch: str = "main") -> Project:
        """Create a project with a bare repository holding one initial commit on the default branch."""
        pid = self.next_id("project")
        repo = self.root / f"{pid}.git"
        run_git(repo.parent, "init", "--bare", "-q", "-b", default_branch, str(repo))
        project = Project(pid, path_with_namespace, repo, default_branch)
        self.projects[pid] = project
        tree = self.git(project, "mktree", stdin=b"")
        commit = self.git(
            project, "commit-tree", tree, "-m", "Initial commit", env=_identity("GitLab", "root@x")
        )
        self.git(project, "update-ref", f"refs/heads/{default_branch}", commit)
        return project

    def protect(self, project: Project, branch: str, push: int = MAINTAINER, merge: int = MAINTAINER) -> None:
        """Protect ``branch``: pushes need ``push`` level, merges ``merge`` level (0 = nobody)."""
        project.protected[branch] = ProtectedBranch(self.next_id("protected_branch"), branch, push, merge)

    def inject(
        self, method: str, path: str, status: int, *, times: int = 1, headers=None, message=""
    ) -> Fault:
        """Make the next ``times`` matching requests fail with ``status``."""
        fault = Fault(method, path, status, times, dict(headers or {}), message)
        self.faults.append(fault)
        return fault

    def delay(self, method: str, path: str, seconds: float, *, times: int = 1) -> Delay:
        """Answer the next ``times`` matching requests ``seconds`` after carrying them out."""
        slow = Delay(method, path, seconds, times)
        self.delays.append(slow)
        return slow

    # -- lookups --------------------------------------------------------------------------------
    def user_for_token(self, token: str | None) -> User | None:
        return next((u for u in self.users.values() if token and u.token == token), None)

    def project(self, ident: str) -> Project | None:
        """By numeric id or URL-decoded ``namespace/path``."""
        if ident.isdigit():
            return self.projects.get(int(ident))
        return next((p for p in self.projects.values() if p.path_with_namespace == ident), None)

    def web_url(self, project: Project, suffix: str = "") -> str:
        return f"{self.base_url}/{project.path_with_namespace}{suffix}"

    # -- git ------------------------------------------------------------------------------------
    def git(self, project: Project, *args: str, stdin: bytes | None = None, env=None, check=True) -> str:
        """Run git in the project's bare repository and return stdout (stripped)."""
        return run_git(project.repo, *args, stdin=stdin, env=env, check=check)

    def head(self, project: Project, branch: str) -> str | None:
        """The commit a branch points at, or None when it does not exist."""
        out = self.git(project, "rev-parse", "--verify", "-q", f"refs/heads/{branch}^{{commit}}", check=False)
        return out or None

    def branches(self, project: Project) -> list[str]:
        out = self.git(project, "for-each-ref", "--format=%(refname:short)", "refs/heads/")
        return sorted(out.splitlines())

    def last_commit_for(self, project: Project, ref: str, path: str) -> str | None:
        """The last commit on ``ref`` that touched ``path`` (what GitLab calls ``last_commit_id``)."""
        return self.git(project, "log", "-1", "--format=%H", ref, "--", path) or None

    def blob(self, project: Project, ref: str, path: str) -> tuple[str, bytes] | None:
        """(blob id, bytes) of ``path`` at ``ref``, or None."""
        blob_id = self.git(project, "rev-parse", "--verify", "-q", f"{ref}:{path}", check=False)
        if not blob_id:
            return None
        data = subprocess.run(
            ["git", "cat-file", "blob", blob_id], cwd=project.repo, capture_output=True, check=True
        ).stdout
        return blob_id, data

    def write_commit(
        self,
        project: Project,
        parent: str | None,
        files: dict[str, bytes | None],
        message: str,
        author: User,
    ) -> str:
        """Write a commit with git: ``parent``'s tree plus ``files`` (None deletes); returns its sha."""
        with tempfile.TemporaryDirectory() as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index"), **_identity(author.name, _email(author))}
            if parent:
                self.git(project, "read-tree", parent, env=env)
            for path, data in files.items():
                if data is None:
                    self.git(project, "update-index", "--force-remove", path, env=env)
                else:
                    blob = self.git(project, "hash-object", "-w", "--stdin", stdin=data)
                    self.git(
                        project, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env
                    )
            tree = self.git(project, "write-tree", env=env)
            parents = ["-p", parent] if parent else []
            return self.git(project, "commit-tree", tree, *parents, "-m", message, env=env)

    def move_branch(self, project: Project, branch: str, new: str, old: str | None) -> bool:
        """Compare-and-swap the branch ref; False when it moved meanwhile."""
        expected = old or "0" * 40
        done = subprocess.run(
            ["git", "update-ref", f"refs/heads/{branch}", new, expected],
            cwd=project.repo,
            capture_output=True,
        )
        return done.returncode == 0

    def commit_entity(self, project: Project, sha: str) -> dict[str, Any]:
        """APIEntitiesCommit for ``sha``, read from git."""
        fmt = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%s%x00%B"
        parts = self.git(project, "show", "-s", f"--format={fmt}", sha).split("\x00")
        full, parents, an, ae, ad, cn, ce, cd, subject, body = parts
        return {
            "id": full,
            "short_id": full[:8],
            "created_at": _iso(cd),
            "parent_ids": parents.split(),
            "title": subject,
            "message": body.strip() + "\n",
            "author_name": an,
            "author_email": ae,
            "authored_date": _iso(ad),
            "committer_name": cn,
            "committer_email": ce,
            "committed_date": _iso(cd),
            "trailers": {},
            "extended_trailers": {},
            "web_url": self.web_url(project, f"/-/commit/{full}"),
        }

    def user_entity(self, user: User) -> dict[str, Any]:
        """APIEntitiesUserBasic."""
        return {
            "id": user.id,
            "username": user.username,
            "name": user.name,
            "state": "active",
            "locked": False,
            "avatar_url": None,
            "web_url": f"{self.base_url}/{user.username}",
        }


def run_git(cwd: Path, *args: str, stdin: bytes | None = None, env=None, check: bool = True) -> str:
    """Run git and return stripped stdout; raise with stderr on failure when ``check``."""
    full_env = {**os.environ, **_identity("GitLab", "gitlab@example.org"), **(env or {})}
    done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, env=full_env)
    if check and done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode().strip()


def _identity(name: str, email: str) -> dict[str, str]:
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def _email(user: User) -> str:
    return f"{user.username}@example.org"


def _iso(git_date: str) -> str:
    """git's strict ISO 8601 (``+01:00``) as GitLab's UTC milliseconds."""
    return datetime.fromisoformat(git_date).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
