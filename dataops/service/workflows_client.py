"""The user's side of the service's workflow routes: requests made with the user's own hub token.

Under JupyterHub (``DATAOPS_SERVICE_URL`` set in the spawner's environment, see docs/jupyterhub.md)
the kernel API and the single-user server's handlers send workflow actions here instead of to an
engine, so a kernel gets exactly its user's rights. Standard library and httpx only.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from dataops.errors import (
    Conflict,
    DataOpsError,
    Forbidden,
    InvalidInput,
    NotConfigured,
    NotFound,
    RemoteError,
    Unauthorized,
    Unreachable,
)

SERVICE_URL_ENV = "DATAOPS_SERVICE_URL"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"  # noqa: S105 (a variable name, not a token)

_ERRORS: dict[int, type[DataOpsError]] = {
    400: InvalidInput,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    503: NotConfigured,
}


def hub_mode(environ: dict[str, str] | None = None) -> bool:
    """True when workflow actions go through the DataOps service (JupyterHub set its URL)."""
    return bool((environ if environ is not None else os.environ).get(SERVICE_URL_ENV))


class Reply:
    """One answer of the service: HTTP status and JSON body."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body


class WorkflowsClient:
    """Blocking client of ``{service}/api/workflows/``, authenticated with the user's hub token."""

    def __init__(
        self, base_url: str | None = None, token: str | None = None, *, timeout: float = 60.0
    ) -> None:
        base = base_url or os.environ.get(SERVICE_URL_ENV, "")
        if not base:
            raise NotConfigured(
                f"{SERVICE_URL_ENV} is not set: this server does not run under the DataOps service."
            )
        self.base_url = base.rstrip("/") + "/"
        token = token or os.environ.get(TOKEN_ENV, "")
        self._client = httpx.Client(
            headers={"Authorization": f"token {token}"} if token else {}, timeout=timeout
        )

    def request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> Reply:
        """Send ``method path`` (relative to ``api/workflows/``) and return the answer, errors included."""
        url = f"{self.base_url}api/workflows/{path}"
        try:
            reply = self._client.request(method, url, params=params, json=json)
        except httpx.HTTPError as exc:
            raise Unreachable(f"the DataOps service at {self.base_url} does not answer: {exc}") from exc
        try:
            body = reply.json()
        except ValueError:
            body = {"error": "remote_error", "message": reply.text[:500], "details": None}
        return Reply(reply.status_code, body)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like `request`, but an error answer raises the `DataOpsError` carrying the service's sentence."""
        reply = self.request(method, path, **kwargs)
        if reply.status >= 400:
            message = reply.body.get("message") if isinstance(reply.body, dict) else None
            error = _ERRORS.get(reply.status, RemoteError)
            raise error(message or f"the DataOps service answered HTTP {reply.status}")
        return reply.body

    def forward(self, method: str, rest: str, env: str | None, params: dict[str, Any], body: Any) -> Reply:
        """A single-user server's workflow request (``rest`` below its ``workflows/``) sent on to the
        service for environment ``env``; the answer, errors included, goes back as it came."""
        path = rest if rest == "environments" else f"{_seg(self.environment(env))}/{rest}"
        return self.request(method, path, params=params, json=body)

    def environment(self, env: str | None) -> str:
        """``env``, or the service's only environment; naming is required when there are several."""
        if env:
            return env
        ids = [e["id"] for e in self.call("GET", "environments")["environments"]]
        if len(ids) == 1:
            return ids[0]
        raise InvalidInput(
            f"Name the workflow environment (env=...): the DataOps service has {', '.join(ids)}."
        )

    # -- the kernel API's actions -----------------------------------------------------------------
    def publish(self, env: str, resources: dict[str, bytes], name: str) -> dict[str, Any]:
        """Publish BPMN files to ``env``'s engine."""
        files = {k: v.decode() for k, v in resources.items()}
        return self.call("POST", f"{_seg(env)}/publish", json={"name": name, "resources": files})

    def start(
        self, env: str, key: str, variables: dict[str, Any], business_key: str | None
    ) -> dict[str, Any]:
        """Start the latest version of ``key`` in ``env``; the service records the caller as its starter."""
        body = {"key": key, "variables": variables, "business_key": business_key}
        return self.call("POST", f"{_seg(env)}/runs", json=body)

    def run(self, env: str, run_id: str) -> dict[str, Any]:
        """The run with ``started_by`` and ``may``."""
        return self.call("GET", f"{_seg(env)}/runs/{_seg(run_id)}")

    def cancel(self, env: str, run_id: str, reason: str = "") -> None:
        """Cancel the run (its starter or an operator)."""
        self.call("POST", f"{_seg(env)}/runs/{_seg(run_id)}/cancel", json={"reason": reason})

    def retry(self, env: str, run_id: str) -> int:
        """Retry the run's failed steps; returns how many."""
        return int(self.call("POST", f"{_seg(env)}/runs/{_seg(run_id)}/retry", json={})["retried"])

    def variables(self, env: str, run_id: str) -> dict[str, Any]:
        """The run's variables by name."""
        answer = self.call("GET", f"{_seg(env)}/runs/{_seg(run_id)}/variables")
        return {v["name"]: v["value"] for v in answer["variables"]}

    def logs(self, env: str, run_id: str, offset: int = 0) -> dict[str, Any]:
        """One page of the run's log after ``offset``."""
        return self.call("GET", f"{_seg(env)}/runs/{_seg(run_id)}/logs", params={"offset": offset})

    def close(self) -> None:
        """Close the connections."""
        self._client.close()


