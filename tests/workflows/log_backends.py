"""The run log stores the contract tests run against: SQLite in a folder, PostgreSQL on a real server."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dataops.pg import is_dsn
from dataops.workflows.logs import DB_NAME

BACKENDS = ("sqlite", "postgresql")


def fresh_location(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """An empty store's location: a new folder, or the module's database emptied."""
    if backend == "sqlite":
        return tmp_path
    import psycopg

    dsn = request.getfixturevalue("pg_dsn")
    with psycopg.connect(dsn, autocommit=True) as conn:
        # Tests of one module share its database: each starts from no records and offset 0.
        conn.execute("DROP TABLE IF EXISTS runlog_records, runlog_starts, runlog_counter")
    return dsn


@contextlib.contextmanager
def hold_write_lock(location: str | Path) -> Iterator[None]:
    """Hold the store's write lock, as another writer in the middle of a long commit does."""
    if is_dsn(location):
        import psycopg

        with psycopg.connect(str(location)) as conn:  # one transaction until the block ends
            conn.execute("SELECT last FROM runlog_counter FOR UPDATE")
            yield
            conn.rollback()
        return
    blocker = sqlite3.connect(Path(location) / DB_NAME, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
