"""Benchmark: how soon a line committed to the log store reaches a live watcher.

A worker thread commits lines one by one; a `Watches` poller (its engine hanging, as under load)
hands them to one watcher. Prints the median and p95 delay from commit to delivery, and — as the
named baseline — the same commits read back by a loop that polls the store directly every 2 ms,
with the ratio of the two medians. The unit tests only check that lines arrive, once and in order;
this is where speed is measured (the old unit-test figures were < 2 s each, median < 0.2 s).

Run: ``python bench/watch_latency.py [--lines 50] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

from dataops.workflows.camunda import AsyncCamundaEngine
from dataops.workflows.logs import LogRecord, LogStore, now_iso
from dataops.workflows.watch import Watcher, Watches


def _line(text: str) -> LogRecord:
    return LogRecord(run_id="run-1", timestamp=now_iso(), level="INFO", message=text, source="stdout")


async def _delays(store: LogStore, arrived, lines: int, tag: str) -> list[float]:
    """Seconds from each commit to ``arrived(text)`` turning true."""
    out = []
    for i in range(lines):
        text = f"{tag} {i}"
        t0 = time.perf_counter()
        await asyncio.to_thread(store.append, [_line(text)])
        while not arrived(text):
            await asyncio.sleep(0.0005)
        out.append(time.perf_counter() - t0)
    return out


async def watcher_round(root: Path, lines: int, tag: str) -> list[float]:
    hung = socket.socket()  # an engine that accepts and never answers
    hung.bind(("127.0.0.1", 0))
    hung.listen()
    engine = AsyncCamundaEngine(f"http://127.0.0.1:{hung.getsockname()[1]}/engine-rest", timeout=600)
    store = LogStore(root)
    watches = Watches(engine, store)
    got: list[str] = []
    try:
        watches.watch("run-1", Watcher(got.append, 0))
        await asyncio.sleep(0.3)
        return await _delays(store, lambda text: any(text in m for m in got), lines, tag)
    finally:
        await watches.close()
        await engine.aclose()
        hung.close()


async def baseline_round(root: Path, lines: int, tag: str) -> list[float]:
    """The store polled directly every 2 ms: the floor any watcher is measured against."""
    store = LogStore(root)
    seen: set[str] = set()
    stop = asyncio.Event()

    async def poll() -> None:
        offset = 0
        while not stop.is_set():
            for seq, text in await asyncio.to_thread(store.read_json, "run-1", offset, 2000):
                offset = seq
                seen.add(text)
            await asyncio.sleep(0.002)

    poller = asyncio.create_task(poll())
    try:
        return await _delays(store, lambda text: any(text in s for s in seen), lines, tag)
    finally:
        stop.set()
        await poller


def _summary(name: str, delays: list[float]) -> float:
    delays = sorted(delays)
    median = statistics.median(delays)
    p95 = delays[int(0.95 * (len(delays) - 1))]
    print(f"{name:48} median {median * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")
    return median


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            print(f"round {r + 1}, load average {os.getloadavg()[0]:.2f}")
            base = _summary(
                "baseline, the store polled every 2 ms",
                await baseline_round(Path(tmp) / f"b{r}", args.lines, "b"),
            )
            watched = _summary(
                "watcher (engine hanging)", await watcher_round(Path(tmp) / f"w{r}", args.lines, "w")
            )
            print(f"{'ratio watcher/baseline (medians)':48} {watched / base:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
