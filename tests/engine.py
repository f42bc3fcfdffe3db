"""The real workflow engine of the test session: one process for every test, started on first use.

`scripts/engine.sh` builds `engine/target/dataops-engine.jar` (only when `engine/` or `processes/`
changed) and starts it on a free port with a fresh H2 database in the session's temporary folder,
so tests never meet runs of a developer's own engine. The build runs once, right after collection
and only when a selected test needs the engine, so Maven never eats into a test's timeout.

Tests share the engine: each publishes its processes under unique keys and topics and fetches tasks
by unique business keys. A test that stops the engine (an outage test) starts it again before it
ends; `EngineServer.start` is idempotent. Registered by `pytest_plugins` in `tests/conftest.py`.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dataops.workflows.camunda import CamundaEngine

REPO = Path(__file__).resolve().parents[1]
ENGINE_SH = REPO / "scripts" / "engine.sh"
TOOLS = ("java", "mvn", "curl")
FIXTURES = frozenset({"engine_server", "engine_url", "engine"})

# Every engine process a test session started (port, seconds until it answered): the terminal summary
# reports them, so a slow CI run shows at once whether engine starts were the cost.
STARTS: list[tuple[int, float]] = []
_build_error: list[str] = []


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class EngineServer:
    """One engine process controlled through scripts/engine.sh (start and stop are idempotent)."""

    port: int
    data: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/engine-rest"

    def _script(self, command: str) -> str:
        done = subprocess.run(
            ["bash", str(ENGINE_SH), command, "--port", str(self.port), "--data", str(self.data)],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            raise RuntimeError(f"scripts/engine.sh {command} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout.strip()

    @property
    def pid(self) -> str:
        """The engine process's id from scripts/engine.sh's pid file ("" when none was started)."""
        pidfile = self.data / f"engine-{self.port}.pid"
        return pidfile.read_text().strip() if pidfile.is_file() else ""

    def start(self) -> str:
        """Start (building first if needed) and wait until the REST API answers; returns its URL."""
        before, t0 = self.pid, time.monotonic()
        url = self._script("start")
        if self.pid != before:  # a new process, not the idempotent answer of a running one
            STARTS.append((self.port, time.monotonic() - t0))
        return url

    def stop(self) -> None:
        """Stop the engine process and wait for it to exit."""
        self._script("stop")


def _missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Build the jar once, before the first test, when a selected test needs the engine."""
    if session.config.option.collectonly or _missing_tools():
        return
    if not any(FIXTURES & set(getattr(item, "fixturenames", ())) for item in session.items):
        return
    done = subprocess.run(["bash", str(ENGINE_SH), "build"], capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        _build_error.append(f"scripts/engine.sh build failed:\n{done.stdout}\n{done.stderr}")


def pytest_terminal_summary(terminalreporter) -> None:
    if STARTS:
        seconds = ", ".join(f"{s:.0f} s" for _, s in STARTS)
        terminalreporter.write_line(f"workflow engine: {len(STARTS)} start(s) this session ({seconds})")


@pytest.fixture(scope="session")
def engine_server(tmp_path_factory) -> Iterator[EngineServer]:
    """The session's engine process, started by the first test that needs it (tests may stop and start it)."""
    missing = _missing_tools()
    if missing:
        pytest.fail(
            f"The workflow tests need {', '.join(missing)} on PATH to build and run the engine in engine/."
        )
    if _build_error:
        pytest.fail(_build_error[0])
    server = EngineServer(port=free_port(), data=tmp_path_factory.mktemp("engine-data"))
    url = server.start()
    assert url == server.url
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def engine_url(engine_server) -> str:
    """The REST root of the session's engine (…/engine-rest)."""
    return engine_server.url


@pytest.fixture(scope="session")
def engine(engine_url) -> Iterator[CamundaEngine]:
    """A blocking client of the session's engine."""
    client = CamundaEngine(engine_url)
    yield client
    client.close()
