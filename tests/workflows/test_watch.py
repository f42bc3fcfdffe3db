"""Live watching: new lines reach watchers at once, whatever the engine is doing (with either store).

These tests check conditions (delivered, once, in order, before the engine answered), not wall-clock
figures: how fast lines arrive is measured by ``bench/watch_latency.py``.
"""

from __future__ import annotations

import asyncio
import json
import socket

from dataops.workflows.camunda import AsyncCamundaEngine
from dataops.workflows.logs import LogRecord, RunLogStore, now_iso, open_log_store
from dataops.workflows.watch import BATCH, Watcher, Watches

HANG_GUARD = 60.0  # seconds: only stops a broken test from hanging, never a measure of speed


def _line(run: str, text: str) -> LogRecord:
    return LogRecord(run_id=run, timestamp=now_iso(), level="INFO", message=text, source="stdout")


async def _until(condition, what: str) -> None:
    """Wait until ``condition()`` holds (checked every few milliseconds)."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + HANG_GUARD
    while not condition():
        assert loop.time() < give_up, f"{what} never happened"
        await asyncio.sleep(0.002)


async def _commit_and_wait(store: RunLogStore, got: list[str], text: str) -> None:
    """Commit ``text`` from another thread, as a worker would, and wait for its delivery."""
    await asyncio.to_thread(store.append, [_line("run-1", text)])
    await _until(lambda: any(text in message for message in got), f"delivery of {text!r}")


def _records(got: list[str]) -> list[str]:
    return [r["message"] for m in got for r in json.loads(m).get("records", [])]


async def test_a_hanging_engine_does_not_hold_up_the_live_log(store_at):
    # An engine that accepts connections and never answers, like one stalled under load.
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    engine = AsyncCamundaEngine(f"http://127.0.0.1:{hung.getsockname()[1]}/engine-rest", timeout=600)
    store = open_log_store(store_at)
    watches = Watches(engine, store)
    got: list[str] = []
    try:
        watches.watch("run-1", Watcher(got.append, 0))
        await asyncio.sleep(0.3)  # the first engine poll is now waiting for an answer
        for i in range(5):
            await _commit_and_wait(store, got, f"line {i}")
        assert watches.runs["run-1"].run is None  # every line came while the engine had not answered
        assert watches.runs["run-1"].error is None
    finally:
        await watches.close()
        await engine.aclose()
        hung.close()


async def test_lines_committed_one_by_one_each_arrive_once(store_at):
    store = open_log_store(store_at)
    engine = AsyncCamundaEngine("http://127.0.0.1:9/engine-rest")  # nothing listens: the poller reports it
    watches = Watches(engine, store)
    got: list[str] = []
    try:
        watches.watch("run-1", Watcher(got.append, 0))
        for i in range(20):
            await _commit_and_wait(store, got, f"line {i}")
        records = "".join(m for m in got if m.startswith('{"type": "records"'))
        assert [records.count(f'"line {i}"') for i in range(20)] == [1] * 20
    finally:
        await watches.close()
        await engine.aclose()


async def test_a_watcher_far_behind_catches_up_before_it_is_told_anything_else(store_at):
    # More than two batches wait in the store when the watcher joins (a browser reopening a long run).
    total = 2 * BATCH + 500
    store = open_log_store(store_at)
    store.append([_line("run-1", f"old {i}") for i in range(total)])
    engine = AsyncCamundaEngine("http://127.0.0.1:9/engine-rest")  # refused: the watcher is told so
    watches = Watches(engine, store)
    got: list[str] = []
    try:
        watches.watch("run-1", Watcher(got.append, 0))
        await _until(lambda: any('"type": "error"' in m for m in got), "the engine's error")
        before_error = got[: next(i for i, m in enumerate(got) if '"type": "error"' in m)]
        # Every stored line is delivered, once and in order, before the engine's news.
        assert _records(before_error) == [f"old {i}" for i in range(total)]
        await _commit_and_wait(store, got, "new line")  # and it goes on live
        assert _records(got)[total:] == ["new line"]
    finally:
        await watches.close()
        await engine.aclose()
