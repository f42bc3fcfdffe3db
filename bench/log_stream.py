"""Live log streaming through the whole path: step → capture → log store → server → WebSocket client.

A step prints 50,000 lines as fast as it can inside a real `dataops worker`; a WebSocket client
follows the run through a real Jupyter server with the dataops extension. Prints lines/s through
the whole path, p50/p95/p99 latency from the step's write (the record's timestamp, taken when the
line is captured) to the client's receipt, lines lost and duplicated, and — as the named baseline
— the same print loop into /dev/null without capture, measured in the same run.

Target: p95 < 250 ms while sustaining ≥ 5,000 lines/s, 0 lines lost.

    python bench/log_stream.py --engine-url http://localhost:8080/engine-rest [--lines 50000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

REPO = Path(__file__).resolve().parents[1]
TOKEN = uuid.uuid4().hex

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://dataops.example/bench">
  <bpmn:process id="{key}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="chatty" name="Chatty step" camunda:type="external" camunda:topic="{key}"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="chatty"/>
    <bpmn:sequenceFlow id="f2" sourceRef="chatty" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""

STEP = """
from dataops.workflows import step

@step("{key}")
def chatty(lines: int):
    for i in range(lines):
        print("line", i)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def baseline(lines: int) -> float:
    """Lines/s of the same print loop into /dev/null, without capture."""
    with open(os.devnull, "w") as sink:
        t0 = time.perf_counter()
        for i in range(lines):
            print("line", i, file=sink)
        return lines / (time.perf_counter() - t0)


def parse_ts(ts: str) -> float:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


async def follow(base: str, run_id: str, lines: int) -> tuple[list[tuple[int, float, float]], int, str]:
    """Receive the run's stream until every line arrived and the run ended."""
    url = base.replace("http", "ws", 1) + f"dataops/api/workflows/runs/{run_id}/stream?offset=0"
    conn = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {TOKEN}"}))
    raw: list[tuple[list, float]] = []  # (records, receipt time): decoded after the run, to keep up
    status, count = "running", 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        msg = await conn.read_message()
        if msg is None:
            break
        now = time.time()
        body = json.loads(msg)
        if body["type"] == "records":
            raw.append((body["records"], now))
            count += len(body["records"])
        elif body["type"] == "status":
            status = body["run"]["status"]
            # The final status comes after every record before it: nothing more will arrive.
            if status in ("completed", "cancelled", "incident"):
                break
    got: list[tuple[int, float, float]] = []
    seen: set[int] = set()
    duplicates = 0
    for records, received in raw:
        for r in records:
            if r["source"] == "stdout" and r["message"].startswith("line "):
                n = int(r["message"].split()[1])
                duplicates += n in seen
                seen.add(n)
                got.append((n, parse_ts(r["timestamp"]), received))
    conn.close()
    return got, duplicates, status


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--engine-url", default=os.environ.get("DATAOPS_ENGINE_URL", "http://localhost:8080/engine-rest")
    )
    ap.add_argument("--lines", type=int, default=50_000)
    args = ap.parse_args()
    try:
        httpx.get(args.engine_url + "/version", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        print(
            f"No engine answers at {args.engine_url} ({exc}); start one with `make engine`.", file=sys.stderr
        )
        return 2

    work = Path(tempfile.mkdtemp(prefix="dataops-bench-"))
    key = f"bench_{uuid.uuid4().hex[:8]}"
    steps = work / "steps"
    steps.mkdir()
    (steps / "chatty.py").write_text(STEP.format(key=key))
    config = work / "dataops.toml"
    config.write_text(f'[workflows]\nengine_url = "{args.engine_url}"\nlog_dir = "{work / "logs"}"\n')
    env = {**os.environ, "DATAOPS_CONFIG": str(config), "PYTHONPATH": str(REPO)}

    httpx.post(
        args.engine_url + "/deployment/create",
        data={"deployment-name": key, "deploy-changed-only": "true"},
        files={f"{key}.bpmn": (f"{key}.bpmn", BPMN.format(key=key).encode(), "application/xml")},
        timeout=30,
    ).raise_for_status()

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", f"--port={port}", "--no-browser",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={work}", "--allow-root",
         "--ServerApp.jpserver_extensions={'jupyterlab_dataops': True}"],
        env=env, stdout=subprocess.DEVNULL, stderr=(work / "server.log").open("wb"),
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "dataops.cli", "worker", "--steps", str(steps), "--long-poll", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=(work / "worker.log").open("wb"),
    )  # fmt: skip
    try:
        headers = {"Authorization": f"token {TOKEN}"}
        deadline = time.monotonic() + 180
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "dataops/api/status", headers=headers, timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                print(f"The Jupyter server did not start; see {work}/server.log", file=sys.stderr)
                return 1
            time.sleep(0.2)
        reply = httpx.post(
            base + "dataops/api/workflows/runs",
            headers=headers,
            json={"key": key, "variables": {"lines": args.lines}},
            timeout=30,
        )
        reply.raise_for_status()
        run_id = reply.json()["id"]
        got, duplicates, status = asyncio.run(follow(base, run_id, args.lines))
    finally:
        worker.terminate()
        server.terminate()
        worker.wait(30)
        server.wait(30)

    if not got:
        print(f"No line arrived (run {status}); see {work}/worker.log and server.log", file=sys.stderr)
        return 1
    lost = args.lines - len({n for n, _, _ in got})
    latencies = sorted((recv - wrote) * 1000 for _, wrote, recv in got)
    q = statistics.quantiles(latencies, n=100)
    first_write = min(w for _, w, _ in got)
    last_write = max(w for _, w, _ in got)
    last_recv = max(r for _, _, r in got)
    through = len(got) / (last_recv - first_write)
    written = len(got) / max(last_write - first_write, 1e-9)
    base_rate = baseline(args.lines)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (other work on the machine skews latency)")
    print(f"lines: {args.lines}  received: {len(got)}  lost: {lost}  duplicated: {duplicates}  run: {status}")
    print(f"step write rate (captured):        {written:>10,.0f} lines/s")
    print(f"through the whole path:            {through:>10,.0f} lines/s")
    print(f"baseline, print to /dev/null:      {base_rate:>10,.0f} lines/s")
    print(f"ratio whole path / baseline:       {through / base_rate:>10.3f}")
    print(f"latency write → client  p50 {q[49]:.1f} ms   p95 {q[94]:.1f} ms   p99 {q[98]:.1f} ms")
    ok = lost == 0 and duplicates == 0 and q[94] < 250 and through >= 5000
    print("target (p95 < 250 ms at >= 5,000 lines/s, 0 lost):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
