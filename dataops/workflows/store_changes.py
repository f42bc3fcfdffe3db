"""Wakes the server's live tails as soon as anything is committed to the log store.

One task per server asks the store for its `data_version` every ``interval`` (a few
milliseconds: SQLite answers from its shared WAL index, PostgreSQL from a count of the commit
notifications already received, neither with a query or disk access)
and, when it moved, wakes every tail that is waiting. The tails then run their real query only
when there is something to read, so a short interval costs little, and it costs the same
whatever the number of watched runs.
"""

from __future__ import annotations

import asyncio
import contextlib

from dataops.workflows.logs import RunLogStore


class StoreChanges:
    """The shared change signal of one log store, for tasks on one event loop."""

    def __init__(self, store: RunLogStore, interval: float = 0.01) -> None:
        self.store = store
        self.interval = interval
        self._wakes: set[asyncio.Event] = set()
        self._task: asyncio.Task | None = None

    def subscribe(self, wake: asyncio.Event) -> None:
        """Set ``wake`` whenever the store changes (starts the checker if needed)."""
        self._wakes.add(wake)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def unsubscribe(self, wake: asyncio.Event) -> None:
        """Stop setting ``wake``; the checker stops with its last subscriber."""
        self._wakes.discard(wake)

    async def close(self) -> None:
        """Stop the checker now."""
        self._wakes.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        seen = None
        while self._wakes:
            try:
                # Runs on the event loop: it reads shared memory only, in microseconds; a thread
                # hand-off each tick would cost more than the check itself.
                version = self.store.data_version()
            except self.store.errors:  # e.g. a WAL recovery in progress: let the tails look for themselves
                version = None
            if version is None or version != seen:
                seen = version
                for wake in list(self._wakes):
                    wake.set()
            await asyncio.sleep(self.interval)
