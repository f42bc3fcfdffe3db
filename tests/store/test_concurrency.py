"""Two writer processes revising one series at once, on the SQLite catalog and on PostgreSQL: every
write lands (a writer that loses the commit race computes its write again and retries).

So that the first writes of both really meet, the test holds the catalog's table locked for
writing (readers pass) while both prepare them: both then commit over the same snapshot, and one
of them must find the table changed under it and retry.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

import dataops
from tests.store.fixtures import frame, store_config

REPO = Path(__file__).resolve().parents[2]
WRITES = 6
SEED = frame([("A", "DE", "GDP", "1999", 0.0)])
WRITERS = (("one", 2000), ("two", 2050))  # both merge into A.DE.GDP, each its own periods


def _race(tmp_path: Path, config: str, hold: Callable[[], Iterator[None]]) -> list[int]:
    start = tmp_path / "start"
    env = {**os.environ, "DATAOPS_SYSTEM_CONFIG": config, "PYTHONPATH": str(REPO)}
    writers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.store.writer_process", name, str(base), str(WRITES), str(start)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, base in WRITERS
    ]
    while not all((tmp_path / f"ready-{name}").exists() for name, _ in WRITERS):
        assert all(w.poll() is None for w in writers), "a writer stopped before the start"
        time.sleep(0.05)
    with contextmanager(hold)():
        start.touch()
        time.sleep(6)  # both writers read the table and write their files, then wait on the lock (or, on
        # SQLite, give up waiting after its 5 s and retry: a lost race all the same)
    attempts = []
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
        attempts += [int(line) for line in out.split()]
    return attempts


def _check_every_write_landed(attempts: list[int]) -> None:
    df = dataops.read("STORE", "NA")
    vintages = dataops.vintages("STORE", "NA")
    assert len(attempts) == 2 * WRITES
    assert max(attempts) >= 2  # a writer lost the race, and its write landed all the same
    assert sorted(df["TIME_PERIOD"]) == sorted(
        ["1999"] + [str(b + i) for _, b in WRITERS for i in range(WRITES)]
    )
    assert sorted(vintages["message"]) == sorted(
        ["seed"] + [f"{n} {i}" for n, _ in WRITERS for i in range(WRITES)]
    )
    assert list(vintages["total_rows"]) == list(range(1, 2 * WRITES + 2))


def test_two_processes_writing_at_once_on_sqlite_lose_no_write(store_env: Path, dataops_config: Path):
    dataops.write("STORE", "NA", SEED, message="seed")  # the table exists: both race on commits only

    def hold() -> Iterator[None]:
        db = sqlite3.connect(store_env / "catalog.db", isolation_level=None)
        db.execute("BEGIN IMMEDIATE")  # others read, nobody else writes
        yield
        db.execute("COMMIT")
        db.close()

    attempts = _race(store_env, str(dataops_config), hold)

    _check_every_write_landed(attempts)


@pytest.mark.timeout(600)
def test_two_processes_writing_at_once_on_postgresql_lose_no_write(
    pg_dsn: str, dataops_config: Path, tmp_path: Path
):
    store_config(tmp_path, uri=pg_dsn, path=dataops_config)
    dataops.write("STORE", "NA", SEED, message="seed")

    def hold() -> Iterator[None]:
        with psycopg.connect(pg_dsn) as conn:
            conn.execute("LOCK TABLE iceberg_tables IN EXCLUSIVE MODE")  # others read, nobody else writes
            yield

    attempts = _race(tmp_path, str(dataops_config), hold)

    _check_every_write_landed(attempts)
