"""The real workflow engine for the workflow tests: built and started once per session by scripts/engine.sh.

It runs on a free port with a fresh H2 database in a temporary folder, so tests never meet runs
of a developer's own engine. The first session on a machine builds the jar (about two minutes
with an empty ~/.m2); later sessions reuse it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dataops.workflows.camunda import CamundaEngine

REPO = Path(__file__).resolve().parents[2]
ENGINE_SH = REPO / "scripts" / "engine.sh"


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

    def start(self) -> str:
        """Start (building first if needed) and wait until the REST API answers; returns its URL."""
        return self._script("start")

    def stop(self) -> None:
        """Stop the engine process and wait for it to exit."""
        self._script("stop")


@pytest.fixture(scope="session")
def engine_server(tmp_path_factory) -> Iterator[EngineServer]:
    """The session's engine process (tests may stop and start it again)."""
    for tool in ("java", "mvn", "curl"):
        if shutil.which(tool) is None:
            pytest.fail(f"The workflow tests need {tool} on PATH to build and run the engine in engine/.")
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
