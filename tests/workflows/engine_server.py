"""Control of a real engine process through scripts/engine.sh, for the workflow tests."""

from __future__ import annotations

import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

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
