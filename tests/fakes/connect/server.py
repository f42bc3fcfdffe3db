"""A stateful Posit Connect fake over real HTTP, held to ``contract.yaml`` in both directions.

It keeps content items, their bundles and deployment tasks the way the reference describes them:
a bundle upload must be a gzip compressed tar with a ``manifest.json``; deploying it runs a task
that activates the bundle (``bundle_id``, ``app_mode`` from the manifest, ``last_deployed_time``).
Every request is matched to an operation of the contract and validated before it is handled;
every answer is validated before it is sent. A violation is recorded in ``violations`` and
answered with 500, so the client fails and the fixture finds the violation.
"""

from __future__ import annotations

import io
import json
import tarfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.connect.contract import Contract, ContractViolation, Operation

Body = Any


class ApiError(Exception):
    """Answer ``status`` with the reference's error body."""

    def __init__(self, status: int, code: int, error: str) -> None:
        super().__init__(error)
        self.status, self.code, self.error = status, code, error


@dataclass
class Tamper:
    """Change the next answer of ``operation_id`` (to prove the contract check catches it)."""

    operation_id: str
    change: Callable[[Any], Any]
    times: int = 1


@dataclass
class ConnectState:
    """What the fake Connect holds: API keys, content, bundles, tasks."""

    url: str = ""
    keys: dict[str, str] = field(default_factory=dict)  # API key -> user guid
    content: dict[str, dict[str, Any]] = field(default_factory=dict)
    bundles: dict[str, dict[str, Any]] = field(default_factory=dict)
    archives: dict[str, bytes] = field(default_factory=dict)
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    tampers: list[Tamper] = field(default_factory=list)
    failing_deploys: list[str] = field(default_factory=list)  # the errors of the next deployments
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add_publisher(self, api_key: str) -> str:
        """Register a publisher whose requests carry ``api_key``; returns the user's guid."""
        guid = str(uuid.uuid4())
        self.keys[api_key] = guid
        return guid


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class ConnectFake:
    """A running fake: ``url`` (the server, without ``/__api__``), ``state``, ``stop()``."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.state = ConnectState()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.state.url = self.url
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def handle(self, method: str, target: str, headers: Any, raw: bytes) -> tuple[int, bytes]:
        """Answer one request (called from the HTTP thread): status and JSON body."""
        parts = urlsplit(target)
        state = self.state
        state.requests.append((method, parts.path))
        try:
            op, params = self.contract.match(method, parts.path)
            query = parse_qs(parts.query, keep_blank_values=True)
            body = self.contract.check_request(op, query, raw)
        except ContractViolation as exc:
            return self._violation(str(exc))
        status, answer = self._answer(op, params, query, body, headers.get("Authorization", ""))
        with state.lock:
            tamper = next((t for t in state.tampers if t.operation_id == op.operation_id and t.times), None)
            if tamper:
                tamper.times -= 1
                answer = tamper.change(answer)
        payload = json.dumps(answer).encode()
        try:
            self.contract.check_response(op, status, "application/json", payload)
        except ContractViolation as exc:
            return self._violation(str(exc))
        return status, payload

    def _answer(
        self, op: Operation, params: dict[str, str], query: dict[str, list[str]], body: Body, auth: str
    ) -> tuple[int, Any]:
        state = self.state
        key = auth[len("Key ") :] if auth.startswith("Key ") else ""
        user = state.keys.get(key)
        if user is None:
            return 401, {"code": 30, "error": "The API key is not valid or has expired."}
        handler = getattr(self, "_" + op.operation_id)
        try:
            with state.lock:
                return handler(user, params, query, body)
        except ApiError as err:
            return err.status, {"code": err.code, "error": err.error}

    def _violation(self, text: str) -> tuple[int, bytes]:
        self.state.violations.append(text)
        return 500, json.dumps({"code": 0, "error": f"fake Posit Connect: {text}"}).encode()

    # -- content -------------------------------------------------------------------------------

    def _item(self, user: str, guid: str) -> dict[str, Any]:
        item = self.state.content.get(guid)
        if item is None or item["owner_guid"] != user:
            raise ApiError(404, 4, f"Content '{guid}' does not exist.")
        return item

    def _view(self, item: dict[str, Any]) -> dict[str, Any]:
        return {**item, "content_url": f"{self.url}/content/{item['guid']}/", "role": "owner"}

    def _getContents(self, user: str, params: dict, query: dict, body: Body) -> tuple[int, Any]:
        name = query.get("name", [None])[0]
        owner = query.get("owner_guid", [None])[0]
        items = [
            self._view(c)
            for c in self.state.content.values()
            if c["owner_guid"] == user and name in (None, c["name"]) and owner in (None, c["owner_guid"])
        ]
        return 200, items

    def _createContent(self, user: str, params: dict, query: dict, body: Body) -> tuple[int, Any]:
        if any(c["name"] == body["name"] and c["owner_guid"] == user for c in self.state.content.values()):
            raise ApiError(409, 26, f"A content item named '{body['name']}' already exists.")
        guid = str(uuid.uuid4())
        now = _now()
        item = {
            "guid": guid,
            "name": body["name"],
            "title": body.get("title"),
            "description": body.get("description", ""),
            "access_type": body.get("access_type", "acl"),
            "created_time": now,
            "last_deployed_time": now,
            "bundle_id": None,
            "app_mode": "unknown",
            "content_category": "",
            "owner_guid": user,
            "dashboard_url": f"{self.url}/connect/#/apps/{guid}",
            "id": str(len(self.state.content) + 1),
        }
        self.state.content[guid] = item
        return 200, self._view(item)

    def _getContent(self, user: str, params: dict, query: dict, body: Body) -> tuple[int, Any]:
        return 200, self._view(self._item(user, params["guid"]))

    def _updateContent(self, user: str, params: dict, query: dict, body: Body) -> tuple[int, Any]:
        item = self._item(user, params["guid"])
        item.update(body)
        return 200, self._view(item)

    # -- bundles and tasks ---------------------------------------------------------------------

    def _uploadContentBundle(self, user: str, params: dict, query: dict, body: Body) -> tuple[int, Any]:
        item = self._item(user, params["guid"])
        try:
            with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tar:
                tar.getmember("manifest.json")
        except (tarfile.TarError, KeyError, EOFError, OSError):
            raise ApiError(400, 3, "The bundle is not a tar.gz archive with a manifest.json.") from None
        bundle_id = str(len(self.state.bundles) + 1)
        self.state.bundles[bundle_id] = {
            "id": bundle_id,
            "content_guid": item["guid"],
            "created_time": _now(),
            "active": False,
            "size": len(body),
        }
        self.state.archives[bundle_id] = body
        return 200, self.state.bundles[bundle_id]

    def _getBundle(self, user: str, params: dict, query: dict, body: Body) -> tuple[int, Any]:
        item = self._item(user, params["guid"])
        bundle = self.state.bundles.get(params["id"])
        if bundle is None or bundle["content_guid"] != item["guid"]:
            raise ApiError(404, 4, f"Bundle '{params['id']}' does not exist.")
        return 200, bundle

    def _deployContentBundle(self, user: str, params: dict, query: dict, body: Body) -> tuple[int, Any]:
        item = self._item(user, params["guid"])
        bundle = self.state.bundles.get((body or {}).get("bundle_id") or "")
        if bundle is None or bundle["content_guid"] != item["guid"]:
            raise ApiError(400, 3, "The bundle does not belong to this content.")
        task_id = uuid.uuid4().hex[:16]
        output, code, error = self._activate(item, bundle)
        self.state.tasks[task_id] = {
            "id": task_id,
            "output": output,
            "finished": True,
            "code": code,
            "error": error,
            "last": len(output),
            "result": None,
        }
        return 202, {"task_id": task_id}

    def _activate(self, item: dict[str, Any], bundle: dict[str, Any]) -> tuple[list[str], int, str]:
        """Deploy ``bundle`` as Connect's task does: a bad manifest fails and changes nothing."""
        with tarfile.open(fileobj=io.BytesIO(self.state.archives[bundle["id"]]), mode="r:gz") as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else {}
            names = set(tar.getnames())
        mode = manifest.get("metadata", {}).get("appmode")
        missing = [f for f in manifest.get("files", {}) if f not in names]
        if self.state.failing_deploys:
            return ["Installing R packages", "Restore failed"], 1, self.state.failing_deploys.pop(0)
        if mode not in ("shiny", "python-shiny", "jupyter-static", "static") or missing:
            reason = (
                f"files missing from the bundle: {missing}" if missing else f"unsupported app mode {mode!r}"
            )
            return [f"Bundle {bundle['id']} rejected"], 1, f"Unable to deploy the bundle: {reason}"
        for other in self.state.bundles.values():
            if other["content_guid"] == item["guid"]:
                other["active"] = other is bundle
        item.update(bundle_id=bundle["id"], app_mode=mode, last_deployed_time=_now())
        return [f"Building {mode} application", f"Bundle {bundle['id']} activated"], 0, ""

    def _getTask(self, user: str, params: dict, query: dict, body: Body) -> tuple[int, Any]:
        task = self.state.tasks.get(params["id"])
        if task is None:
            raise ApiError(404, 4, f"Task '{params['id']}' does not exist.")
        first = int(query.get("first", ["0"])[0])
        return 200, {**task, "output": task["output"][first:]}


def _make_handler(fake: ConnectFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                raw = self._read_chunked()
            else:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
            status, payload = fake.handle(self.command, self.path, self.headers, raw)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _read_chunked(self) -> bytes:
            # http.client streams a file body (rsconnect's bundle upload) in chunks
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler
