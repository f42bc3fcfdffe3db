"""GET …/runs/{id}/logs?order=time: the page in time order, resuming by arrival offset."""

from __future__ import annotations

import json
import socket

import pytest
from tornado.httpclient import HTTPClientError

from dataops.workflows.logs import LogRecord, LogStore


def _rec(message: str, at: str, **kw) -> LogRecord:
    return LogRecord(run_id="r1", timestamp=f"2026-11-26T10:00:{at}Z", level="INFO", message=message, **kw)


async def test_logs_in_time_order_put_engine_events_where_they_happened(dataops_config, tmp_path, jp_fetch):
    with socket.socket() as s:  # no engine: the stored log is served all the same
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/engine-rest"
    dataops_config.write_text(f'[workflows]\nengine_url = "{url}"\nlog_dir = "{tmp_path}"\n')
    store = LogStore(tmp_path)
    store.append([_rec("line 1", "01.5"), _rec("line 2", "01.6")])
    store.append(
        [_rec("Activity fetch started", "01.0", kind="event", event="activity_started", event_key="k")]
    )

    async def logs(**params):
        reply = await jp_fetch("dataops", "api", "workflows", "runs", "r1", "logs", params=params)
        return json.loads(reply.body)

    by_time = await logs(order="time")
    assert [r["message"] for r in by_time["records"]] == ["Activity fetch started", "line 1", "line 2"]
    by_arrival = await logs()
    assert [r["message"] for r in by_arrival["records"]] == ["line 1", "line 2", "Activity fetch started"]
    assert by_time["next_offset"] == by_arrival["next_offset"] == by_arrival["records"][-1]["seq"]
    first = await logs(order="time", limit=2)  # paging stays by arrival: nothing skipped, nothing twice
    rest = await logs(order="time", offset=first["next_offset"])
    assert [r["message"] for r in first["records"] + rest["records"]] == [
        "line 1",
        "line 2",
        "Activity fetch started",
    ]
    with pytest.raises(HTTPClientError) as err:
        await logs(order="newest")
    assert err.value.code == 400 and "'order'" in json.loads(err.value.response.body)["message"]
