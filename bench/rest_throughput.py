"""SDMX REST endpoint throughput over a ``files`` source, with and without the parsed-table cache.

A real Jupyter server with the dataops extension serves a folder holding the ECB exchange-rate
structures and one monthly series of 252 observations (generic SDMX-ML 2.1, as the ECB answers).
Clients send ``--requests`` GETs for that series at ``--concurrency`` at once (SDMX-CSV 1.0, the
default answer), while one more client asks ``/dataops/api/status`` every 50 ms, as the panels do.
Each phase runs against the same server: first the named baseline, ``[data] files_cache_mb = 0``
(every answer parses its file again), then the cache on (``files_cache_mb = 256``), switched by
rewriting the configuration file the server re-reads. Prints requests/s, p50/p95 latency, the
status p95, the server's CPU time per request and the cores it used (on a busy machine a server whose
answers hold the GIL gets one runnable thread's share), the load average for each, and the ratio
cached / baseline.

Target (issue #16): ≥ 300 requests/s with the cache, /api/status p95 < 50 ms meanwhile.

    python bench/rest_throughput.py [--requests 400] [--concurrency 20] [--rounds 1]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "sdmx-samples"
TOKEN = "rest-throughput-bench"
SERIES = "dataops/sdmx/FILES/data/EXR/M.USD.EUR.SP00.A"
CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"


@dataclass
class Phase:
    """One phase's figures."""

    name: str
    rate: float
    p50: float
    p95: float
    status_p95: float
    status_max: float
    cpu_ms: float
    load: str


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (Linux /proc), all its threads together."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_config(path: Path, folder: Path, cache_mb: int) -> None:
    path.write_text(
        f'[data]\nfiles_cache_mb = {cache_mb}\n\n[[sources]]\nid = "FILES"\nname = "Bench"\n'
        f'url = "{folder}"\napi = "files"\n'
    )


async def load(
    client: httpx.AsyncClient, base: str, requests: int, concurrency: int
) -> tuple[float, list[float]]:
    """Send ``requests`` GETs for the series, ``concurrency`` at once; (seconds, each request's seconds)."""
    todo = iter(range(requests))
    times: list[float] = []

    async def one_client() -> None:
        for _ in todo:
            t0 = time.perf_counter()
            response = await client.get(base + SERIES, headers={"Accept": CSV_10})
            response.raise_for_status()
            assert response.content.count(b"\n") >= 253, response.content[:200]
            times.append(time.perf_counter() - t0)

    start = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(concurrency)))
    return time.perf_counter() - start, times


async def watch_status(client: httpx.AsyncClient, base: str, stop: asyncio.Event) -> list[float]:
    """``/dataops/api/status`` every 50 ms until ``stop``: each answer's seconds."""
    times: list[float] = []
    while not stop.is_set():
        t0 = time.perf_counter()
        (await client.get(base + "dataops/api/status")).raise_for_status()
        times.append(time.perf_counter() - t0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.05)
    return times


async def phase(name: str, base: str, pid: int, args: argparse.Namespace) -> Phase:
    headers = {"Authorization": f"token {TOKEN}"}
    limits = httpx.Limits(max_connections=args.concurrency + 1)
    async with (
        httpx.AsyncClient(headers=headers, limits=limits, timeout=60) as client,
        httpx.AsyncClient(headers=headers, timeout=60) as status_client,
    ):
        await load(client, base, args.concurrency, args.concurrency)  # connections opened, config re-read
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_status(status_client, base, stop))
        cpu = cpu_seconds(pid)
        seconds, times = await load(client, base, args.requests, args.concurrency)
        cpu = cpu_seconds(pid) - cpu
        stop.set()
        status = await watcher
    return Phase(
        name,
        args.requests / seconds,
        pct(times, 0.5) * 1000,
        pct(times, 0.95) * 1000,
        pct(status, 0.95) * 1000,
        max(status) * 1000,
        cpu / args.requests * 1000,
        " ".join(f"{x:.2f}" for x in os.getloadavg()),
    )


def show(p: Phase) -> None:
    print(
        f"{p.name:<30} {p.rate:8.0f} req/s   p50 {p.p50:6.1f} ms   p95 {p.p95:6.1f} ms   "
        f"/api/status p95 {p.status_p95:5.1f} ms (max {p.status_max:5.1f})   "
        f"server CPU {p.cpu_ms:4.1f} ms/request ({p.cpu_ms * p.rate / 1000:.2f} cores)   load {p.load}"
    )


async def run(base: str, pid: int, config: Path, folder: Path, args: argparse.Namespace) -> None:
    for r in range(args.rounds):
        write_config(config, folder, 0)
        baseline = await phase(f"round {r + 1}: cache off (baseline)", base, pid, args)
        show(baseline)
        write_config(config, folder, 256)
        cached = await phase(f"round {r + 1}: files_cache_mb = 256", base, pid, args)
        show(cached)
        print(
            f"round {r + 1}: cached / baseline = {cached.rate / baseline.rate:.2f}x requests/s, "
            f"{cached.cpu_ms / baseline.cpu_ms:.2f}x server CPU per request; "
            f"target >= 300 req/s: {'met' if cached.rate >= 300 else 'NOT met'}, "
            f"/api/status p95 < 50 ms: {'met' if cached.status_p95 < 50 else 'NOT met'}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=1, help="baseline + cached pairs against the same server")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dataops-rest-bench-"))
    folder = work / "messages"
    (folder / "EXR").mkdir(parents=True)
    shutil.copy(SAMPLES / "ECB_EXR/1/structure-full.xml", folder / "structures.xml")
    shutil.copy(SAMPLES / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", folder / "EXR" / "usd.xml")
    config = work / "dataops.toml"
    write_config(config, folder, 0)
    (work / "user.toml").write_text("")  # no user's settings of this machine reach the server
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "DATAOPS_SYSTEM_CONFIG": str(config), "PYTHONPATH": path}  # the bench is the admin
    env.update(DATAOPS_CONFIG=str(work / "user.toml"), XDG_CONFIG_HOME=str(work / "xdg"))

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", f"--port={port}", "--no-browser",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={work}", "--allow-root",
         "--ServerApp.jpserver_extensions={'jupyterlab_dataops': True}"],
        env=env, stdout=subprocess.DEVNULL, stderr=(work / "server.log").open("wb"),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            with contextlib.suppress(httpx.HTTPError):
                status = httpx.get(
                    base + "dataops/api/status", headers={"Authorization": f"token {TOKEN}"}, timeout=2
                )
                if status.status_code == 200:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                print(f"The Jupyter server did not start; see {work}/server.log", file=sys.stderr)
                return 1
            time.sleep(0.2)
        print(
            f"machine: {os.cpu_count()} cores, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
            f"{args.requests} requests for a 252-observation series at concurrency {args.concurrency}, "
            f"one server ({status.json()['readers']['summary']})"
        )
        try:
            asyncio.run(run(base, server.pid, config, folder, args))
        except httpx.HTTPStatusError:
            print((work / "server.log").read_text()[-3000:], file=sys.stderr)
            raise
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(10)
        if server.poll() is None:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
