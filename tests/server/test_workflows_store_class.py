"""An installation can bring its own run log store through ``c.WorkflowSettings.log_store_class``."""

from __future__ import annotations

import json
import socket

import pytest

from dataops.workflows.logs import LogRecord, LogStore, now_iso


class TeamLogStore(LogStore):
    """Keeps the run logs in a ``team`` sub-folder of the configured log folder."""

    def __init__(self, path):
        super().__init__(f"{path}/team")


@pytest.fixture
def jp_server_config(dataops_config):
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dataops": True}},
        "WorkflowSettings": {"log_store_class": f"{__name__}.TeamLogStore"},
    }


async def test_the_configured_log_store_class_serves_the_run_logs(dataops_config, tmp_path, jp_fetch):
    with socket.socket() as s:  # a port where no engine answers: the stored log is still served
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    logs = tmp_path / "logs"
    dataops_config.write_text(
        f'[workflows]\nengine_url = "http://127.0.0.1:{port}/engine-rest"\nlog_dir = "{logs}"\n'
    )
    TeamLogStore(logs).append(
        [LogRecord(run_id="run-7", timestamp=now_iso(), level="INFO", message="kept by the team store")]
    )
    response = await jp_fetch("dataops", "api", "workflows", "runs", "run-7", "logs")
    body = json.loads(response.body)
    assert [r["message"] for r in body["records"]] == ["kept by the team store"]
    assert (logs / "team").is_dir() and not (logs / "runlogs.sqlite3").exists()
