"""REST API of workflows through a real Jupyter server, a real engine and a real worker."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from tornado.httpclient import HTTPClientError

from tests.workflows.support import WorkerProcess, process_xml, unique, write_steps


async def _json(jp_fetch, *parts, method="GET", body=None, **params):
    kwargs = {"method": method, "params": params}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    response = await jp_fetch("dataops", "api", "workflows", *parts, **kwargs)
    return json.loads(response.body)


async def _error(jp_fetch, *parts, method="GET", body=None, **params):
    with pytest.raises(HTTPClientError) as err:
        await _json(jp_fetch, *parts, method=method, body=body, **params)
    return err.value.code, json.loads(err.value.response.body)


async def _until(fetch_status, wanted, timeout=30):
    for _ in range(int(timeout / 0.2)):
        run = await fetch_status()
        if run["status"] in wanted:
            return run
        await asyncio.sleep(0.2)
    raise AssertionError(f"run did not reach {wanted}: {run}")


@pytest.fixture
def configured(dataops_config, engine_url, tmp_path):
    dataops_config.write_text(f'[workflows]\nengine_url = "{engine_url}"\nlog_dir = "{tmp_path / "logs"}"\n')
    return tmp_path / "logs"


@pytest.fixture
def flaky(configured, engine_url, tmp_path):
    """A published-by-test process whose step fails until a marker file exists; a worker serves it."""
    topic = unique("flaky")
    marker = tmp_path / "fixed"
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import time
        from pathlib import Path
        from dataops.workflows import step

        @step("{topic}")
        def fetch(flow, pause=0):
            for i in range(40):
                print(flow, "line", i)
            time.sleep(pause)
            if not Path({str(marker)!r}).exists():
                raise ValueError("EXR has no observations for 2026-13")
            return {{"rows": 40}}
        """,
    )
    key = unique("api")
    with WorkerProcess(engine_url, steps, configured, unique("w"), "--retries", "0"):
        yield key, process_xml(key, [("fetch", topic)]), marker


async def test_publish_start_list_detail_and_logs(flaky, jp_fetch):
    key, xml, marker = flaky
    marker.write_text("")
    deployment = await _json(jp_fetch, "publish", method="POST", body={"resources": {f"{key}.bpmn": xml}})
    assert [(d["key"], d["version"]) for d in deployment["definitions"]] == [(key, 1)]
    definitions = await _json(jp_fetch, "definitions")
    definition = next(d for d in definitions["definitions"] if d["key"] == key)
    assert (await _json(jp_fetch, "definitions", definition["id"], "xml"))["xml"].startswith("<?xml")

    run = await _json(
        jp_fetch, "runs", method="POST", body={"key": key, "variables": {"flow": "EXR"}, "business_key": "b1"}
    )
    assert run["status"] == "running" and run["business_key"] == "b1"
    done = await _until(lambda: _json(jp_fetch, "runs", run["id"]), {"completed"})
    assert done["ended_at"]
    mine = await _json(jp_fetch, "runs", scope="mine")
    assert run["id"] in [r["id"] for r in mine["items"]]
    completed = await _json(jp_fetch, "runs", status="completed", definition_key=key)
    assert [r["id"] for r in completed["items"]] == [run["id"]]

    timeline = await _json(jp_fetch, "runs", run["id"], "timeline")
    assert [a["activity_id"] for a in timeline["activities"]] == ["start", "fetch", "end"]
    variables = {
        v["name"]: v["value"] for v in (await _json(jp_fetch, "runs", run["id"], "variables"))["variables"]
    }
    assert variables["rows"] == 40 and variables["flow"] == "EXR"

    # Paging by offset gives every record once, in order.
    seen, offset = [], 0
    while True:
        page = await _json(jp_fetch, "runs", run["id"], "logs", offset=offset, limit=7)
        if not page["records"]:
            break
        seen += page["records"]
        offset = page["next_offset"]
    lines = [r["message"] for r in seen if r["source"] == "stdout"]
    assert lines == [f"EXR line {i}" for i in range(40)]
    assert len({r["seq"] for r in seen}) == len(seen)
    assert [r["event"] for r in seen if r["kind"] == "event"][-1] == "run_ended"


