"""A server configured with a PostgreSQL run log store serves what workers elsewhere wrote there."""

from __future__ import annotations

import json
import socket

from dataops.workflows.logs import LogRecord, LogWriter, now_iso, open_log_store


async def test_the_server_serves_run_logs_a_worker_wrote_into_postgresql(
    dataops_config, tmp_path, jp_fetch, pg_dsn
):
    with socket.socket() as s:  # a port where no engine answers: the stored log is still served
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dataops_config.write_text(
        f'[workflows]\nengine_url = "http://127.0.0.1:{port}/engine-rest"\nlog_store = "{pg_dsn}"\n'
        f'log_dir = "{tmp_path / "unused"}"\n'
    )
    writer = LogWriter(open_log_store(pg_dsn))  # a worker on another host, sharing only the database
    for i in range(5):
        writer.write(LogRecord(run_id="run-pg", timestamp=now_iso(), level="INFO", message=f"line {i}"))
    writer.close()
    first = json.loads((await jp_fetch("dataops", "api", "workflows", "runs", "run-pg", "logs")).body)
    assert [r["message"] for r in first["records"]] == [f"line {i}" for i in range(5)]
    rest = await jp_fetch(
        "dataops", "api", "workflows", "runs", "run-pg", "logs", params={"offset": first["records"][2]["seq"]}
    )
    assert [r["message"] for r in json.loads(rest.body)["records"]] == ["line 3", "line 4"]
    assert not (tmp_path / "unused").exists()  # nothing went to SQLite
