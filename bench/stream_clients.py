"""The WebSocket clients of `log_stream.py`, and the figures of its shared-store mode.

In that mode (``--store postgresql``) three worker processes (``--workers``) each run one chatty step at the same time, writing their
lines into the PostgreSQL run log store; twenty WebSocket clients (``--watchers``) follow the runs
through one Jupyter server, spread evenly over the runs. Every client must receive every line of
its run exactly once. Figures: lines/s written by all steps together through to the clients,
p50/p95/p99 from a line's write to each client's receipt, lines lost and duplicated (summed over
clients).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
import uuid
from datetime import datetime
from pathlib import Path

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

TOKEN = uuid.uuid4().hex  # the bench's Jupyter server token
RECORDS = '{"type": "records"'  # how the server starts a batch of records (dataops.workflows.watch)


def parse_ts(ts: str) -> float:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def pct(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 of ``values``."""
    q = statistics.quantiles(values, n=100)
    return q[49], q[94], q[98]


async def open_stream(base: str, run_id: str):  # noqa: ANN201 - a tornado WebSocket connection
    """A WebSocket following ``run_id`` from its first record."""
    url = base.replace("http", "ws", 1) + f"dataops/api/workflows/runs/{run_id}/stream?offset=0"
    return await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {TOKEN}"}))


async def receive(conn) -> tuple[list[tuple[int, int, float, float]], int, str]:  # noqa: ANN001
    """Read the stream until the run ends: ``(line number, seq, written, received)`` per step line,
    how many arrived twice, and the run's final status."""
    # (message, receipt time): record batches are decoded after the run, so that the client's own
    # JSON parsing does not delay the receipt of the next message on this busy machine.
    raw: list[tuple[str, float]] = []
    status = "running"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        msg = await conn.read_message()
        if msg is None:
            break
        now = time.time()
        if msg.startswith(RECORDS):
            raw.append((msg, now))
            continue
        body = json.loads(msg)
        if body["type"] == "status":
            status = body["run"]["status"]
            # The final status comes after every record before it: nothing more will arrive.
            if status in ("completed", "cancelled", "incident"):
                break
    got: list[tuple[int, int, float, float]] = []  # (line number, seq, written, received)
    seen: set[int] = set()
    duplicates = 0
    for msg, received in raw:
        for r in json.loads(msg)["records"]:
            if r["source"] == "stdout" and r["message"].startswith("line "):
                n = int(r["message"].split()[1])
                duplicates += n in seen
                seen.add(n)
                got.append((n, r["seq"], parse_ts(r["timestamp"]), received))
    conn.close()
    return got, duplicates, status


async def follow_many(
    base: str, runs: list[str], watchers: int, go: Path
) -> tuple[list[tuple[str, list, int, str]], float]:
    """Connect ``watchers`` clients spread over ``runs``, start the steps, receive until each run ended.

    Returns ``(run, received, duplicates, status)`` per client and when the last client connected.
    """
    assigned = [runs[i % len(runs)] for i in range(watchers)]
    conns = [await open_stream(base, run) for run in assigned]
    connected = time.time()
    go.touch()
    results = await asyncio.gather(*(receive(conn) for conn in conns))
    return [(run, *result) for run, result in zip(assigned, results, strict=True)], connected


def report_many(
    round_no: int, lines_per_run: int, runs: int, clients: list[tuple[str, list, int, str]]
) -> bool:
    """Print one round's figures over every client; True when the target is met."""
    lost = sum(lines_per_run - len({n for n, _, _, _ in got}) for _, got, _, _ in clients)
    duplicates = sum(d for _, _, d, _ in clients)
    every = [item for _, got, _, _ in clients for item in got]
    if not every:
        print(f"round {round_no}: no line arrived")
        return False
    latencies = [(recv - wrote) * 1000 for _, _, wrote, recv in every]
    p50, p95, p99 = pct(latencies)
    first_write = min(w for _, _, w, _ in every)
    last_receipt = max(r for _, _, _, r in every)
    written = runs * lines_per_run
    through = written / (last_receipt - first_write)
    statuses = sorted({status for _, _, _, status in clients})
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"round {round_no}: load average {load}; {runs} runs x {lines_per_run:,} lines, {len(clients)} clients; "
          f"lost {lost}, duplicated {duplicates}, runs {'/'.join(statuses)}")  # fmt: skip
    print(f"  all steps together, write → last client   {through:>8,.0f} lines/s")
    print(f"  latency write → client   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   p99 {p99:7.1f} ms")
    return lost == 0 and duplicates == 0 and p95 < 250 and through >= 5000
