"""The run stream WebSocket: replay then live, exact reconnects, authentication, shared polling."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from tornado.httpclient import HTTPClientError

from tests.workflows.support import WorkerProcess, process_xml, unique, write_steps

LINES = 3000


@pytest.fixture
def chatty(dataops_config, engine, engine_url, tmp_path):
    """A process whose step prints LINES lines in bursts (or sleeps ``hold`` seconds), served by a worker."""
    logs = tmp_path / "logs"
    dataops_config.write_text(f'[workflows]\nengine_url = "{engine_url}"\nlog_dir = "{logs}"\n')
    topic = unique("chatty")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import time
        from dataops.workflows import step

        @step("{topic}")
        def chatty(hold=0):
            time.sleep(hold)
            for i in range({LINES}):
                print("line", i)
                if i % 100 == 99:
                    time.sleep(0.02)
        """,
    )
    key = unique("ws")
    engine.publish({f"{key}.bpmn": process_xml(key, [("chatty", topic)]).encode()}, name=key)
    # A short grace: a run cancelled while its step holds (the watchers test) must not keep the teardown 30 s.
    with WorkerProcess(engine_url, steps, logs, unique("w"), "--shutdown-grace", "1"):
        yield key


async def _start(jp_fetch, key, **variables):
    body = json.dumps({"key": key, "variables": variables})
    response = await jp_fetch("dataops", "api", "workflows", "runs", method="POST", body=body)
    return json.loads(response.body)["id"]


async def _read(ws, until, timeout=60):
    """Messages until ``until(messages)`` holds."""
    messages = []
    deadline = time.monotonic() + timeout
    while not until(messages):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"stream stalled after {len(messages)} messages"
        msg = await asyncio.wait_for(ws.read_message(), remaining)
        assert msg is not None, "the server closed the stream"
        messages.append(json.loads(msg))
    return messages


def _lines(messages):
    return [r for m in messages if m["type"] == "records" for r in m["records"] if r["source"] == "stdout"]


def _ended(messages):
    return any(m["type"] == "status" and m["run"]["status"] == "completed" for m in messages)


async def test_reconnecting_with_the_last_offset_loses_and_repeats_nothing(chatty, jp_fetch, jp_ws_fetch):
    run_id = await _start(jp_fetch, chatty)
    stream = ("dataops", "api", "workflows", "runs", run_id, "stream")
    ws = await jp_ws_fetch(*stream)
    first = await _read(ws, lambda ms: len(_lines(ms)) >= 500)
    ws.close()
    offset = [m for m in first if m["type"] == "records"][-1]["next_offset"]
    assert first[0]["type"] in ("status", "records")

    ws = await jp_ws_fetch(*stream, params={"offset": offset})
    second = await _read(ws, _ended)
    ws.close()
    got = [r["message"] for r in _lines(first) + _lines(second)]
    assert got == [f"line {i}" for i in range(LINES)]
    seqs = [r["seq"] for m in first + second if m["type"] == "records" for r in m["records"]]
    assert seqs == sorted(set(seqs))
    # The final status comes after every record of the run.
    assert second[-1]["type"] == "status" and second[-1]["run"]["status"] == "completed"
    events = [
        r["event"] for m in second if m["type"] == "records" for r in m["records"] if r["kind"] == "event"
    ]
    assert events[-1] == "run_ended"

    ws = await jp_ws_fetch(*stream)  # a finished run replays in full
    replay = await _read(ws, _ended)
    ws.close()
    assert [r["message"] for r in _lines(replay)] == got


