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
from tests.engine import free_port

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


def _messages(got: list[str], kind: str) -> list[dict]:
    return [m for m in map(json.loads, got) if m["type"] == kind]


async def test_watchers_at_different_offsets_each_get_only_the_lines_they_lack(store_at):
    store = open_log_store(store_at)
    store.append([_line("run-1", f"old {i}") for i in range(5)])
    seqs = [seq for seq, _ in store.read_json("run-1")]
    engine = AsyncCamundaEngine("http://127.0.0.1:9/engine-rest")  # refused: only the log matters here
    watches = Watches(engine, store)
    fresh: list[str] = []
    resuming: list[str] = []
    try:
        watches.watch("run-1", Watcher(fresh.append))  # a new page: from the start
        watches.watch("run-1", Watcher(resuming.append, seqs[2]))  # a page that saw three lines
        await _until(lambda: len(_records(fresh)) == 5 and len(_records(resuming)) == 2, "the replay")
        await _commit_and_wait(store, resuming, "new")
        await _until(lambda: "new" in _records(fresh), "the new line for the fresh page")
        assert _records(fresh) == ["old 0", "old 1", "old 2", "old 3", "old 4", "new"]
        assert _records(resuming) == ["old 3", "old 4", "new"]
        assert _messages(resuming, "records")[-1]["next_offset"] == store.read_json("run-1")[-1][0]
    finally:
        await watches.close()
        await engine.aclose()


async def test_a_closed_client_is_dropped_and_the_others_go_on(store_at):
    store = open_log_store(store_at)
    engine = AsyncCamundaEngine("http://127.0.0.1:9/engine-rest")
    watches = Watches(engine, store)
    got: list[str] = []

    def closed(message: str) -> None:
        raise ConnectionError("the browser went away")

    try:
        gone = Watcher(closed)
        watches.watch("run-1", gone)
        watches.watch("run-1", Watcher(got.append))
        await _commit_and_wait(store, got, "line 1")
        assert gone not in watches.runs["run-1"].watchers
        await _commit_and_wait(store, got, "line 2")
        assert _records(got) == ["line 1", "line 2"]
    finally:
        await watches.close()
        await engine.aclose()


async def test_an_engine_that_is_away_is_told_once_and_the_poller_ends_with_its_last_watcher(store_at):
    store = open_log_store(store_at)
    engine = AsyncCamundaEngine(f"http://127.0.0.1:{free_port()}/engine-rest")  # nothing listens
    watches = Watches(engine, store)
    got: list[str] = []
    try:
        watcher = Watcher(got.append)
        rw = watches.watch("run-1", watcher)
        rw.engine_interval = 0.05  # poll the engine often: a repeated error would show
        await _until(lambda: _messages(got, "error"), "the engine's error")
        polls = 0
        while polls < 5:  # five more failed polls, each telling the poller the engine is away
            seen = rw.error
            await _until(lambda s=seen: rw.error is not s, "another failed poll")
            polls += 1
        errors = _messages(got, "error")
        assert len(errors) == 1
        assert errors[0]["error"] == rw.error.code and "does not answer" in errors[0]["message"]
        rw.remove(watcher)
        await _until(lambda: "run-1" not in watches.runs, "the poller's end")
    finally:
        await watches.close()
        await engine.aclose()


async def test_a_run_nobody_watches_any_more_stops_being_polled_even_while_the_engine_hangs(store_at):
    hung = socket.socket()  # accepts the engine poll and never answers: the poller has nothing to wake it
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    engine = AsyncCamundaEngine(f"http://127.0.0.1:{hung.getsockname()[1]}/engine-rest", timeout=600)
    watches = Watches(engine, open_log_store(store_at))
    try:
        watcher = Watcher(lambda message: None)
        rw = watches.watch("run-1", watcher)
        await asyncio.sleep(0.3)  # the first engine poll is now waiting for an answer
        rw.remove(watcher)
        await _until(lambda: "run-1" not in watches.runs, "the poller's end")
    finally:
        await watches.close()
        await engine.aclose()
        hung.close()
