"""The run log store on PostgreSQL: one database shared by workers on several hosts and the service.

Same contract as the SQLite store (`dataops.workflows.log_records.RunLogStore`). Two points need
care on a server that admits concurrent writers:

- **Offsets.** A sequence (BIGSERIAL) hands out numbers in the order transactions *ask*, not the
  order they *commit*: writer A takes 10, writer B takes 11 and commits first, a follower reads 11
  and resumes after it, then A commits 10 behind its back. So every append first updates the one
  row of ``runlog_counter`` (``last = last + n``). The row lock serialises appends; it is released
  only after the commit is visible, so the next writer's numbers are above everything any reader
  can have seen, and a reader that has seen N never later finds a record below N. Appends are one
  statement per batch (one round trip, its own transaction), so the lock is held little longer
  than the insert and the commit (``docs/workflows.md`` has the measured rates).
- **Change detection.** Each append sends ``NOTIFY dataops_runlog`` in its transaction (delivered
  at commit). `data_version` counts the notifications one listening connection per store object
  receives in a background thread, so asking it costs no query.

Workers need INSERT and SELECT on ``runlog_records``, UPDATE on ``runlog_counter`` and INSERT on
``runlog_starts``; the service also DELETE (retention). The tables are created on first use by
an account allowed to; ``docs/workflows.md`` lists the grants.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from dataops import pg
from dataops.workflows.log_records import (
    COLUMNS,
    PUBLIC_FIELDS,
    LogRecord,
    RunLogStore,
    column_values,
    now_iso,
    record_from_row,
)

CHANNEL = "dataops_runlog"
_LOCK_KEY = 0x64617461_6F7073  # advisory lock that serialises creating the tables

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runlog_counter (one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), last BIGINT NOT NULL);
INSERT INTO runlog_counter (one, last) VALUES (TRUE, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS runlog_records (
    seq BIGINT PRIMARY KEY,
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
CREATE INDEX IF NOT EXISTS runlog_records_by_run ON runlog_records (run_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS runlog_records_event_once
    ON runlog_records (run_id, event_key) WHERE event_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS runlog_starts (
    run_id TEXT PRIMARY KEY,
    started_by TEXT NOT NULL,
    definition_key TEXT NOT NULL,
    started_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runlog_starts_by_user ON runlog_starts (started_by, started_at);
"""

# Built from our own dataclass's field names, never from input.
_ARRAYS = ", ".join(f"%({c})s::text[]" for c in COLUMNS)
# One statement, so one round trip and its own transaction: take the numbers (locking the counter
# row until the commit), insert, announce the commit. Built from our own field names, never input.
_APPEND = (
    "WITH c AS (UPDATE runlog_counter SET last = last + %(n)s RETURNING last),"  # noqa: S608
    f" added AS (INSERT INTO runlog_records (seq, {', '.join(COLUMNS)})"
    f" SELECT c.last - %(n)s + r.n, {', '.join('r.' + c for c in COLUMNS)}"
    f" FROM c, unnest({_ARRAYS}) WITH ORDINALITY AS r({', '.join(COLUMNS)}, n)"
    " ON CONFLICT DO NOTHING RETURNING 1)"
    f" SELECT (SELECT count(*) FROM added), pg_notify('{CHANNEL}', '')"
)
_SELECT = f"SELECT seq, {', '.join(COLUMNS)} FROM runlog_records"  # noqa: S608
_JSON = ", ".join(f"'{name}', {name}" for name in PUBLIC_FIELDS)
_SELECT_JSON = f"SELECT seq, json_build_object({_JSON})::text FROM runlog_records"  # noqa: S608


def _migrate(conn: Any) -> None:
    """Give tables made before records named their configuration version its column (under the
    creation lock, so two processes do not race)."""
    found = conn.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = 'runlog_records' AND column_name = 'config_version'"
    ).fetchone()
    if found is None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            conn.execute(
                "ALTER TABLE runlog_records ADD COLUMN IF NOT EXISTS config_version TEXT NOT NULL DEFAULT ''"
            )


