"""The local SDMX provider of the Data panel's UI tests, on a fixed port.

It serves ``../shared/sdmx-samples`` through the pytest suite's provider (``tests/sdmx/fake_provider.py``:
SDMX REST 1.x/2.x, content negotiation, providers' refusals) so the Galata tests drive the panel against
the same real HTTP answers as the Python tests. One extra persona for the UI: ``/slow/`` answers as
``/ecb/`` after ``--slow`` seconds, so a preview can be watched in progress and cancelled.

Usage: ``python ui-tests/setup/sdmx_provider.py --port 18790`` (prints ``ready <url>`` once listening).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "sdmx-samples"


def load_provider_module():
    """The pytest suite's provider module, loaded from its file (tests/ is not a package)."""
    path = ROOT / "tests" / "sdmx" / "fake_provider.py"
    spec = importlib.util.spec_from_file_location("sdmx_fake_provider", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def serve(port: int, slow: float) -> None:
    """Answer until killed."""
    if not SAMPLES.is_dir():
        sys.exit(f"The SDMX samples are not at {SAMPLES}; the Data panel's UI tests need them.")
    provider = load_provider_module().FakeProvider(SAMPLES)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            path = self.path
            if path.startswith("/slow/"):
                path = "/ecb/" + path[len("/slow/") :]
                if "/data/" in path:
                    time.sleep(slow)
            status, headers, body = provider.answer(path, self.headers)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(f"ready http://127.0.0.1:{port}", flush=True)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18790)
    parser.add_argument("--slow", type=float, default=8.0, help="delay of /slow/ data answers (seconds)")
    args = parser.parse_args()
    serve(args.port, args.slow)


if __name__ == "__main__":
    main()
