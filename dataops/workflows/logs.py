"""The durable run log: every line a step wrote and every engine event, in one ordered timeline.

One SQLite database (WAL mode) in the configured log folder holds the records of all runs.
Each record gets a ``seq`` number when it is committed; because SQLite admits one writer at a
time, a reader that has seen ``seq`` N will never later find a record below N appear. ``seq`` is
therefore the offset a follower resumes from: "give me the records of this run after N" loses
nothing and repeats nothing, across restarts of workers and server. Why SQLite and not one file
per run is argued in ``docs/workflows.md``.

This is the default store (`LogStore`); `open_log_store` opens the PostgreSQL store
(`dataops.workflows.logs_pg`) instead when the configuration names a database. Both keep the
contract of `dataops.workflows.log_records.RunLogStore`. `LogWriter` feeds either.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from dataops.errors import ConfigError
from dataops.pg import is_dsn
from dataops.workflows.log_records import (
    COLUMNS,
    PUBLIC_FIELDS,
    LogRecord,
    RunLogStore,
    column_values,
    current_user,
    now_iso,
    record_from_row,
)

__all__ = ["LogRecord", "LogStore", "LogWriter", "RunLogStore", "current_user", "now_iso", "open_log_store"]

DB_NAME = "runlogs.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'log',
    source TEXT NOT NULL DEFAULT '',
    activity_id TEXT NOT NULL DEFAULT '',
    task_id TEXT NOT NULL DEFAULT '',
    worker TEXT NOT NULL DEFAULT '',
    step_version TEXT NOT NULL DEFAULT '',
    logger TEXT NOT NULL DEFAULT '',
    event TEXT NOT NULL DEFAULT '',
    event_key TEXT,
    config_version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS records_by_run ON records (run_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS records_event_once
    ON records (run_id, event_key) WHERE event_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS starts (
    run_id TEXT PRIMARY KEY,
    started_by TEXT NOT NULL,
    definition_key TEXT NOT NULL,
    started_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS starts_by_user ON starts (started_by, started_at);
"""


# Built from our own dataclass's field names, never from input.
_INSERT = f"INSERT OR IGNORE INTO records ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"  # noqa: S608
_SELECT = f"SELECT seq, {', '.join(COLUMNS)} FROM records"  # noqa: S608
_JSON_PAIRS = ", ".join(f"'{name}', {name}" for name in PUBLIC_FIELDS)
_SELECT_JSON = f"SELECT seq, json_object({_JSON_PAIRS}) FROM records"  # noqa: S608 (field names only)
_row = record_from_row


def _migrate(conn: sqlite3.Connection) -> None:
    """Give a database made before records named their configuration version its column."""
    if any(row[1] == "config_version" for row in conn.execute("PRAGMA table_info(records)")):
        return
    try:
        conn.execute("ALTER TABLE records ADD COLUMN config_version TEXT NOT NULL DEFAULT ''")
    except sqlite3.OperationalError as exc:
        if "duplicate column" not in str(exc):  # another process added it first
            raise


