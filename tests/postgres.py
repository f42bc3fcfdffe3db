"""A real PostgreSQL server for the tests: one per session, started by the first test that asks.

`initdb` into a temporary folder, `pg_ctl start` on a free port with its Unix socket in that
folder, trust authentication on 127.0.0.1 only. initdb refuses to run as root, so under root the
server runs as the ``postgres`` account (Debian's server package creates it) or, where there is
none, a dedicated system account ``dataops-pg``. Each test module gets its own database
(`pg_dsn`), dropped at the end of the module; the server stops at the end of the session.
Registered by `pytest_plugins` in `tests/conftest.py`; `bench/log_stream.py` uses `PostgresServer` too.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

INSTALL_HINT = "install Debian's postgresql package (make system-deps does)"


def server_binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/<major>/bin`` with initdb and pg_ctl, else the ones on PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _server_account() -> str | None:
    """The unprivileged account the server runs as under root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "dataops-pg"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "dataops-pg"], check=True)
    return "dataops-pg"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL server (start and stop are idempotent)."""

    def __init__(self, *, durable: bool = False) -> None:
        """``durable``: flush every commit to disk as a production server does (tests need not)."""
        binaries = server_binaries()
        if binaries is None:
            raise RuntimeError(
                f"No PostgreSQL server binaries (initdb, pg_ctl) on this machine: {INSTALL_HINT}."
            )
        self.bin = binaries
        self.account = _server_account()
        # Not under pytest's (root-only) temporary folder: the server account must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="dataops-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.log = self.root / "server.log"
        self.running = False
        self.durable = durable
        if self.account:
            shutil.chown(self.root, self.account, self.account)

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            user=self.account,
            cwd=self.root,
            env={**os.environ, "HOME": str(self.root), "LC_ALL": "C.UTF-8"},
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}")
        return done

    def start(self) -> None:
        """initdb (first time) and start the server; returns once it accepts connections."""
        if self.running:
            return
        if not self.data.exists():
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
            )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off"  # a test's database need not survive a power cut
        self._run(
            "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options
        )
        self.running = True

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its files."""
        if self.running:
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w")
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    def dsn(self, dbname: str = "postgres") -> str:
        """The connection string of database ``dbname`` as the superuser."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, hint: str) -> str:
        """A new empty database named after ``hint``; its connection string."""
        import psycopg

        name = re.sub(r"\W+", "_", hint.lower())[-40:] + f"_{time.monotonic_ns() % 10**9}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def drop_database(self, dsn: str) -> None:
        """Drop the database of ``dsn`` even while connections to it are open."""
        import psycopg

        name = dsn.rsplit("/", 1)[1]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server (started on first use)."""
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def pg_dsn(pg_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database of its own for the test module: its connection string."""
    dsn = pg_server.create_database(request.module.__name__.rsplit(".", 1)[-1])
    yield dsn
    pg_server.drop_database(dsn)
