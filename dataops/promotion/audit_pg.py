"""The audit trail on PostgreSQL, for the service that makes promotions on everybody's behalf.

``promotion_audit`` holds one row per record (the record itself as JSON, plus the columns the
history filters on); a trigger refuses to change or delete a row, and the service's account needs
only INSERT and SELECT. ``promotion_commits`` is the service's record of the commits promotions
made, each pointing at its audit row: `PgAuditTrail.landing` writes both in one transaction, in
which the caller may write its own rows too (``Landing.tx``).

A commit on a remote (GitLab) cannot join a database transaction, so the service uses two steps:
`begin` notes the attempt before it asks GitLab for the commit, `landing` (or `fail`) closes it
with its outcome in the transaction above. An attempt still open after a crash is listed by
`pending`, to be settled by looking for its commit on the remote.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from dataops import pg
from dataops.errors import Conflict
from dataops.promotion.audit import (
    AuditTrail,
    CommitRecord,
    Landing,
    commit_of,
    landed_record,
    line,
    stamp,
)
from dataops.promotion.history import History, check_limit, entry_from_record

_LOCK_KEY = 0x61756469_74  # advisory lock that serialises creating the tables

_SCHEMA = """
CREATE TABLE IF NOT EXISTS promotion_audit (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    environment TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    record JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS promotion_audit_by_environment ON promotion_audit (environment, id);
CREATE TABLE IF NOT EXISTS promotion_commits (
    commit_sha TEXT PRIMARY KEY,
    environment TEXT NOT NULL,
    branch TEXT NOT NULL,
    commit_url TEXT NOT NULL DEFAULT '',
    merge_request TEXT,
    audit_id BIGINT NOT NULL UNIQUE REFERENCES promotion_audit (id)
);
CREATE TABLE IF NOT EXISTS promotion_attempts (
    n BIGSERIAL,
    attempt_id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    record JSONB NOT NULL
);
CREATE OR REPLACE FUNCTION promotion_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the promotion audit trail is append-only';
END
$$;
CREATE OR REPLACE TRIGGER promotion_audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON promotion_audit
    FOR EACH STATEMENT EXECUTE FUNCTION promotion_audit_append_only();
"""


class PgAuditTrail(AuditTrail):
    """The audit trail in the PostgreSQL database ``dsn`` (tables created on first use)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.location = pg.describe(dsn)
        self._psycopg = pg.psycopg()
        self._connections = pg.ThreadConnections(dsn, "the promotion audit trail")
        pg.create_once(self._conn(), "promotion_attempts", _LOCK_KEY, _SCHEMA)

    def _conn(self) -> Any:  # a psycopg.Connection (psycopg is an optional dependency)
        return self._connections.get()

    def _insert(self, conn: Any, full: dict[str, Any]) -> int:
        jsonb = self._psycopg.types.json.Jsonb(json.loads(line(full)))  # stored as the file would hold it
        row = conn.execute(
            "INSERT INTO promotion_audit (at, environment, outcome, record) VALUES (%s, %s, %s, %s) RETURNING id",
            (full["at"], str(full.get("environment", "")), str(full.get("outcome", "")), jsonb),
        )
        return int(row.fetchone()[0])

    def append(self, record: dict[str, Any]) -> dict[str, Any]:  # noqa: D102 - see AuditTrail
        full = stamp(record)
        self._insert(self._conn(), full)
        return full

    def begin(self, record: dict[str, Any]) -> str:  # noqa: D102 - see AuditTrail
        attempt_id = uuid.uuid4().hex
        full = stamp(record)
        self._conn().execute(
            "INSERT INTO promotion_attempts (attempt_id, at, record) VALUES (%s, %s, %s)",
            (attempt_id, full["at"], self._psycopg.types.json.Jsonb(json.loads(line(full)))),
        )
        return attempt_id

    def pending(self) -> list[dict[str, Any]]:
        """The contract's pending attempts, each with its ``attempt_id``."""
        rows = self._conn().execute("SELECT attempt_id, record FROM promotion_attempts ORDER BY n")
        return [{**record, "attempt_id": attempt_id} for attempt_id, record in rows.fetchall()]

    def fail(self, attempt_id: str, record: dict[str, Any]) -> dict[str, Any]:  # noqa: D102
        full = stamp(record)
        conn = self._conn()
        with conn.transaction():
            conn.execute("DELETE FROM promotion_attempts WHERE attempt_id = %s", (attempt_id,))
            self._insert(conn, full)
        return full

    @contextlib.contextmanager
    def landing(
        self, record: dict[str, Any], commit: CommitRecord, attempt_id: str = ""
    ) -> Iterator[Landing]:
        """See AuditTrail.landing."""
        conn = self._conn()
        full = stamp(landed_record(record, commit))
        try:
            with conn.transaction():
                audit_id = self._insert(conn, full)
                conn.execute(
                    "INSERT INTO promotion_commits VALUES (%s, %s, %s, %s, %s, %s)",
                    (commit.commit_sha, commit.environment, commit.branch, commit.commit_url,
                     commit.merge_request, audit_id),
                )  # fmt: skip
                if attempt_id:
                    conn.execute("DELETE FROM promotion_attempts WHERE attempt_id = %s", (attempt_id,))
                yield Landing(full, conn)
        except self._psycopg.errors.UniqueViolation as exc:
            raise Conflict(
                f"The commit {commit.commit_sha} is already recorded in the audit trail; it is not recorded twice."
            ) from exc

    def records(self) -> list[dict[str, Any]]:  # noqa: D102
        rows = self._conn().execute("SELECT record FROM promotion_audit ORDER BY id")
        return [r[0] for r in rows.fetchall()]

    def history(self, environments: Iterable[str] | None = None, limit: int = 20) -> History:  # noqa: D102
        check_limit(limit)
        wanted = None if environments is None else list(environments)
        rows = self._conn().execute(
            "SELECT record FROM promotion_audit WHERE %s::text[] IS NULL OR environment = ANY(%s)"
            " ORDER BY id DESC LIMIT %s",
            (wanted, wanted, limit),
        )
        return History([entry_from_record(r[0], line(r[0])) for r in rows.fetchall()])

    def commits(self) -> list[CommitRecord]:  # noqa: D102
        rows = self._conn().execute(
            "SELECT a.record FROM promotion_commits c JOIN promotion_audit a ON a.id = c.audit_id ORDER BY a.id"
        )
        return [commit_of(r[0]) for r in rows.fetchall()]

    def close(self) -> None:
        """Close this thread's connection."""
        self._connections.close()
