"""The fake's HTTP server: authentication, fault injection, spec checks, dispatch to resource modules.

Every request is matched to an operation of the OpenAPI subset and validated before its handler
runs; every answer is validated before it is sent. A violation is recorded in
``state.violations`` and answered with ``500`` and the violation text, so the test fails twice
over (the client sees a server error, the fixture finds the violation).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.fakes.gitlab import routing
from tests.fakes.gitlab.routing import ApiError, FakeRequest, FakeResponse
from tests.fakes.gitlab.spec import Spec, SpecViolation
from tests.fakes.gitlab.state import GitLabState, RecordedRequest

_NOT_RESOURCES = {"routing", "server", "spec", "state", "fixtures"}


def load_resource_modules() -> None:
    """Import every resource module of the package, which registers its routes."""
    package = Path(__file__).parent
    for info in pkgutil.iter_modules([str(package)]):
        if info.name not in _NOT_RESOURCES and not info.name.startswith("_"):
            importlib.import_module(f"tests.fakes.gitlab.{info.name}")


class GitLabFake:
    """A running fake: ``url`` (base, without ``/api/v4``), ``state``, ``stop()``.

    ``port`` 0 (the default) takes a free port; a fixed one (for a configuration naming it) raises
    `OSError` with ``errno.EADDRINUSE`` when it is taken.
    """

    def __init__(self, root: Path, spec: Spec, *, port: int = 0) -> None:
        load_resource_modules()
        self.spec = spec
        root.mkdir(parents=True, exist_ok=True)
        self.state = GitLabState(root)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _make_handler(self))
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.state.base_url = self.url
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def handle(self, method: str, raw_path: str, query_string: str, headers, body: bytes) -> FakeResponse:
        """Answer one request (called from the HTTP thread)."""
        state = self.state
        query = parse_qs(query_string, keep_blank_values=True)
        record = RecordedRequest(method, raw_path, query, None)
        state.requests.append(record)
        try:
            op, params = self.spec.match(method, raw_path)
            parsed = _parse_body(body, headers.get("Content-Type", ""))
            record.body = parsed
            self.spec.check_request(op, params, query, parsed)
        except SpecViolation as exc:
            return self._violation(record, str(exc))
        response = self._answer(method, op, params, query, parsed, headers)
        try:
            self.spec.check_response(op, response.status, response.content_type, response.encode())
        except SpecViolation as exc:
            return self._violation(record, str(exc))
        record.status = response.status
        with state.lock:
            slow = next((d for d in state.delays if d.matches(method, op.template)), None)
            if slow:
                slow.times -= 1
        if slow:
            time.sleep(slow.seconds)
        return response

    def _answer(self, method, op, params, query, parsed, headers) -> FakeResponse:  # noqa: ANN001
        state = self.state
        token = headers.get("PRIVATE-TOKEN") or _bearer(headers.get("Authorization", ""))
        user = state.user_for_token(token)
        with state.lock:
            fault = next((f for f in state.faults if f.matches(method, op.template)), None)
            if fault:
                fault.times -= 1
                message = fault.message or _DEFAULT_MESSAGES.get(fault.status, f"{fault.status} Error")
                return FakeResponse(fault.status, {"message": message}, dict(fault.headers))
        if user is None:
            return FakeResponse(401, {"message": "401 Unauthorized"})
        handler = next(
            (r.handler for r in routing.ROUTES if r.method == method and r.template == op.template), None
        )
        if handler is None:
            return FakeResponse(404, {"error": "404 Not Found"})
        try:
            with state.lock:
                return handler(FakeRequest(state, user, method, params, query, parsed))
        except ApiError as err:
            return FakeResponse(err.status, {"message": err.message}, err.headers)

    def _violation(self, record: RecordedRequest, text: str) -> FakeResponse:
        self.state.violations.append(text)
        record.status = 500
        return FakeResponse(500, {"message": f"fake GitLab: {text}"})


_DEFAULT_MESSAGES = {
    401: "401 Unauthorized",
    403: "403 Forbidden",
    404: "404 Not Found",
    409: "409 Conflict",
    429: "Retry later",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}


def _bearer(value: str) -> str | None:
    return value[7:] if value.startswith("Bearer ") else None


def _parse_body(body: bytes, content_type: str):  # noqa: ANN202
    if not body:
        return None
    if not content_type.startswith("application/json"):
        raise SpecViolation(f"request body of type {content_type!r}: the client must send JSON")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise SpecViolation(f"request body is not JSON: {exc}") from exc


def _make_handler(fake: GitLabFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            response = fake.handle(self.command, parts.path, parts.query, self.headers, body)
            payload = response.encode()
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args) -> None:  # noqa: A002, ANN002
            pass

    return Handler
