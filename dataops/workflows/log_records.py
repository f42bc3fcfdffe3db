"""What a run log holds and what every run log store promises, whatever keeps the records.

`LogRecord` is one line of a run's timeline. `RunLogStore` is the contract of a store: the SQLite
store (`dataops.workflows.logs.LogStore`, the default, one file beside the user) and the PostgreSQL
store (`dataops.workflows.logs_pg.PgLogStore`, shared by workers on several hosts) both keep it,
and the contract tests in ``tests/workflows/test_logs.py`` run against both.

The promise that matters most is about ``seq``: it is assigned when a record is committed, and a
reader that has seen ``seq`` N never later finds a record below N. ``seq`` is therefore the offset
a follower resumes from: "the records of this run after N" loses nothing and repeats nothing.
"""

from __future__ import annotations

import getpass
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path
from typing import Any


def current_user() -> str:
    """Who starts runs here: the JupyterHub user when there is one, else the login name.

    A label only (the "mine" filter, the starter shown in single-user mode): the user controls this
    process's environment, so under JupyterHub the service records the starter from the hub instead.
    """
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


_second: list = [None, ""]  # the last whole second formatted: a step may log thousands of lines in one


def now_iso() -> str:
    """The current time as ISO 8601 UTC with microseconds (the format of every record)."""
    now = time.time()
    whole = int(now)
    if whole != _second[0]:
        _second[1] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
        _second[0] = whole
    return f"{_second[1]}.{int((now - whole) * 1_000_000):06d}Z"


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, and steps build many
class LogRecord:
    """One line of a run's timeline: a step's log line (``kind="log"``) or an engine event (``"event"``).

    ``run_id`` is the engine's process instance id. ``source`` says where a line came from
    (``stdout``, ``stderr``, ``logging``, ``warnings``, ``worker``, ``engine``). Engine events carry
    ``event`` (``activity_started``, ``activity_ended``, ``incident_raised``, ``incident_resolved``,
    ``run_ended``) and an ``event_key`` that makes recording them twice a no-op. A task's records
    name the steps' version (``step_version``) and the process configuration's (``config_version``).
    """

    run_id: str
    timestamp: str
    level: str
    message: str
    kind: str = "log"
    source: str = ""
    activity_id: str = ""
    task_id: str = ""
    worker: str = ""
    step_version: str = ""
    logger: str = ""
    event: str = ""
    event_key: str | None = None
    config_version: str = ""  # ``<process key> <version>`` of the configuration the task ran with
    seq: int = 0

    def to_json(self) -> dict[str, Any]:
        """The record as the REST API and WebSocket send it (``event_key`` is internal)."""
        return dict(zip(PUBLIC_FIELDS, public_values(self), strict=True))


# The stored columns in field order (``seq`` is the store's), and the fields the API shows.
COLUMNS = [f.name for f in fields(LogRecord) if f.name != "seq"]
PUBLIC_FIELDS = [f.name for f in fields(LogRecord) if f.name != "event_key"]
column_values = attrgetter(*COLUMNS)
public_values = attrgetter(*PUBLIC_FIELDS)


def record_from_row(row: tuple) -> LogRecord:
    """The record of a row ``(seq, *COLUMNS)``."""
    record = LogRecord(*row[1:])
    record.seq = row[0]
    return record


class RunLogStore(ABC):
    """The contract of a run log store; safe for many threads and processes.

    ``location`` names the store in messages (a file, or the database without any credentials).
    ``errors`` are the exceptions of the database underneath; ``transient_errors`` those after which
    retrying an append may succeed.
    """

    location: str
    errors: tuple[type[BaseException], ...] = ()

    @abstractmethod
    def __init__(self, location: str | Path) -> None:
        """Open (and create on first use) the store at ``location``."""

    transient_errors: tuple[type[BaseException], ...] = ()

    @abstractmethod
    def append(self, records: Iterable[LogRecord]) -> int:
        """Commit ``records`` in one transaction, in order; returns how many were new.

        Events whose ``event_key`` is already stored for the run are skipped, so several
        processes may record the same engine event without duplicating it.
        """

    @abstractmethod
    def read(self, run_id: str, after: int = 0, limit: int = 10_000) -> list[LogRecord]:
        """The run's records with ``seq > after``, oldest first, at most ``limit``."""

    @abstractmethod
    def read_json(self, run_id: str, after: int = 0, limit: int = 10_000) -> list[tuple[int, str]]:
        """`read`, but each record as ``(seq, JSON text of to_json())`` (the streaming hot path)."""

    @abstractmethod
    def data_version(self) -> int:
        """A number that changes whenever anybody commits to the store; cheap enough to ask
        every few milliseconds on an event loop (no query, no disk)."""

    @abstractmethod
    def tail(self, run_id: str, n: int) -> list[LogRecord]:
        """The run's last ``n`` records, oldest first."""

    @abstractmethod
    def count(self, run_id: str, *, task_id: str, event: str) -> int:
        """How many records of the run's task ``task_id`` mark ``event`` (e.g. attempts taken)."""

    @abstractmethod
    def has_event(self, run_id: str, event_key: str) -> bool:
        """True when the event ``event_key`` is recorded for the run."""

    @abstractmethod
    def note_start(self, run_id: str, user: str, definition_key: str) -> None:
        """Remember who started a run (the engine does not record it for REST clients)."""

    @abstractmethod
    def started_by(self, user: str, limit: int = 500) -> list[str]:
        """Ids of the runs ``user`` started, newest first."""

    @abstractmethod
    def starters(self, run_ids: Iterable[str]) -> dict[str, str]:
        """Who started each of ``run_ids`` (runs with no record of their start are left out)."""

    @abstractmethod
    def last_records(self, before: str) -> list[tuple[str, str, bool]]:
        """Runs whose newest record is older than ``before`` (ISO time): ``(run_id, its time, ended)``.

        ``ended`` is True when the run's end (``run_ended``) is recorded.
        """

    @abstractmethod
    def delete_runs(self, run_ids: Iterable[str], chunk: int = 10) -> int:
        """Delete every record of the runs (a few at a time, so writers wait little); returns how many."""

    @abstractmethod
    def size(self) -> int:
        """Bytes the store takes on disk."""

    @abstractmethod
    def compact(self, *, rewrite: bool = True) -> bool:
        """Give the space of deleted records back; False when only a rewrite could and ``rewrite``
        is not allowed."""

    @abstractmethod
    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
