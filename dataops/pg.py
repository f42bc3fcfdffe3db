"""Connections to the PostgreSQL database of the shared stores (run logs, audit trail).

A store is named by a libpq connection string (``postgresql://worker@db.example/dataops`` or
``service=dataops``). Credentials never sit in the string: the password comes from a libpq
password file (``passfile=...`` or ``PGPASSFILE``) or a service file (``PGSERVICEFILE``), which
the administrator makes readable only by the account that needs it. Messages name the database
by host, port, database and user only, so no password is ever printed.

psycopg 3 is an optional dependency: ``pip install 'dataops-core[postgresql]'``.
"""

from __future__ import annotations

import threading
from typing import Any

from dataops.errors import ConfigError, Unreachable


def is_dsn(location: object) -> bool:
    """True when ``location`` is a PostgreSQL connection string (a ``postgresql://`` URI or libpq
    ``key=value`` settings) rather than a file or folder."""
    text = str(location).strip()
    return text.startswith(("postgresql://", "postgres://")) or (
        "=" in text and "/" not in text.split("=")[0]
    )


class StoreUnreachable(Unreachable):
    """The PostgreSQL server of a shared store could not be reached or refused the connection."""

    code = "store_unreachable"


def psycopg() -> Any:
    """The psycopg module, or `ConfigError` saying how to install it."""
    try:
        import psycopg as module
    except ImportError as exc:
        raise ConfigError(
            "A PostgreSQL store is configured but psycopg is not installed: "
            "pip install 'dataops-core[postgresql]'."
        ) from exc
    return module


def settings(dsn: str, what: str) -> dict[str, Any]:
    """The connection settings of ``dsn``; `ConfigError` when it cannot be parsed or holds a password."""
    conninfo = psycopg().conninfo
    try:
        parts = conninfo.conninfo_to_dict(dsn)
    except Exception:  # psycopg.ProgrammingError, whose text may quote the string (and a password in it)
        raise ConfigError(
            f"The connection string of {what} is not a valid PostgreSQL connection string."
        ) from None
    if parts.get("password"):
        raise ConfigError(
            f"The connection string of {what} contains a password: put the password in a libpq password "
            "file (passfile=... or PGPASSFILE) or a service file, readable only by the account that connects."
        )
    return parts


def describe(dsn: str) -> str:
    """``database NAME on HOST:PORT as USER`` for messages (only what the string says; never a password)."""
    try:
        parts = psycopg().conninfo.conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - a description must never fail
        return "the configured PostgreSQL database"
    if parts.get("service") and not parts.get("dbname"):
        return f"PostgreSQL service {parts['service']}"
    where = parts.get("host") or "the local server"
    if parts.get("port"):
        where += f":{parts['port']}"
    text = f"database {parts.get('dbname') or '(default)'} on {where}"
    return text + (f" as {parts['user']}" if parts.get("user") else "")


def connect(dsn: str, what: str) -> Any:
    """An autocommit connection to ``dsn`` (checked by `settings`); `StoreUnreachable` when it fails."""
    pg = psycopg()
    settings(dsn, what)
    try:
        return pg.connect(dsn, autocommit=True, connect_timeout=10)
    except pg.OperationalError as exc:
        # libpq's reason (refused, authentication failed, no such database) without the string itself.
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreUnreachable(f"{what.capitalize()} at {describe(dsn)} does not answer: {reason}") from None


class ThreadConnections:
    """One connection per thread to ``dsn``, as with SQLite: a transaction belongs to the thread that opened it."""

    def __init__(self, dsn: str, what: str) -> None:
        self.dsn, self.what = dsn, what
        self._local = threading.local()

    def get(self) -> Any:
        """This thread's open connection (a ``psycopg.Connection``), opened again if it was closed."""
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._local.conn = connect(self.dsn, self.what)
        return conn

    def close(self) -> None:
        """Close this thread's connection, if it has one."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def create_once(conn: Any, probe_table: str, lock_key: int, schema: str) -> None:
    """Run ``schema`` unless ``probe_table`` exists, under an advisory lock so two processes do not race."""
    if conn.execute("SELECT to_regclass(%s)", (probe_table,)).fetchone()[0] is None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key,))
            conn.execute(schema)