class PgLogStore(RunLogStore):
    """The run log in the PostgreSQL database ``dsn`` (tables created on first use)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.location = pg.describe(dsn)
        psycopg = pg.psycopg()
        self.errors = (psycopg.Error, pg.StoreUnreachable)
        self.transient_errors = (psycopg.OperationalError, pg.StoreUnreachable)
        self._connections = pg.ThreadConnections(dsn, "the run log store")
        self._version = 0
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()
        pg.create_once(self._conn(), "runlog_starts", _LOCK_KEY, _SCHEMA)
        _migrate(self._conn())

    def _conn(self) -> Any:  # a psycopg.Connection (psycopg is an optional dependency)
        return self._connections.get()

    def append(self, records: Iterable[LogRecord]) -> int:  # noqa: D102 - see RunLogStore
        rows = [column_values(r) for r in records]
        if not rows:
            return 0
        params: dict[str, object] = {
            name: list(c) for name, c in zip(COLUMNS, zip(*rows, strict=True), strict=True)
        }
        params["n"] = len(rows)
        return int(self._conn().execute(_APPEND, params).fetchone()[0])

    def read(self, run_id: str, after: int = 0, limit: int = 10_000) -> list[LogRecord]:  # noqa: D102
        rows = self._conn().execute(
            f"{_SELECT} WHERE run_id = %s AND seq > %s ORDER BY seq LIMIT %s", (run_id, after, limit)
        )
        return [record_from_row(r) for r in rows.fetchall()]

    def read_json(self, run_id: str, after: int = 0, limit: int = 10_000) -> list[tuple[int, str]]:  # noqa: D102
        rows = self._conn().execute(
            f"{_SELECT_JSON} WHERE run_id = %s AND seq > %s ORDER BY seq LIMIT %s", (run_id, after, limit)
        )
        return rows.fetchall()

    def data_version(self) -> int:
        """The number of commits announced since this store object started listening (see module doc)."""
        if self._listener is None or not self._listener.is_alive():
            self._stop.clear()
            self._listener = threading.Thread(target=self._listen, name="dataops-runlog-listen", daemon=True)
            self._listener.start()  # not waited for: this runs on the server's event loop
        return self._version

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                conn = pg.connect(self.dsn, "the run log store")
            except pg.StoreUnreachable:
                self._version += 1  # let the tails look for themselves; try again shortly
                self._stop.wait(1.0)
                continue
            try:
                with conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._version += 1  # commits before LISTEN took effect were not announced: look once
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1000):
                            self._version += 1
            except pg.psycopg().OperationalError:
                self._version += 1  # the connection broke: commits may have been missed
                self._stop.wait(0.2)

    def tail(self, run_id: str, n: int) -> list[LogRecord]:  # noqa: D102
        rows = self._conn().execute(f"{_SELECT} WHERE run_id = %s ORDER BY seq DESC LIMIT %s", (run_id, n))
        return [record_from_row(r) for r in reversed(rows.fetchall())]

    def count(self, run_id: str, *, task_id: str, event: str) -> int:  # noqa: D102
        row = self._conn().execute(
            "SELECT count(*) FROM runlog_records WHERE run_id = %s AND task_id = %s AND event = %s",
            (run_id, task_id, event),
        )
        return int(row.fetchone()[0])

    def has_event(self, run_id: str, event_key: str) -> bool:  # noqa: D102
        row = self._conn().execute(
            "SELECT 1 FROM runlog_records WHERE run_id = %s AND event_key = %s", (run_id, event_key)
        )
        return row.fetchone() is not None

    def note_start(self, run_id: str, user: str, definition_key: str) -> None:  # noqa: D102
        self._conn().execute(
            "INSERT INTO runlog_starts VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (run_id, user, definition_key, now_iso()),
        )

    def started_by(self, user: str, limit: int = 500) -> list[str]:  # noqa: D102
        rows = self._conn().execute(
            "SELECT run_id FROM runlog_starts WHERE started_by = %s ORDER BY started_at DESC LIMIT %s",
            (user, limit),
        )
        return [r[0] for r in rows.fetchall()]

    def starters(self, run_ids: Iterable[str]) -> dict[str, str]:  # noqa: D102
        rows = self._conn().execute(
            "SELECT run_id, started_by FROM runlog_starts WHERE run_id = ANY(%s)", (list(run_ids),)
        )
        return dict(rows.fetchall())

    def last_records(self, before: str) -> list[tuple[str, str, bool]]:  # noqa: D102
        rows = self._conn().execute(
            "SELECT r.run_id, r.timestamp, EXISTS (SELECT 1 FROM runlog_records e"
            "  WHERE e.run_id = r.run_id AND e.event_key = 'run:ended')"
            " FROM runlog_records r JOIN (SELECT max(seq) AS last FROM runlog_records GROUP BY run_id) m"
            " ON r.seq = m.last WHERE r.timestamp < %s",
            (before,),
        )
        return [(run_id, ts, bool(ended)) for run_id, ts, ended in rows.fetchall()]

    def delete_runs(self, run_ids: Iterable[str], chunk: int = 10) -> int:  # noqa: D102
        ids, deleted, conn = list(run_ids), 0, self._conn()
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            with conn.transaction():
                deleted += conn.execute("DELETE FROM runlog_records WHERE run_id = ANY(%s)", (part,)).rowcount
                conn.execute("DELETE FROM runlog_starts WHERE run_id = ANY(%s)", (part,))
        return deleted

    def size(self) -> int:
        """Bytes the tables and their indexes take in the database."""
        row = self._conn().execute(
            "SELECT pg_total_relation_size('runlog_records') + pg_total_relation_size('runlog_starts')"
        )
        return int(row.fetchone()[0])

    def compact(self, *, rewrite: bool = True) -> bool:
        """Vacuum the tables: the space of deleted records is reused by new ones without holding off
        writers (PostgreSQL gives it back to the disk only by a rewrite that does; not done here)."""
        self._conn().execute("VACUUM (ANALYZE) runlog_records, runlog_starts")
        return True

    def close(self) -> None:
        """Close this thread's connection and stop listening (`data_version` starts again if asked)."""
        self._stop.set()
        self._connections.close()
