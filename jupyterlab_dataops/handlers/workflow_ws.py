"""``WS dataops/api/workflows/runs/{run_id}/stream?offset=N``: one run's log and status, live.

Messages (JSON text frames, server to client):

- ``{"type": "records", "records": [LogRecord…], "next_offset": N}`` — every record after the
  offset the client connected with, then each new one; reconnecting with the last
  ``next_offset`` misses nothing and repeats nothing;
- ``{"type": "status", "run": Run}`` — on connect and whenever the run's status changes,
  always after the records that precede the change;
- ``{"type": "error", "error": code, "message": sentence}`` — e.g. the engine is unreachable;
  streaming goes on and a ``status`` follows when it is back.

All watchers of a run share one poller (`dataops.workflows.watch`). Under JupyterHub
(``DATAOPS_SERVICE_URL`` set) each stream relays the DataOps service's answers for ``?env=``
instead, with the user's own hub token (`dataops.service.workflows_calls.relay_run`).
"""

from __future__ import annotations

import asyncio

from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from tornado import websocket

from dataops.redaction import public_url
from dataops.service import workflows_calls as calls
from dataops.service.client import ServiceClient, service_client
from dataops.workflows.watch import RunWatch, Watcher
from jupyterlab_dataops.handlers.workflows import WorkflowsHandler


class RunStreamHandler(WebSocketMixin, websocket.WebSocketHandler, WorkflowsHandler):
    """Streams one run to one client."""

    watcher: Watcher | None = None
    run_watch: RunWatch | None = None
    relay: asyncio.Task[None] | None = None
    client: ServiceClient | None = None

    async def prepare(self, *, _redirect_to_login: bool = False) -> None:
        # Identify the user without a login redirect (JupyterHandler's websocket mode); the
        # upgrade itself checks the Origin, as for Jupyter's own websockets.
        await JupyterHandler.prepare(self, _redirect_to_login=_redirect_to_login)

    @ws_authenticated
    async def get(self, run_id: str) -> None:
        """Authenticate, check the offset and configuration (as JSON errors), then upgrade."""
        self._offset = self.int_arg("offset", 0)
        self.client = service_client()
        if self.client is not None:
            self._env = await calls.environment(self.client, self.get_query_argument("env", None))
        else:
            self._svc = self.dataops.workflows.service()
        await super().get(run_id)

    def open(self, run_id: str) -> None:
        """Join the run's shared poller from the requested offset (under JupyterHub: relay the service)."""
        if self.client is not None:
            self.relay = asyncio.ensure_future(
                calls.relay_run(self.client, self._env, run_id, self._offset, self._send)
            )
            return
        self.watcher = Watcher(self._send, self._offset)
        self.run_watch = self._svc.watches.watch(run_id, self.watcher)

    def _send(self, message: str) -> None:
        self.write_message(public_url(message))

    def on_message(self, message: str | bytes) -> None:
        """Clients only listen; anything they send is ignored."""

    def on_close(self) -> None:
        """Leave the poller (it stops with its last watcher), or stop relaying."""
        if self.relay is not None:
            self.relay.cancel()
        if self.run_watch is not None and self.watcher is not None:
            self.run_watch.remove(self.watcher)


ROUTES = [(r"workflows/runs/(?P<run_id>[^/]+)/stream", RunStreamHandler)]
