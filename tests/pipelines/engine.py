"""A real Camunda 7-compatible engine for the deploy tests: the repository's Operaton engine jar.

``DATAOPS_TEST_ENGINE_URL`` points at an engine that is already running (CI may start one);
otherwise ``engine/target/dataops-engine.jar`` is started on a free port (built with Maven first
when it is missing) and stopped after the session.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
JAR = REPO / "engine" / "target" / "dataops-engine.jar"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen | None, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the engine exited with status {process.returncode}")
        try:
            if httpx.get(f"{url}/version", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the engine at {url} did not answer within {timeout:.0f} s")


def running_engine(data_dir: Path) -> Iterator[str]:
    """Yield the REST base URL (…/engine-rest) of a running engine."""
    external = os.environ.get("DATAOPS_TEST_ENGINE_URL")
    if external:
        _wait(external.rstrip("/"), None, 30)
        yield external.rstrip("/")
        return
    if not JAR.is_file():
        subprocess.run(
            ["mvn", "-q", "-B", "-f", str(REPO / "engine" / "pom.xml"), "-DskipTests", "package"],
            check=True,
            timeout=1200,
        )
    # Run a private copy: a rebuild of engine/target during the session must not pull the jar from under it.
    jar = data_dir / JAR.name
    shutil.copy2(JAR, jar)
    port = _free_port()
    log = (data_dir / "engine.log").open("wb")
    process = subprocess.Popen(
        ["java", "-jar", str(jar), f"--server.port={port}"],
        env={**os.environ, "DATAOPS_ENGINE_DATA": str(data_dir)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/engine-rest"
    try:
        _wait(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
