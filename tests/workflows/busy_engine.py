"""A real HTTP server answering a run's cancel like a Camunda 7 engine whose run is changing meanwhile.

Camunda refuses a delete that collides with another transaction on the same run (a worker completing
or extending a task) with HTTP 500 and the documented error body
``{"type": "OptimisticLockingException", "message": "ENGINE-03005 …", "code": 1}``. Such a collision
cannot be provoked on demand against the real engine, so this server refuses the first ``conflicts``
deletes that way and then accepts, recording every request it saw.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONFLICT_BODY = {
    "type": "OptimisticLockingException",
    "message": "ENGINE-03005 Execution of 'DELETE ExecutionEntity[4f1c]' failed. Entity was updated by "
    "another transaction concurrently.",
    "code": 1,
}


class BusyEngine:
    """``with BusyEngine(conflicts=2) as engine:`` — ``engine.url`` is the REST root (…/engine-rest)."""

    def __init__(self, conflicts: int) -> None:
        self.conflicts = conflicts
        self.requests: list[tuple[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict | None = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self) -> None:  # the cancel reason, kept as a variable of the run
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.requests.append(("PUT", self.path))
                self._answer(204)

            def do_DELETE(self) -> None:
                owner.requests.append(("DELETE", self.path))
                if owner.conflicts > 0:
                    owner.conflicts -= 1
                    self._answer(500, CONFLICT_BODY)
                else:
                    self._answer(204)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/engine-rest"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def deletes(self) -> int:
        """How many deletes (cancel attempts) the engine received."""
        return sum(1 for method, _ in self.requests if method == "DELETE")

    def __enter__(self) -> BusyEngine:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
