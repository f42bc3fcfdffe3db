"""The audit trail: one record per promotion attempt, appended, never rewritten.

Two stores keep the same contract (`AuditTrail`): a JSON lines file (`FileAuditTrail`, the default,
for one person's machine) and PostgreSQL (`dataops.promotion.audit_pg.PgAuditTrail`, for the hub
service that makes promotions for everybody). A landed promotion is recorded with `landing`: the
commit's record and its audit record are written together or not at all, and the caller may add
its own rows to the same transaction (``tx``), so no commit is recorded without its audit record
and no audit record claims a commit that was not recorded.

The module-level `append` and `read` are the file format itself, kept for the callers that name
the file directly.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dataops.pg import is_dsn
from dataops.promotion.history import History, read_history


@dataclass(frozen=True)
class CommitRecord:
    """The commit a promotion made: where it landed and how to see it."""

    commit_sha: str
    environment: str
    branch: str
    commit_url: str = ""
    merge_request: str | None = None


def stamp(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with ``at`` (now, UTC, to the second) first."""
    return {"at": datetime.now(UTC).isoformat(timespec="seconds"), **record}


def landed_record(record: dict[str, Any], commit: CommitRecord) -> dict[str, Any]:
    """The audit record of an attempt that landed as ``commit``."""
    return {
        **record,
        "outcome": "landed",
        "environment": commit.environment,
        "commit_sha": commit.commit_sha,
        "commit_url": commit.commit_url,
        "landed_on": commit.branch,
        "merge_request": commit.merge_request,
    }


def line(record: dict[str, Any]) -> bytes:
    """The record as one JSON line (sorted keys): the file's format and the source of entry ids."""
    return (json.dumps(record, sort_keys=True, default=str) + "\n").encode()


def append(path: Path, record: dict[str, Any]) -> dict[str, Any]:
    """Append ``record`` (plus ``at``, UTC) as one line; returns what was written."""
    return write(path, stamp(record))


def write(path: Path, full: dict[str, Any]) -> dict[str, Any]:
    """Append the already stamped ``full`` as one line: a single ``write`` with ``O_APPEND`` keeps
    concurrent writers from interleaving."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line(full))
    finally:
        os.close(fd)
    return full


def read(path: Path) -> list[dict[str, Any]]:
    """All records, oldest first (empty when no promotion happened yet)."""
    if not path.is_file():
        return []
    return [json.loads(text) for text in path.read_text().splitlines() if text.strip()]


class Landing:
    """What a landing's block can use: the audit record to be written (``record``) and, on
    PostgreSQL, the transaction's connection (``tx``) for the caller's own rows (None for a file)."""

    def __init__(self, record: dict[str, Any], tx: Any = None) -> None:
        self.record = record
        self.tx = tx


class AuditTrail(ABC):
    """The contract of an audit trail store. ``location`` names it in messages (no credentials)."""

    location: str

    @abstractmethod
    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        """Record an attempt that did not land (or any other event); returns it with its ``at``."""

    @abstractmethod
    def begin(self, record: dict[str, Any]) -> str:
        """Note an attempt before its commit is asked for; its id, for `landing` or `fail`."""

    @abstractmethod
    def fail(self, attempt_id: str, record: dict[str, Any]) -> dict[str, Any]:
        """Close the attempt with an outcome that made no commit, recording that outcome."""

    @abstractmethod
    def pending(self) -> list[dict[str, Any]]:
        """Attempts begun and never closed (a crash between the commit and its record), oldest first."""

    @abstractmethod
    def landing(
        self, record: dict[str, Any], commit: CommitRecord, attempt_id: str = ""
    ) -> contextlib.AbstractContextManager[Landing]:
        """A block that records ``commit`` and its audit record (closing ``attempt_id``) when it
        ends normally, and neither when it raises."""

    @abstractmethod
    def records(self) -> list[dict[str, Any]]:
        """Every record, oldest first."""

    @abstractmethod
    def history(self, environments: Iterable[str] | None = None, limit: int = 20) -> History:
        """The newest ``limit`` records for ``environments`` (all when None), newest first."""

    @abstractmethod
    def commits(self) -> list[CommitRecord]:
        """Every recorded commit, oldest first."""


class FileAuditTrail(AuditTrail):
    """The audit trail in a JSON lines file: a landing is one line, written at the end of its block.

    A file keeps no open attempts: `begin` writes nothing and `pending` is always empty.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)

    def append(self, record: dict[str, Any]) -> dict[str, Any]:  # noqa: D102 - see AuditTrail
        return append(self.path, record)

    def begin(self, record: dict[str, Any]) -> str:  # noqa: D102
        return ""

    def fail(self, attempt_id: str, record: dict[str, Any]) -> dict[str, Any]:  # noqa: D102
        return append(self.path, record)

    def pending(self) -> list[dict[str, Any]]:  # noqa: D102
        return []

    @contextlib.contextmanager
    def landing(  # noqa: D102
        self, record: dict[str, Any], commit: CommitRecord, attempt_id: str = ""
    ) -> Iterator[Landing]:
        done = Landing(stamp(landed_record(record, commit)))
        yield done
        # One line holds both the commit and its audit record: one write records both or neither.
        write(self.path, done.record)

    def records(self) -> list[dict[str, Any]]:  # noqa: D102
        return read(self.path)

    def history(self, environments: Iterable[str] | None = None, limit: int = 20) -> History:  # noqa: D102
        return read_history(self.path, environments, limit)

    def commits(self) -> list[CommitRecord]:  # noqa: D102
        return [commit_of(r) for r in self.records() if r.get("outcome") == "landed" and r.get("commit_sha")]


def commit_of(record: dict[str, Any]) -> CommitRecord:
    """The commit a landed audit record describes."""
    return CommitRecord(
        commit_sha=str(record["commit_sha"]),
        environment=str(record.get("environment", "")),
        branch=str(record.get("landed_on") or record.get("branch", "")),
        commit_url=str(record.get("commit_url") or ""),
        merge_request=record.get("merge_request"),
    )


def open_audit_trail(location: Path | str) -> AuditTrail:
    """The audit trail at ``location``: PostgreSQL for a connection string, else a JSON lines file."""
    if is_dsn(location):
        return _pg_trail(str(location))
    return FileAuditTrail(location)


@functools.lru_cache(maxsize=8)
def _pg_trail(dsn: str) -> AuditTrail:
    # One per database and process: it keeps a connection per thread, which requests then reuse.
    from dataops.promotion.audit_pg import PgAuditTrail  # psycopg is an optional dependency

    return PgAuditTrail(dsn)