async def test_unauthenticated_connections_are_refused(chatty, jp_ws_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_ws_fetch(
            "dataops", "api", "workflows", "runs", "any", "stream", headers={"Authorization": ""}
        )
    assert err.value.code == 403


async def test_a_bad_offset_is_refused_with_a_sentence(chatty, jp_ws_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_ws_fetch("dataops", "api", "workflows", "runs", "any", "stream", params={"offset": "abc"})
    assert err.value.code == 400
    assert "'offset' must be a whole number" in json.loads(err.value.response.body)["message"]


class _Counting:
    """The real engine client, counting the calls the server makes to it."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = 0

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        async def call(*args, **kwargs):
            self.calls += 1
            return await attr(*args, **kwargs)

        return call


async def test_many_watchers_cost_the_engine_no_more_than_one(chatty, jp_fetch, jp_ws_fetch, jp_serverapp):
    run_id = await _start(jp_fetch, chatty, hold=30)
    svc = jp_serverapp.web_app.settings["dataops"].workflows.service()
    counting = _Counting(svc.engine)
    svc.watches.engine = counting
    stream = ("dataops", "api", "workflows", "runs", run_id, "stream")

    async def watch(n: int, seconds: float) -> int:
        before = counting.calls
        # Connected at once: one by one, on a loaded machine, connecting alone outlasted several poll rounds.
        sockets = await asyncio.gather(*(jp_ws_fetch(*stream) for _ in range(n)))
        await asyncio.gather(
            *(_read(ws, lambda ms: any(m["type"] == "status" for m in ms)) for ws in sockets)
        )
        await asyncio.sleep(seconds)
        for ws in sockets:
            ws.close()
        await asyncio.sleep(0.3)  # the poller notices it has no watchers left
        return counting.calls - before

    one = await watch(1, 3)
    many = await watch(20, 3)
    assert svc.watches.runs == {}
    # One engine round (run, activities, incidents) per second per watched run, whatever the watchers.
    assert one <= 3 * 5
    assert many <= one + 3
    await jp_fetch("dataops", "api", "workflows", "runs", run_id, "cancel", method="POST", body="{}")


async def test_an_engine_outage_while_watched_is_reported_and_everything_recovers(
    dataops_config, engine, engine_url, engine_server, tmp_path, jp_fetch, jp_ws_fetch
):
    logs = tmp_path / "logs"
    dataops_config.write_text(f'[workflows]\nengine_url = "{engine_url}"\nlog_dir = "{logs}"\n')
    topic, marker = unique("patient"), tmp_path / "go"
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import time
        from pathlib import Path
        from dataops.workflows import step

        @step("{topic}")
        def patient():
            print("waiting for the go")
            while not Path({str(marker)!r}).exists():
                time.sleep(0.1)
            print("going")
        """,
    )
    key = unique("outage")
    engine.publish({f"{key}.bpmn": process_xml(key, [("patient", topic)]).encode()}, name=key)
    # Backing off at most 1 s, the worker hands in the outcome as soon as the engine is back, not up to 30 s later.
    with WorkerProcess(
        engine_url,
        steps,
        logs,
        unique("w"),
        "--lock-duration",
        "600",
        config="[workflows.worker]\nmax_backoff_s = 1\n",
    ) as worker:
        run_id = await _start(jp_fetch, key)
        ws = await jp_ws_fetch("dataops", "api", "workflows", "runs", run_id, "stream")
        first = await _read(ws, lambda ms: [r["message"] for r in _lines(ms)] == ["waiting for the go"])

        await asyncio.to_thread(engine_server.stop)
        try:
            with pytest.raises(HTTPClientError) as err:
                await jp_fetch("dataops", "api", "workflows", "runs", run_id)
            assert err.value.code == 502
            assert json.loads(err.value.response.body)["error"] == "engine_unreachable"
            down = await _read(ws, lambda ms: any(m["type"] == "error" for m in ms))
            assert down[-1]["error"] == "engine_unreachable" and "does not answer" in down[-1]["message"]
            stored = json.loads((await jp_fetch("dataops", "api", "workflows", "runs", run_id, "logs")).body)
            assert "waiting for the go" in [r["message"] for r in stored["records"]]
            assert stored["engine_error"]["error"] == "engine_unreachable"
            marker.write_text("")  # the step finishes while the engine is away: its outcome must wait
            for _ in range(100):
                if "Retrying in" in worker.stderr:
                    break
                await asyncio.sleep(0.2)
            assert "Retrying in" in worker.stderr
        finally:
            await asyncio.to_thread(engine_server.start)  # idempotent; the next tests need it
        back = await _read(ws, _ended, timeout=240)
        ws.close()
        assert [r["message"] for r in _lines(first + down + back)] == ["waiting for the go", "going"]
        run = json.loads((await jp_fetch("dataops", "api", "workflows", "runs", run_id)).body)
        assert run["status"] == "completed"
        marker.unlink()
        next_id = await _start(jp_fetch, key)
        marker.write_text("")
        for _ in range(150):
            body = json.loads((await jp_fetch("dataops", "api", "workflows", "runs", next_id)).body)
            if body["status"] == "completed":
                break
            await asyncio.sleep(0.2)
        assert body["status"] == "completed"
