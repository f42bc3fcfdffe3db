"""A worker's steps that follow a branch of a git remote (``dataops worker --follow REMOTE --branch B``).

Between tasks (at most every ``interval_s``) the worker fetches the branch into a local mirror. A new
commit is exported whole into a folder of its own (written under a temporary name, then renamed:
a folder either holds a complete commit or does not exist) and its steps are imported from there.
Only when they import does the worker switch to them; a commit that fails to import is reported
once and the previous commit goes on serving, so a broken promotion never stops production. Every
log record names the commit that ran (``step_version``).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from dataops.errors import ConfigError
from dataops.redaction import public_url
from dataops.workflows.steps import Registry, StepsFolder

FOLLOWED_REF = "refs/dataops/followed"


@dataclass(frozen=True)
class FollowConfig:
    """``[workflows.follow]``: the remote and branch whose steps a worker serves."""

    remote: str = ""
    branch: str = ""
    path: str = "steps"  # the steps folder inside the branch
    interval_s: float = 5.0  # at most one fetch per interval, between tasks

    @property
    def configured(self) -> bool:
        """True when a remote is set."""
        return bool(self.remote)

    @classmethod
    def from_section(cls, section: dict) -> FollowConfig:
        """From the ``[workflows.follow]`` table; unknown or ill-typed settings are refused."""
        unknown = set(section) - {"remote", "branch", "path", "interval_s"}
        if unknown:
            raise ConfigError(f"[workflows.follow] has unknown settings: {', '.join(sorted(unknown))}.")
        for name in ("remote", "branch", "path"):
            if name in section and not isinstance(section[name], str):
                raise ConfigError(f"[workflows.follow] {name} must be text, not {section[name]!r}.")
        interval = section.get("interval_s", 5.0)
        if isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0:
            raise ConfigError(f"[workflows.follow] interval_s must be a number of seconds, not {interval!r}.")
        config = cls(
            remote=section.get("remote", ""),
            branch=section.get("branch", ""),
            path=section.get("path", "steps"),
            interval_s=float(interval),
        )
        if config.remote and not config.branch:
            raise ConfigError("[workflows.follow] names a remote but no branch (for example deploy/dev).")
        return config


def default_cache() -> Path:
    """``$XDG_DATA_HOME/dataops/followed-steps`` (``~/.local/share/...`` by default)."""
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "dataops" / "followed-steps"


class FollowedSteps:
    """The steps of ``config.branch`` of ``config.remote``, updated by `refresh` between tasks.

    Offers what the worker uses of a `StepsFolder`: ``registry``, ``version`` (the commit served),
    ``load_error`` (why the newest commit is not served) and ``refresh()``.
    """

    def __init__(
        self,
        config: FollowConfig,
        topics: dict[str, str] | None = None,
        cache: Path | None = None,
    ) -> None:
        if config.branch.startswith("-") or config.remote.startswith("-"):
            raise ConfigError("[workflows.follow] remote and branch may not start with '-'.")
        self.config = config
        self.topics = dict(topics or {})
        key = hashlib.sha1(f"{config.remote}\n{config.branch}".encode(), usedforsecurity=False).hexdigest()
        self.root = (cache or default_cache()) / key[:16]
        self.mirror = self.root / "mirror.git"
        self.registry = Registry()
        self.version = ""
        self.load_error: str | None = None
        self.commit = ""
        self._folder: StepsFolder | None = None
        self._refused = ""  # the newest commit, when it failed to load: not tried again
        self._next_fetch = 0.0
        if not (self.mirror / "HEAD").is_file():
            self.root.mkdir(parents=True, exist_ok=True)
            self._git("init", "--quiet", "--bare", str(self.mirror), git_dir=False)

    @property
    def deployment_root(self) -> Path:
        """The folder of the commit served (the branch's files: ``steps/``, ``processes/``, ...)."""
        return self.root / "commits" / self.commit

    @property
    def where(self) -> str:
        """``deploy/dev of https://host/repo.git``, without credentials."""
        return f"{self.config.branch} of {public_url(self.config.remote)}"

    def refresh(self) -> bool:
        """Fetch the branch when due; True when a new commit is now served.

        Raises `ConfigError` only when nothing is served yet (the first fetch or import failed).
        """
        if self._folder is not None and time.monotonic() < self._next_fetch:
            return False
        self._next_fetch = time.monotonic() + self.config.interval_s
        try:
            commit = self._fetch()
        except ConfigError as exc:
            if self._folder is None:
                raise
            self.load_error = f"{exc.message.rstrip('.')}"
            return False
        if commit in (self.commit, self._refused):
            return False
        return self._switch(commit)

    def close(self) -> None:
        """Stop resolving imports from the served commit."""
        if self._folder is not None:
            self._folder.close()

    def _switch(self, commit: str) -> bool:
        steps = self._export(commit) / self.config.path
        previous = self._folder
        try:
            if not steps.is_dir():
                raise ConfigError(f"commit {commit[:12]} of {self.where} has no {self.config.path}/ folder")
            candidate = StepsFolder(steps, self.topics, commit=commit)
        except ConfigError as exc:
            return self._refuse(commit, exc.message)
        if previous is not None:
            previous.close()  # its modules must not shadow the new commit's
        try:
            candidate.refresh()
        except ConfigError as exc:
            candidate.close()
            if previous is not None:
                previous.reopen()
            return self._refuse(commit, exc.message)
        self._folder, self.commit = candidate, commit
        self.registry, self.version, self.load_error = candidate.registry, candidate.version, None
        self._remove_old(keep=commit)
        return True

    def _refuse(self, commit: str, why: str) -> bool:
        self._refused = commit
        self.load_error = f"commit {commit[:12]} of {self.where} is not served: {why.rstrip('.')}"
        if self._folder is None:
            raise ConfigError(self.load_error + ".")
        return False

    def _fetch(self) -> str:
        refspec = f"+refs/heads/{self.config.branch}:{FOLLOWED_REF}"
        self._git("fetch", "--quiet", "--no-tags", "--force", "--", self.config.remote, refspec)
        return self._git("rev-parse", "--verify", f"{FOLLOWED_REF}^{{commit}}").strip()

    def _export(self, commit: str) -> Path:
        """The commit's files in ``commits/<commit>``, complete or not there at all."""
        final = self.root / "commits" / commit
        if final.is_dir():
            return final
        partial = self.root / "commits" / f".partial-{commit}-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "--git-dir", str(self.mirror), "archive", "--format=tar", commit],
            capture_output=True,
            check=False,
            timeout=120,
        )
        if archive.returncode != 0:
            why = public_url(archive.stderr.decode(errors="replace").strip())
            raise ConfigError(f"Could not read commit {commit[:12]} of {self.where}: {why}.")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(partial, filter="data")
        partial.rename(final)
        return final

    def _remove_old(self, keep: str) -> None:
        for folder in (self.root / "commits").iterdir():
            if folder.name != keep:
                shutil.rmtree(folder, ignore_errors=True)

    def _git(self, *args: str, git_dir: bool = True) -> str:
        command = ["git", *(["--git-dir", str(self.mirror)] if git_dir else []), *args]
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ConfigError(f"Could not fetch {self.where}: {exc}.") from exc
        if done.returncode != 0:
            detail = public_url(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git failed")
            raise ConfigError(f"Could not fetch {self.where}: {detail}.")
        return done.stdout
