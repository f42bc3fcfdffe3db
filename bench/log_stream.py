"""Live log streaming through the whole path: step → capture → log store → server → WebSocket client.

A step prints 50,000 lines as fast as it can inside a real `dataops worker`; a WebSocket client
follows the run through a real Jupyter server with the dataops extension. Prints lines/s through
the whole path, p50/p95/p99 latency from the step's write (the record's timestamp, taken when the
line is captured) to the client's receipt, lines lost and duplicated, and — as the named baseline
— the same print loop into /dev/null without capture, measured in the same run.

Target: p95 < 250 ms while sustaining ≥ 5,000 lines/s, 0 lines lost.

    python bench/log_stream.py --engine-url http://localhost:8080/engine-rest [--lines 50000]
        [--rounds 3] [--breakdown] [--warmup 5000]
    python bench/log_stream.py --store postgresql [--dsn postgresql://...] [--workers 3] [--watchers 20]

``--store postgresql`` is the shared deployment: three workers write at once into PostgreSQL and
twenty clients watch (`stream_clients.py` says what is measured); ``--lines`` is split over the runs.

``--rounds`` follows several runs through one server, so that figures taken on a machine whose
load changes can be compared within one invocation; each round prints the load average.
``--breakdown`` adds a probe process that notes when each line becomes readable in the store,
splitting the latency into write → stored (worker: capture, queue, commit) and stored → client
(server: change detection, read, WebSocket; client receipt).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from stream_clients import TOKEN, follow_many, open_stream, pct, receive, report_many

REPO = Path(__file__).resolve().parents[1]

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
import os
import time

from dataops.workflows import step

@step("{key}")
def chatty(lines: int, go: str = ""):
    # Writes once the follower is subscribed (the bench creates the file ``go``), so that every line
    # measures live following, not the replay of lines written before the client connected.
    deadline = time.monotonic() + 60
    while go and not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.002)
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


def probe(db: str, out: str, stop_file: str) -> None:
    """Note when each record first becomes readable in the store (``--breakdown``), until told to stop."""
    import sqlite3

    while not Path(db).exists():
        time.sleep(0.01)
    conn = sqlite3.connect(db, timeout=30)
    seen: list[str] = []
    after = conn.execute("SELECT coalesce(max(seq), 0) FROM records").fetchone()[0]
    Path(out).write_text("")  # ready: the round may start
    while not Path(stop_file).exists():
        rows = conn.execute("SELECT seq FROM records WHERE seq > ? ORDER BY seq", (after,)).fetchall()
        now = time.time()
        if rows:
            after = rows[-1][0]
            seen.extend(f"{seq} {now}" for (seq,) in rows)
        time.sleep(0.005)
    Path(out).write_text("\n".join(seen))


async def follow(
    base: str, run_id: str, lines: int, go: Path | None = None
) -> tuple[list[tuple[int, int, float, float]], int, str, float]:
    """Receive the run's stream until every line arrived and the run ended; also when it connected.

    Once connected, creates ``go``: the step starts writing then.
    """
    conn = await open_stream(base, run_id)
    connected = time.time()
    if go is not None:
        go.touch()
    got, duplicates, status = await receive(conn)
    return got, duplicates, status, connected


def start_run(base: str, headers: dict[str, str], key: str, variables: dict) -> str:
    """Start a run of the chatty process through the server; its id."""
    reply = httpx.post(
        base + "dataops/api/workflows/runs",
        headers=headers,
        json={"key": key, "variables": variables},
        timeout=30,
    )
    reply.raise_for_status()
    return reply.json()["id"]


def dump(path: Path, got: list[tuple[int, int, float, float]], stored: dict[int, float]) -> None:
    """Per-line times of one round, for finding where and when latency piles up."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = ["line,seq,written,stored,received"]
    rows += [f"{n},{seq},{w:.6f},{stored.get(seq, float('nan')):.6f},{r:.6f}" for n, seq, w, r in got]
    path.write_text("\n".join(rows) + "\n")


