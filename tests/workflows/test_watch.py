"""Live watching: new lines reach watchers at once, whatever the engine is doing (with either store)."""

from __future__ import annotations

import asyncio
import socket
import time

from dataops.workflows.camunda import AsyncCamundaEngine
from dataops.workflows.logs import LogRecord, RunLogStore, now_iso, open_log_store
from dataops.workflows.watch import Watcher, Watches


def _line(run: str, text: str) -> LogRecord:
    return LogRecord(run_id=run, timestamp=now_iso(), level="INFO", message=text, source="stdout")


async def _arrival(store: RunLogStore, got: list[str], text: str, limit: float) -> float:
    """Seconds from committing ``text`` (from another thread, as a worker would) to its delivery."""
    t0 = time.monotonic()
    await asyncio.to_thread(store.append, [_line("run-1", text)])
    while not any(text in message for message in got):
        assert time.monotonic() - t0 < limit, f"{text!r} not delivered within {limit} s"
        await asyncio.sleep(0.002)
    return time.monotonic() - t0


async def test_a_hanging_engine_does_not_hold_up_the_live_log(store_at):
    # An engine that accepts connections and never answers, like one stalled under load.
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    engine = AsyncCamundaEngine(f"http://127.0.0.1:{hung.getsockname()[1]}/engine-rest", timeout=30)
    store = open_log_store(store_at)
    watches = Watches(engine, store)
    got: list[str] = []
    try:
        watches.watch("run-1", Watcher(got.append, 0))
        await asyncio.sleep(0.3)  # the first engine poll is now waiting for an answer
        for i in range(5):
            assert await _arrival(store, got, f"line {i}", limit=2.0) < 2.0
        assert watches.runs["run-1"].run is None  # the engine still has not answered
    finally:
        await watches.close()
        await engine.aclose()
        hung.close()


async def test_lines_committed_one_by_one_each_arrive_promptly_and_once(store_at):
    store = open_log_store(store_at)
    engine = AsyncCamundaEngine("http://127.0.0.1:9/engine-rest")  # nothing listens: the poller reports it
    watches = Watches(engine, store)
    got: list[str] = []
    try:
        watches.watch("run-1", Watcher(got.append, 0))
        delays = [await _arrival(store, got, f"line {i}", limit=2.0) for i in range(20)]
        records = "".join(m for m in got if m.startswith('{"type": "records"'))
        assert [records.count(f'"line {i}"') for i in range(20)] == [1] * 20
        # The store is checked every few milliseconds, not once a quarter second.
        assert sorted(delays)[10] < 0.2
    finally:
        await watches.close()
        await engine.aclose()