class LogStore(RunLogStore):
    """The run log database in folder ``path`` (created on first use); safe for many processes."""

    # "database is locked" clears once the other writer commits.
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
    transient_errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path).expanduser()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"The workflow log folder {self.path} cannot be created: {exc}") from exc
        self.db_path = self.path / DB_NAME
        self.location = str(self.db_path)
        self._local = threading.local()
        with self._conn() as conn:
            conn.executescript(_SCHEMA)
            _migrate(conn)

    def _conn(self) -> sqlite3.Connection:
        # One connection per thread: sqlite3 connections must not be shared between threads.
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
            # Lets pruning give freed pages back to the disk. It takes effect only in a new database,
            # and only before the switch to WAL below writes the database's first page.
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives a crash of the process, only power loss can undo it.
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def append(self, records: Iterable[LogRecord]) -> int:
        """Commit ``records`` in one transaction, in order; returns how many were new.

        Events whose ``event_key`` is already stored for the run are skipped, so several
        processes may record the same engine event without duplicating it.
        """
        rows = [column_values(r) for r in records]
        if not rows:
            return 0
        conn = self._conn()
        before = conn.total_changes
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(_INSERT, rows)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return conn.total_changes - before

    def read(self, run_id: str, after: int = 0, limit: int = 10_000) -> list[LogRecord]:
        """The run's records with ``seq > after``, oldest first, at most ``limit``."""
        cur = self._conn().execute(
            f"{_SELECT} WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", (run_id, after, limit)
        )
        return [_row(r) for r in cur.fetchall()]

    def read_json(self, run_id: str, after: int = 0, limit: int = 10_000) -> list[tuple[int, str]]:
        """`read`, but each record as ``(seq, JSON text)`` built by SQLite (the streaming hot path)."""
        cur = self._conn().execute(
            f"{_SELECT_JSON} WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            (run_id, after, limit),
        )
        return cur.fetchall()

    def data_version(self) -> int:
        """A number that changes whenever any other connection (process or thread) commits to the store.

        Cheap (SQLite reads it from the shared WAL index, no query, no disk), so a live tail can
        ask it every few milliseconds and run its real query only when something was written.
        """
        return self._conn().execute("PRAGMA data_version").fetchone()[0]

    def tail(self, run_id: str, n: int) -> list[LogRecord]:
        """The run's last ``n`` records, oldest first."""
        cur = self._conn().execute(f"{_SELECT} WHERE run_id = ? ORDER BY seq DESC LIMIT ?", (run_id, n))
        return [_row(r) for r in reversed(cur.fetchall())]

    def count(self, run_id: str, *, task_id: str, event: str) -> int:
        """How many records of the run's task ``task_id`` mark ``event`` (e.g. attempts taken)."""
        cur = self._conn().execute(
            "SELECT count(*) FROM records WHERE run_id = ? AND task_id = ? AND event = ?",
            (run_id, task_id, event),
        )
        return int(cur.fetchone()[0])

    def has_event(self, run_id: str, event_key: str) -> bool:
        """True when the event ``event_key`` is recorded for the run."""
        cur = self._conn().execute(
            "SELECT 1 FROM records WHERE run_id = ? AND event_key = ?", (run_id, event_key)
        )
        return cur.fetchone() is not None

    def note_start(self, run_id: str, user: str, definition_key: str) -> None:
        """Remember who started a run (the engine does not record it for REST clients)."""
        self._conn().execute(
            "INSERT OR IGNORE INTO starts VALUES (?, ?, ?, ?)", (run_id, user, definition_key, now_iso())
        )

    def started_by(self, user: str, limit: int = 500) -> list[str]:
        """Ids of the runs ``user`` started, newest first."""
        cur = self._conn().execute(
            "SELECT run_id FROM starts WHERE started_by = ? ORDER BY started_at DESC LIMIT ?", (user, limit)
        )
        return [r[0] for r in cur.fetchall()]

    def starters(self, run_ids: Iterable[str]) -> dict[str, str]:
        """Who started each of ``run_ids`` (runs with no record of their start are left out)."""
        ids = list(run_ids)
        found: dict[str, str] = {}
        for i in range(0, len(ids), 500):  # SQLite limits the number of bound parameters
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT run_id, started_by FROM starts WHERE run_id IN ({marks})"  # noqa: S608 (only ? marks)
            cur = self._conn().execute(query, chunk)
            found.update(cur.fetchall())
        return found

    def last_records(self, before: str) -> list[tuple[str, str, bool]]:
        """Runs whose newest record is older than ``before`` (ISO time): ``(run_id, its time, ended)``.

        ``ended`` is True when the run's end (``run_ended``) is recorded.
        """
        cur = self._conn().execute(
            "SELECT r.run_id, r.timestamp, EXISTS (SELECT 1 FROM records e"
            "  WHERE e.run_id = r.run_id AND e.event_key = 'run:ended')"
            " FROM records r JOIN (SELECT max(seq) AS last FROM records GROUP BY run_id) m ON r.seq = m.last"
            " WHERE r.timestamp < ?",
            (before,),
        )
        return [(run_id, ts, bool(ended)) for run_id, ts, ended in cur.fetchall()]

    def delete_runs(self, run_ids: Iterable[str], chunk: int = 10) -> int:
        """Delete every record of the runs (a few at a time, so writers wait little); returns how many."""
        ids, deleted, conn = list(run_ids), 0, self._conn()
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            marks = ", ".join("?" * len(part))
            conn.execute("BEGIN IMMEDIATE")
            try:
                deleted += conn.execute(f"DELETE FROM records WHERE run_id IN ({marks})", part).rowcount  # noqa: S608
                conn.execute(f"DELETE FROM starts WHERE run_id IN ({marks})", part)  # noqa: S608
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return deleted

    def size(self) -> int:
        """Bytes the store takes on disk (database and write-ahead log)."""
        return sum(p.stat().st_size for p in self.path.glob(DB_NAME + "*") if p.is_file())

    def compact(self, *, rewrite: bool = True) -> bool:
        """Give the space of deleted records back to the disk; False when only a rewrite could.

        Free pages are released a few megabytes per transaction, so writers wait little, then the
        write-ahead log is truncated (as far as readers allow). A database created before
        incremental vacuuming must be rewritten once (VACUUM, which holds off writers meanwhile):
        done only with ``rewrite``.
        """
        conn = self._conn()
        if conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
            if not rewrite:
                return False
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("VACUUM")
        else:
            while conn.execute("PRAGMA freelist_count").fetchone()[0]:
                conn.execute(
                    "PRAGMA incremental_vacuum(2000)"
                ).fetchall()  # runs page by page: step to the end
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return True

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class LogWriter:
    """Appends records from any thread without making the writer wait for the disk.

    A background thread commits whatever has queued up in one transaction, so a step that
    prints in a tight loop costs one commit per batch, not per line, and a line reaches the
    store within milliseconds. ``flush()`` returns once everything written before it is stored.
    A step that writes faster than the store commits waits once ``max_pending`` lines are queued,
    so memory and the delay of every line stay bounded.
    """

    def __init__(self, store: RunLogStore, max_batch: int = 5000, max_pending: int = 200) -> None:
        self.store = store
        self.max_batch = max_batch
        self.max_pending = max_pending
        self._queue: queue.SimpleQueue[LogRecord | threading.Event | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dataops-log-writer", daemon=True)
        self._thread.start()

    def write(self, record: LogRecord) -> None:
        """Queue one record for the store (waits while ``max_pending`` are queued)."""
        self._queue.put(record)
        if self._queue.qsize() > self.max_pending:
            while self._queue.qsize() > self.max_pending // 2 and self._thread.is_alive():
                time.sleep(0.001)

    def flush(self, timeout: float = 30.0) -> None:
        """Block until every record written so far is committed."""
        done = threading.Event()
        self._queue.put(done)
        if not done.wait(timeout):
            raise TimeoutError(
                f"The run log at {self.store.location} did not accept records for {timeout} s."
            )
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Flush and stop the background thread."""
        self.flush()
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        stop = False
        while not stop:
            item = self._queue.get()
            batch: list[LogRecord] = []
            waiters: list[threading.Event] = []
            while True:
                if item is None:
                    stop = True
                elif isinstance(item, threading.Event):
                    waiters.append(item)
                else:
                    batch.append(item)
                if stop or len(batch) >= self.max_batch:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            self._commit(batch)
            for w in waiters:
                w.set()

    def _commit(self, batch: list[LogRecord]) -> None:
        last: BaseException | None = None
        for attempt in range(5):
            try:
                self.store.append(batch)
                return
            except self.store.transient_errors as exc:  # e.g. a lock or a connection that comes back
                last = exc
                threading.Event().wait(0.2 * (attempt + 1))
        # Never drop lines silently: the next flush() raises this to the worker, which reports it.
        self._error = OSError(f"{len(batch)} log lines could not be stored in {self.store.location}: {last}")


def open_log_store(location: str | Path) -> RunLogStore:
    """The run log store at ``location``: PostgreSQL for a connection string, else SQLite in that folder."""
    if is_dsn(location):
        from dataops.workflows.logs_pg import PgLogStore  # psycopg is an optional dependency

        return PgLogStore(str(location))
    return LogStore(location)