def report(
    round_no: int,
    lines: int,
    got: list,
    duplicates: int,
    status: str,
    stored: dict[int, float],
    connected: float,
) -> bool:
    """Print one round's figures; True when the target is met."""
    lost = lines - len({n for n, _, _, _ in got})
    p50, p95, p99 = pct([(recv - wrote) * 1000 for _, _, wrote, recv in got])
    first_write = min(w for _, _, w, _ in got)
    written = len(got) / max(max(w for _, _, w, _ in got) - first_write, 1e-9)
    through = len(got) / (max(r for _, _, _, r in got) - first_write)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"round {round_no}: load average {load}; lines {lines}, received {len(got)}, "
          f"lost {lost}, duplicated {duplicates}, run {status}")  # fmt: skip
    print(f"  step write rate (captured) {written:>8,.0f} lines/s   whole path {through:>8,.0f} lines/s")
    print(f"  latency write → client   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   p99 {p99:7.1f} ms")
    early = sum(1 for _, _, w, _ in got if w < connected)
    if early:  # lines the client could only get as a replay
        print(
            f"  client connected {(connected - first_write) * 1000:+.0f} ms after the first line ({early} before)"
        )
    if stored:
        known = [(seq, wrote, recv) for _, seq, wrote, recv in got if seq in stored]
        a = pct([(stored[seq] - wrote) * 1000 for seq, wrote, _ in known])
        b = pct([(recv - stored[seq]) * 1000 for seq, _, recv in known])
        print(f"  write → stored (probe)   p50 {a[0]:7.1f} ms   p95 {a[1]:7.1f} ms   p99 {a[2]:7.1f} ms")
        print(f"  stored → client          p50 {b[0]:7.1f} ms   p95 {b[1]:7.1f} ms   p99 {b[2]:7.1f} ms")
    return lost == 0 and duplicates == 0 and p95 < 250 and through >= 5000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--engine-url", default=os.environ.get("DATAOPS_ENGINE_URL", "http://localhost:8080/engine-rest")
    )
    ap.add_argument("--lines", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=1, help="runs followed one after the other (same server)")
    ap.add_argument(
        "--warmup",
        type=int,
        default=5000,
        help="lines of a first, unmeasured run: a server that has just started is still busy with its own "
        "start-up (imports, first full garbage collections) for a few seconds (0: none)",
    )
    ap.add_argument(
        "--breakdown",
        action="store_true",
        help="also split latency at the store: a probe process notes when each line becomes readable",
    )
    ap.add_argument(
        "--dump",
        metavar="DIR",
        help="write each round's per-line times (line, seq, written, stored, received) as CSV into DIR",
    )
    ap.add_argument(
        "--store",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the run log store: SQLite (one worker, one client) or PostgreSQL (several workers write "
        "at once, many clients watch; a throwaway server is started unless --dsn names one)",
    )
    ap.add_argument("--dsn", help="PostgreSQL connection string of an empty database (--store postgresql)")
    ap.add_argument("--workers", type=int, default=3, help="worker processes, one run each (postgresql)")
    ap.add_argument("--watchers", type=int, default=20, help="WebSocket clients over the runs (postgresql)")
    ap.add_argument("--probe", nargs=3, help=argparse.SUPPRESS)  # internal: DB OUT STOP_FILE
    args = ap.parse_args()
    if args.probe:
        probe(*args.probe)
        return 0
    try:
        httpx.get(args.engine_url + "/version", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        print(
            f"No engine answers at {args.engine_url} ({exc}); start one with `make engine`.", file=sys.stderr
        )
        return 2

    shared = args.store == "postgresql"
    if shared and args.breakdown:
        print(
            "--breakdown reads the SQLite store; it is not available with --store postgresql", file=sys.stderr
        )
        return 2
    pg_server, dsn = None, args.dsn
    if shared and not dsn:
        sys.path.insert(0, str(REPO))
        from tests.postgres import PostgresServer

        pg_server = PostgresServer(durable=True)  # commits flushed to disk, as in production
        pg_server.start()
        dsn = pg_server.create_database("bench")
        print(f"PostgreSQL {pg_server.bin.parent.name} started for the bench on port {pg_server.port}")
    workers = args.workers if shared else 1
    work = Path(tempfile.mkdtemp(prefix="dataops-bench-"))
    key = f"bench_{uuid.uuid4().hex[:8]}"
    steps = work / "steps"
    steps.mkdir()
    (steps / "chatty.py").write_text(STEP.format(key=key))
    config = work / "dataops.toml"
    store = f'log_store = "{dsn}"' if shared else f'log_dir = "{work / "logs"}"'
    config.write_text(f'[workflows]\nengine_url = "{args.engine_url}"\n{store}\n')
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "DATAOPS_SYSTEM_CONFIG": str(config), "PYTHONPATH": path}  # the bench is the admin
    env.pop("DATAOPS_CONFIG", None)

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
    worker_procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dataops.cli", "worker", "--steps", str(steps), "--long-poll", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(work / f"worker-{i}.log").open("wb"),
        )  # fmt: skip
        for i in range(workers)
    ]
    ok = True
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
        print(f"machine: {os.cpu_count()} cores (other work on the machine skews latency)")
        # This client stands in for a browser: its own full collections are no part of the path measured.
        gc.collect()
        gc.freeze()
        if args.warmup and shared:  # every worker's first task and every client's connection
            go = work / "go-warmup"
            runs = [
                start_run(base, headers, key, {"lines": args.warmup // workers, "go": str(go)})
                for _ in range(workers)
            ]
            asyncio.run(follow_many(base, runs, args.watchers, go))
            print(
                f"warm-up: {workers} runs of {args.warmup // workers:,} lines, {args.watchers} clients (not measured)"
            )
        elif args.warmup:
            asyncio.run(follow(base, start_run(base, headers, key, {"lines": args.warmup}), args.warmup))
            print(f"warm-up run of {args.warmup:,} lines done (not measured)")
        for round_no in range(1, args.rounds + 1):
            stop, out = work / f"probe-{round_no}.stop", work / f"probe-{round_no}.txt"
            go = work / f"go-{round_no}"
            if shared:
                per_run = args.lines // workers
                runs = [
                    start_run(base, headers, key, {"lines": per_run, "go": str(go)}) for _ in range(workers)
                ]
                clients, _ = asyncio.run(follow_many(base, runs, args.watchers, go))
                ok = report_many(round_no, per_run, workers, clients) and ok
                continue
            prober = None
            if args.breakdown:
                db = str(work / "logs" / "runlogs.sqlite3")
                prober = subprocess.Popen([sys.executable, __file__, "--probe", db, str(out), str(stop)])
                while not out.exists():
                    time.sleep(0.01)
            run_id = start_run(base, headers, key, {"lines": args.lines, "go": str(go)})
            got, duplicates, status, connected = asyncio.run(follow(base, run_id, args.lines, go))
            stored: dict[int, float] = {}
            if prober is not None:
                stop.touch()
                prober.wait(60)
                for row in out.read_text().splitlines():
                    seq, when = row.split()
                    stored[int(seq)] = float(when)
            if not got:
                print(
                    f"No line arrived (run {status}); see {work}/worker.log and server.log", file=sys.stderr
                )
                return 1
            ok = report(round_no, args.lines, got, duplicates, status, stored, connected) and ok
            if args.dump:
                dump(Path(args.dump) / f"round-{round_no}.csv", got, stored)
    finally:
        for proc in (*worker_procs, server):
            proc.terminate()
        for proc in (*worker_procs, server):
            proc.wait(30)
        if pg_server is not None:
            pg_server.stop()

    base_rate = baseline(args.lines)
    print(f"baseline, the same print loop into /dev/null: {base_rate:,.0f} lines/s")
    print("target (p95 < 250 ms at >= 5,000 lines/s, 0 lost, every round):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
