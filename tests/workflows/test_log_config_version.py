"""Run log records name the process configuration version (``config_version``) beside the steps'
version, and a store made before they did gains the column when opened, its records kept."""

from __future__ import annotations

import sqlite3

import pytest

from dataops.workflows.logs import DB_NAME, LogRecord, now_iso, open_log_store
from tests.workflows.log_backends import BACKENDS, fresh_location

OLD_COLUMNS = """
    run_id TEXT NOT NULL, timestamp TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'log', source TEXT NOT NULL DEFAULT '', activity_id TEXT NOT NULL DEFAULT '',
    task_id TEXT NOT NULL DEFAULT '', worker TEXT NOT NULL DEFAULT '', step_version TEXT NOT NULL DEFAULT '',
    logger TEXT NOT NULL DEFAULT '', event TEXT NOT NULL DEFAULT '', event_key TEXT
"""
STARTS = "(run_id TEXT PRIMARY KEY, started_by TEXT NOT NULL, definition_key TEXT NOT NULL, started_at TEXT NOT NULL)"
OLD_ROW = ("old-run", "2026-01-01T00:00:00.000000Z", "INFO", "before the upgrade", "abc123")


def _old_store(backend: str, location) -> None:
    """A store as the release before ``config_version`` left it, holding one record."""
    insert = "INSERT INTO {} (seq, run_id, timestamp, level, message, step_version) VALUES (1, {})"
    if backend == "sqlite":
        conn = sqlite3.connect(location / DB_NAME)
        conn.execute(f"CREATE TABLE records (seq INTEGER PRIMARY KEY AUTOINCREMENT, {OLD_COLUMNS})")
        conn.execute(f"CREATE TABLE starts {STARTS}")
        conn.execute(insert.format("records", ", ".join("?" * 5)), OLD_ROW)
        conn.commit()
        conn.close()
        return
    import psycopg

    with psycopg.connect(location, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE runlog_counter (one BOOLEAN PRIMARY KEY DEFAULT TRUE, last BIGINT NOT NULL)"
        )
        conn.execute("INSERT INTO runlog_counter VALUES (TRUE, 1)")
        conn.execute(f"CREATE TABLE runlog_records (seq BIGINT PRIMARY KEY, {OLD_COLUMNS})")
        conn.execute(f"CREATE TABLE runlog_starts {STARTS}")
        conn.execute(insert.format("runlog_records", ", ".join(["%s"] * 5)), OLD_ROW)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_older_store_gains_config_version_and_keeps_its_records(backend, request, tmp_path):
    location = fresh_location(backend, request, tmp_path)
    _old_store(backend, location)

    store = open_log_store(location)
    store.append(
        [
            LogRecord(
                run_id="new-run",
                timestamp=now_iso(),
                level="INFO",
                message="after the upgrade",
                step_version="def456 config sdmx_production 1.2.0",
                config_version="sdmx_production 1.2.0",
            )
        ]
    )

    (old,) = store.read("old-run")
    assert (old.message, old.step_version, old.config_version) == ("before the upgrade", "abc123", "")
    (new,) = store.read("new-run")
    assert new.seq == 2 and new.config_version == "sdmx_production 1.2.0"
    (_, text) = store.read_json("new-run")[0]
    assert '"config_version"' in text and "sdmx_production 1.2.0" in text
    open_log_store(location).read("old-run")  # opening it again migrates nothing twice
