"""Real dashboard servers for the tests: Debian's shiny-server (unpacked by
scripts/install_shiny_server.sh), a Voilà server, and a plain HTTP server of ../shared/sdmx-samples."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from dataops.dashboards.shiny_server import server_config
from tests.engine import free_port
from tests.workflows.support import wait_until

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "sdmx-samples" / "derived"


def shiny_server_executable() -> Path:
    """$DATAOPS_SHINY_SERVER, else the one `make shiny-server` unpacked into the venv's tools."""
    explicit = os.environ.get("DATAOPS_SHINY_SERVER")
    exe = Path(explicit) if explicit else REPO / ".venv" / "tools" / "shiny-server" / "bin" / "shiny-server"
    assert exe.is_file(), f"{exe} is missing: run `make shiny-server` (scripts/install_shiny_server.sh)"
    return exe


def world_readable_dir(prefix: str) -> Path:
    """A fresh folder under /tmp the apps' user (``nobody`` when the tests run as root) can read."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def _answering(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


@contextmanager
def shiny_server(site_dir: Path) -> Iterator[str]:
    """Shiny Server serving ``site_dir``; yields its base URL. Its log is printed when a test fails."""
    state = world_readable_dir("dataops-shiny-state-")
    port = free_port()
    config = state / "shiny-server.conf"
    config.write_text(server_config(site_dir, port=port, state_dir=state))
    log = (state / "server.log").open("w")
    proc = subprocess.Popen(
        [str(shiny_server_executable()), str(config)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: proc.poll() is not None or _answering(url), timeout=60, what="shiny-server")
        assert proc.poll() is None, (state / "server.log").read_text()
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        print((state / "server.log").read_text())
        shutil.rmtree(state, ignore_errors=True)


@contextmanager
def voila_server(site_dir: Path) -> Iterator[str]:
    """A Voilà server on ``site_dir`` (``voila DIR``, no browser); yields its base URL."""
    port = free_port()
    log_path = site_dir.parent / f"voila-{port}.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            str(site_dir),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: proc.poll() is not None or _answering(url), timeout=90, what="voila")
        assert proc.poll() is None, log_path.read_text()
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@contextmanager
def samples_server() -> Iterator[str]:
    """A plain HTTP server of ../shared/sdmx-samples/derived; yields its base URL."""
    assert SAMPLES.is_dir(), f"{SAMPLES} is missing (../shared beside the repository)"
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(SAMPLES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
