"""Under JupyterHub, promotion, pipeline and workflow requests go to the DataOps hub service.

A handler derived from `ServiceForwarding` answers every request in hub mode
(``DATAOPS_SERVICE_URL`` set for the server by the hub) by sending it to the service with the
server's hub token and answering with the service's reply; its own verbs then run only in
single-user (standalone) mode. The paths under ``dataops/api/`` are the service's paths under
``api/`` unless a capability says otherwise (`ServiceForwarding.service_request`).
"""

from __future__ import annotations

from typing import Any

from tornado import web

from dataops.service.client import ServiceClient, service_client
from jupyterlab_dataops.handlers.base import DataOpsHandler

API_MARK = "/dataops/api/"


class ServiceForwarding(DataOpsHandler):
    """A `DataOpsHandler` that forwards the request to the service in hub mode."""

    async def prepare(self) -> None:  # type: ignore[override]  # APIHandler's takes no argument, JupyterHandler's one
        await super().prepare()  # Jupyter's authentication runs here
        client = service_client()
        if client is None or self._finished:
            return
        if not self.current_user:
            raise web.HTTPError(403)
        request = self.request
        params = {k: v[-1].decode() for k, v in request.query_arguments.items()}
        body = self.forward_body() if request.method in ("POST", "PUT", "PATCH") else None
        path, params = await self.service_request(client, request.path.split(API_MARK, 1)[1], params, body)
        status, answer = await client.exchange(request.method or "GET", path, json=body, params=params)
        self.write_json(answer, status=status)

    def forward_body(self) -> Any:
        """The JSON body to send the service (the request's own, unless a handler must add to it)."""
        return self.json_body()

    async def service_request(
        self, client: ServiceClient, path: str, params: dict[str, str], body: Any
    ) -> tuple[str, dict[str, str]]:
        """The service's path and query for this request's ``path`` (below ``dataops/api/``) and
        ``params``: the same, unless the service's routes for a capability differ."""
        return path, params