async def test_a_failure_shows_an_incident_with_its_traceback_and_a_retry_completes_the_run(flaky, jp_fetch):
    key, xml, marker = flaky
    await _json(jp_fetch, "publish", method="POST", body={"resources": {f"{key}.bpmn": xml}})
    run = await _json(jp_fetch, "runs", method="POST", body={"key": key, "variables": {"flow": "EXR"}})
    await _until(lambda: _json(jp_fetch, "runs", run["id"]), {"incident"})
    [incident] = (await _json(jp_fetch, "runs", run["id"], "incidents"))["incidents"]
    assert "ValueError: EXR has no observations for 2026-13" in incident["message"]
    assert "Traceback" in incident["details"] and "EXR line 39" in incident["details"]
    stuck = await _json(jp_fetch, "runs", status="incident", definition_key=key)
    assert [r["id"] for r in stuck["items"]] == [run["id"]]
    marker.write_text("")
    assert (await _json(jp_fetch, "runs", run["id"], "retry", method="POST", body={}))["retried"] == 1
    await _until(lambda: _json(jp_fetch, "runs", run["id"]), {"completed"})
    resolved = (await _json(jp_fetch, "runs", run["id"], "incidents", include_resolved="true"))["incidents"]
    assert [i["state"] for i in resolved] == ["resolved"]


async def test_cancel_ends_a_run(flaky, jp_fetch):
    key, xml, marker = flaky
    marker.write_text("")
    await _json(jp_fetch, "publish", method="POST", body={"resources": {f"{key}.bpmn": xml}})
    run = await _json(
        jp_fetch, "runs", method="POST", body={"key": key, "variables": {"flow": "X", "pause": 20}}
    )
    answer = await _json(
        jp_fetch, "runs", run["id"], "cancel", method="POST", body={"reason": "wrong period"}
    )
    assert answer == {"run_id": run["id"], "cancelled": True}
    assert (await _json(jp_fetch, "runs", run["id"]))["status"] == "cancelled"
    code, body = await _error(jp_fetch, "runs", run["id"], "cancel", method="POST", body={})
    assert code == 404 and body["error"] == "not_found"


async def test_bad_requests_get_sentences_not_traces(configured, jp_fetch):
    code, body = await _error(jp_fetch, "runs", status="sleeping")
    assert code == 400 and "use one of running, incident" in body["message"]
    code, body = await _error(jp_fetch, "runs", method="POST", body={"variables": {}})
    assert code == 400 and body["message"] == 'Name the process to start as "key".'
    code, body = await _error(jp_fetch, "publish", method="POST", body={"resources": {"p.bpmn": "<bpmn"}})
    assert code == 422 and body["message"].startswith("p.bpmn is not well-formed XML (line 1)")
    code, body = await _error(jp_fetch, "runs", "no-such-run")
    assert code == 404 and body["error"] == "not_found"
    code, body = await _error(jp_fetch, "runs", "x", "logs", offset="-1")
    assert code == 400 and "'offset' must be at least 0" in body["message"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_an_engine_that_does_not_answer_is_a_json_502(dataops_config, tmp_path, jp_fetch):
    url = f"http://127.0.0.1:{_closed_port()}/engine-rest"
    dataops_config.write_text(f'[workflows]\nengine_url = "{url}"\nlog_dir = "{tmp_path}"\n')
    code, body = await _error(jp_fetch, "runs")
    assert code == 502 and body["error"] == "engine_unreachable"
    logs = await _json(jp_fetch, "runs", "r1", "logs")
    assert logs["records"] == [] and logs["engine_error"]["error"] == "engine_unreachable"


async def test_without_an_engine_the_api_says_what_to_configure(jp_fetch):
    code, body = await _error(jp_fetch, "definitions")
    assert code == 503 and "engine_url" in body["message"]


@pytest.mark.parametrize("action", ["cancel", "retry"])
async def test_a_run_id_that_climbs_out_of_its_path_never_reaches_another_engine_resource(
    configured, engine, jp_fetch, action
):
    key = unique("kept")
    xml = process_xml(key, [("fetch", unique("t"))])
    deployed = await _json(jp_fetch, "publish", method="POST", body={"resources": {f"{key}.bpmn": xml}})
    deployment = deployed["id"]

    code, body = await _error(
        jp_fetch, "runs", f"..%2Fdeployment%2F{deployment}", action, method="POST", body={}
    )

    assert code == 400 and "is not a valid run id" in body["message"]
    assert engine.definition(key).deployment_id == deployment  # the deployment was not deleted
