"""Live watching of runs: one shared poller per watched run, however many watchers it has.

A `RunWatch` reads the run's new records from the log store once (from the lowest offset any
watcher holds) whenever the store changed (`StoreChanges`, checked every few milliseconds), and
hands every watcher the records past its own offset, so a watcher that joins with an old offset is
replayed and then continues live, and no record reaches a watcher twice. Once per
``engine_interval`` it asks the engine for the run (run, activities, incidents: a handful of
requests) beside the delivery of records, which never waits for the engine, merges new engine
events into the store and tells watchers when the status changes. A finished run is not asked
about again. The engine's cost is therefore bounded per run and poll interval, whatever the
number of watchers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from dataops.errors import DataOpsError
from dataops.workflows.engine import AsyncEngine
from dataops.workflows.logs import RunLogStore
from dataops.workflows.models import Run
from dataops.workflows.store_changes import StoreChanges
from dataops.workflows.timeline import async_sync_run

BATCH = 2000  # records read per tick; a watcher far behind catches up over a few ticks


def jsonable(value: Any) -> Any:
    """Dataclasses, datetimes and enums as JSON-ready values (ISO 8601 times)."""
    if hasattr(value, "__dataclass_fields__"):
        return jsonable(asdict(value))
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class Watcher:
    """One client of a run's stream: where it is (``offset``) and how to reach it (``send``, JSON text)."""

    def __init__(self, send: Callable[[str], None], offset: int = 0) -> None:
        self.send = send
        self.offset = offset
        self.status: Any = None
        self.error: str | None = None


class RunWatch:
    """The shared poller of one run."""

    def __init__(
        self,
        run_id: str,
        engine: AsyncEngine,
        store: RunLogStore,
        *,
        store_interval: float = 0.01,
        engine_interval: float = 1.0,
        on_idle: Callable[[RunWatch], None] | None = None,
        changes: StoreChanges | None = None,
    ) -> None:
        self.run_id = run_id
        self.engine = engine
        self.store = store
        self.store_interval = store_interval
        self.engine_interval = engine_interval
        self.watchers: set[Watcher] = set()
        self.run: Run | None = None
        self.error: DataOpsError | None = None
        self._on_idle = on_idle
        self._task: asyncio.Task | None = None
        self._next_engine = 0.0
        self._known: set[str] = set()
        self._changes = changes or StoreChanges(store, store_interval)
        self._wake = asyncio.Event()

    def add(self, watcher: Watcher) -> None:
        """Start streaming to ``watcher`` from its offset (starts the poller if needed)."""
        self.watchers.add(watcher)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._loop())

    def remove(self, watcher: Watcher) -> None:
        """Stop streaming to ``watcher``; the poller ends with its last watcher."""
        self.watchers.discard(watcher)
        if not self.watchers:
            self._wake.set()  # the poller ends now, not at its next look

    async def close(self) -> None:
        """Stop the poller now."""
        self.watchers.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        engine_poll: asyncio.Task | None = None
        self._changes.subscribe(self._wake)
        try:
            while self.watchers:
                now = time.monotonic()
                if (
                    now >= self._next_engine
                    and (engine_poll is None or engine_poll.done())
                    and not (self.run and self.run.status.finished)
                ):
                    # Beside the delivery: a slow engine must not hold up the log.
                    engine_poll = asyncio.get_running_loop().create_task(self._poll_engine())
                    self._next_engine = now + self.engine_interval
                # The status as known before reading: the worker stores a step's log before the
                # engine hears of its end, so every record preceding this status is read below.
                run, error = self.run, self.error
                self._wake.clear()
                await self._deliver()
                self._tell_status(run, error)
                # Sleep until the store changes, the engine answers or the next engine poll is due.
                idle = (self.run and self.run.status.finished) or (engine_poll and not engine_poll.done())
                timeout = None if idle else max(self._next_engine - time.monotonic(), 0.0)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout)
        finally:
            self._changes.unsubscribe(self._wake)
            if engine_poll is not None:
                engine_poll.cancel()
            if self._on_idle is not None:
                self._on_idle(self)

    async def _poll_engine(self) -> None:
        try:
            self.run = await async_sync_run(self.engine, self.store, self.run_id, self._known)
            self.error = None
        except DataOpsError as exc:  # engine away or run gone: watchers are told, polling goes on
            self.error = exc
        self._wake.set()  # tell the watchers now, not at the next change of the store

    async def _deliver(self) -> None:
        # Read until every watcher is caught up, so a status sent after this follows all records.
        while True:
            watchers = list(self.watchers)
            if not watchers:
                return
            low = min(w.offset for w in watchers)
            records = await asyncio.to_thread(self.store.read_json, self.run_id, low, BATCH)
            # Watchers that were at the same offset get the same message: build it once (a run
            # followed by many people would otherwise join the same records once per watcher).
            built: dict[int, str] = {}
            for w in watchers:
                message = built.get(w.offset)
                if message is None:
                    mine = [text for seq, text in records if seq > w.offset]
                    message = built[w.offset] = (
                        f'{{"type": "records", "records": [{",".join(mine)}], "next_offset": {records[-1][0]}}}'
                        if mine
                        else ""
                    )
                if message:
                    self._send(w, message)
                    w.offset = records[-1][0]
            if len(records) < BATCH:
                return

    def _tell_status(self, run: Run | None, error: DataOpsError | None) -> None:
        status = jsonable(run) if run else None
        for w in list(self.watchers):
            if error is not None:
                if w.error != error.message:
                    self._send(w, {"type": "error", "error": error.code, "message": error.message})
                    w.error = error.message
                continue
            if w.error is not None:  # the engine is back: say where the run stands now
                w.error, w.status = None, None
            if status is not None and w.status != status:
                self._send(w, {"type": "status", "run": status})
                w.status = status

    def _send(self, watcher: Watcher, message: dict[str, Any] | str) -> None:
        try:
            watcher.send(message if isinstance(message, str) else json.dumps(message))
        except Exception:  # a closed client: drop it, the others go on
            self.watchers.discard(watcher)


class Watches:
    """All watched runs of one server, keyed by run id."""

    def __init__(self, engine: AsyncEngine, store: RunLogStore) -> None:
        self.engine = engine
        self.store = store
        self.runs: dict[str, RunWatch] = {}
        self.changes = StoreChanges(store)

    def watch(self, run_id: str, watcher: Watcher) -> RunWatch:
        """Add ``watcher`` to the run's shared poller."""
        rw = self.runs.get(run_id)
        if rw is None:
            rw = self.runs[run_id] = RunWatch(
                run_id, self.engine, self.store, on_idle=self._idle, changes=self.changes
            )
        rw.add(watcher)
        return rw

    def _idle(self, rw: RunWatch) -> None:
        if self.runs.get(rw.run_id) is rw and not rw.watchers:
            del self.runs[rw.run_id]

    async def close(self) -> None:
        """Stop every poller."""
        for rw in list(self.runs.values()):
            await rw.close()
        self.runs.clear()
        await self.changes.close()
