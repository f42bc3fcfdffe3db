"""The PostgreSQL run log store as a shared deployment uses it: workers with their own, narrower
roles, connection strings that never carry or show a password."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from dataops.config import Config
from dataops.errors import ConfigError
from dataops.pg import StoreUnreachable
from dataops.workflows.config import WorkflowsConfig
from dataops.workflows.logs import LogRecord, LogWriter, now_iso, open_log_store
from tests.workflows.log_backends import fresh_location

WORKER_GRANTS = """
GRANT SELECT, INSERT ON runlog_records, runlog_starts TO runlog_worker;
GRANT SELECT, UPDATE ON runlog_counter TO runlog_worker;
"""  # as docs/workflows.md lists them


@pytest.fixture
def service_dsn(request, tmp_path):
    return fresh_location("postgresql", request, tmp_path)


def test_a_worker_role_with_the_documented_grants_writes_and_only_the_service_deletes(service_dsn):
    service = open_log_store(service_dsn)  # the service's role creates the tables
    role = f"runlog_worker_{uuid.uuid4().hex[:8]}"  # roles belong to the whole server
    with psycopg.connect(service_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(WORKER_GRANTS.replace("runlog_worker", role))
    worker_dsn = service_dsn.replace("postgres@", f"{role}@", 1)
    worker = open_log_store(worker_dsn)
    writer = LogWriter(worker)
    for i in range(300):
        writer.write(LogRecord(run_id="r", timestamp=now_iso(), level="INFO", message=f"line {i}"))
    writer.close()
    assert [r.message for r in service.read("r")] == [f"line {i}" for i in range(300)]
    with pytest.raises(worker.errors, match="permission denied"):
        worker.delete_runs(["r"])
    assert service.delete_runs(["r"]) == 300


def test_a_connection_string_with_a_password_is_refused_without_repeating_it():
    cfg_error = "must be a PostgreSQL connection string"
    with pytest.raises(ConfigError, match="password file") as caught:
        open_log_store("postgresql://worker:s3cret-pw@db.example/dataops")
    assert "s3cret-pw" not in str(caught.value)
    with pytest.raises(ConfigError, match=cfg_error):
        WorkflowsConfig.from_config(Config({"workflows": {"log_store": "/srv/not-a-dsn"}}))


def test_a_store_that_does_not_answer_is_named_without_credentials(pg_server):
    dsn = f"postgresql://runlog_worker@127.0.0.1:{pg_server.port + 1}/dataops?passfile=/etc/dataops/pgpass"
    with pytest.raises(
        StoreUnreachable, match=r"database dataops on 127\.0\.0\.1:\d+ as runlog_worker does not answer"
    ):
        open_log_store(dsn)
