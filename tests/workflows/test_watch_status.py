"""Live watching against the real engine: watchers are told where the run stands, once per change.

Apart from `test_watch.py` because the engine takes a minute to start here: `make mutation` runs the
watch group with `test_watch.py` alone, so each mutant does not wait for an engine (docs/testing.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import datetime

from dataops.errors import DataOpsError
from dataops.workflows.camunda import AsyncCamundaEngine
from dataops.workflows.logs import open_log_store
from dataops.workflows.watch import Watcher, Watches
from tests.workflows.support import process_xml, unique
from tests.workflows.test_watch import HANG_GUARD


async def _until(condition, what: str) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + HANG_GUARD
    while not condition():
        assert loop.time() < give_up, f"{what} never happened"
        await asyncio.sleep(0.002)


def _messages(got: list[str], kind: str) -> list[dict]:
    return [m for m in map(json.loads, got) if m["type"] == kind]


async def test_watchers_are_told_the_runs_status_once_per_change(engine, engine_url, store_at):
    key = unique("watch")
    engine.publish({f"{key}.bpmn": process_xml(key, [("work", unique("t"))]).encode()}, name=key)
    run = engine.start(key)  # waits for a worker that never comes
    store = open_log_store(store_at)
    client = AsyncCamundaEngine(engine_url)
    watches = Watches(client, store)
    got: list[str] = []
    try:
        rw = watches.watch(run.id, Watcher(got.append))
        rw.engine_interval = 0.05
        await _until(lambda: _messages(got, "status"), "the run's status")
        for _ in range(3):  # more polls, the same status: nothing new to tell
            seen = rw.run
            await _until(lambda s=seen: rw.run is not s, "another poll")
        statuses = _messages(got, "status")
        assert len(statuses) == 1
        told = statuses[0]["run"]
        assert (told["id"], told["definition_key"], told["status"]) == (run.id, key, "running")
        assert datetime.fromisoformat(told["started_at"]) == run.started_at  # a time as ISO 8601 text
        await asyncio.to_thread(engine.cancel, run.id)
        await _until(lambda: len(_messages(got, "status")) == 2, "the cancellation")
        assert _messages(got, "status")[1]["run"]["status"] == "cancelled"
    finally:
        await watches.close()
        await client.aclose()
        with contextlib.suppress(DataOpsError):
            engine.cancel(run.id)