def _seg(value: str) -> str:
    return quote(value, safe="")


class ServiceRun:
    """A run in an environment's engine, reached through the service (what `dataops.workflows.start`
    returns under JupyterHub): the same verbs as `dataops.workflows.api.Run`, with the user's rights."""

    def __init__(
        self, client: WorkflowsClient, env: str, run_id: str, info: dict[str, Any] | None = None
    ) -> None:
        self.client = client
        self.env = env
        self.id = run_id
        self._info = info

    def __repr__(self) -> str:
        info = self._info or {}
        return (
            f"<Run {self.id} of {info.get('definition_key', '?')} in {self.env}: {info.get('status', '?')}>"
        )

    @property
    def info(self) -> dict[str, Any]:
        """The run as the service reports it now (with ``started_by`` and ``may``)."""
        self._info = self.client.run(self.env, self.id)
        return self._info

    @property
    def status(self) -> str:
        """``running``, ``incident``, ``suspended``, ``completed`` or ``cancelled`` (asked now)."""
        return str(self.info["status"])

    def cancel(self, reason: str = "") -> None:
        """Stop the run for good; `Forbidden` with the reason unless you started it or operate here."""
        self.client.cancel(self.env, self.id, reason)

    def retry(self) -> int:
        """Give the failed steps another attempt; returns how many."""
        return self.client.retry(self.env, self.id)

    def variables(self) -> dict[str, Any]:
        """The run's process variables."""
        return self.client.variables(self.env, self.id)

    def records(self, offset: int = 0) -> list[dict[str, Any]]:
        """The run's log records after ``offset`` (engine events merged in by the service)."""
        out: list[dict[str, Any]] = []
        while True:
            page = self.client.logs(self.env, self.id, offset)
            if not page["records"]:
                return out
            out += page["records"]
            offset = page["next_offset"]


async def relay_run(
    client: WorkflowsClient,
    env: str,
    run_id: str,
    offset: int,
    send: Callable[[str], None],
    *,
    poll: float = 1.0,
) -> None:
    """Send a run's log and status from the service as the run stream's messages (see
    jupyterlab_dataops/handlers/workflow_ws.py) until cancelled: ``records`` after ``offset``, then
    ``status`` whenever the run (its ``may`` included) changes, ``error`` while the service refuses."""
    last: dict[str, Any] | None = None
    while True:
        try:
            # The run is read before the log: the lines that precede a status change go out first.
            run = await asyncio.to_thread(client.run, env, run_id)
            page = await asyncio.to_thread(client.logs, env, run_id, offset)
            if page["records"]:
                offset = page["next_offset"]
                send(json.dumps({"type": "records", "records": page["records"], "next_offset": offset}))
            if run != last:
                last = run
                send(json.dumps({"type": "status", "run": run}))
        except DataOpsError as exc:
            send(json.dumps({"type": "error", "error": exc.code, "message": exc.message}))
        await asyncio.sleep(poll)
