"""The user's side of the service's workflow routes (``api/workflows/``), on the one `ServiceClient`.

Under JupyterHub (``DATAOPS_SERVICE_URL`` set in the spawner's environment, see docs/jupyterhub.md)
the kernel API and the single-user server's handlers send workflow actions to the service instead of
to an engine, with the user's own hub token, so a kernel gets exactly its user's rights. Each call is
written once, async; synchronous callers (the kernel API, `ServiceRun`) run it with `run_sync`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from dataops.errors import DataOpsError, InvalidInput
from dataops.service.client import ServiceClient
from dataops.sync import run_sync

ENVIRONMENTS = "environments"


def segment(value: str) -> str:
    """``value`` as one path segment of a service URL (a ``/`` in it cannot name another route)."""
    return quote(value, safe="")


async def environment(client: ServiceClient, env: str | None) -> str:
    """``env``, or the service's only environment; naming is required when there are several."""
    if env:
        return env
    answer = await client.request("GET", f"workflows/{ENVIRONMENTS}")
    ids = [e["id"] for e in answer["environments"]]
    if len(ids) == 1:
        return ids[0]
    raise InvalidInput(f"Name the workflow environment (env=...): the DataOps service has {', '.join(ids)}.")


async def service_path(client: ServiceClient, rest: str, env: str | None) -> str:
    """The service's path for a single-user server's ``workflows/{rest}`` in environment ``env``."""
    if rest == ENVIRONMENTS:
        return f"workflows/{rest}"
    return f"workflows/{segment(await environment(client, env))}/{rest}"


def _run_path(env: str, run_id: str, *rest: str) -> str:
    return "/".join(("workflows", segment(env), "runs", segment(run_id), *rest))


async def definitions(client: ServiceClient, env: str) -> list[dict[str, Any]]:
    """The latest definitions on ``env``'s engine."""
    return (await client.request("GET", f"workflows/{segment(env)}/definitions"))["definitions"]


async def publish(client: ServiceClient, env: str, resources: dict[str, bytes], name: str) -> Any:
    """Publish BPMN files to ``env``'s engine; the service's deployment."""
    files = {k: v.decode() for k, v in resources.items()}
    body = {"name": name, "resources": files}
    return await client.request("POST", f"workflows/{segment(env)}/publish", json=body)


async def start(
    client: ServiceClient, env: str, key: str, variables: dict[str, Any], business_key: str | None
) -> dict[str, Any]:
    """Start the latest version of ``key`` in ``env``; the service records the caller as its starter."""
    body = {"key": key, "variables": variables, "business_key": business_key}
    return await client.request("POST", f"workflows/{segment(env)}/runs", json=body)


async def runs(client: ServiceClient, env: str, query: dict[str, Any]) -> dict[str, Any]:
    """One page of ``env``'s runs (``query``: the service's filters; empty ones are left out)."""
    params = {k: v for k, v in query.items() if v}
    return await client.request("GET", f"workflows/{segment(env)}/runs", params=params)


async def run(client: ServiceClient, env: str, run_id: str) -> dict[str, Any]:
    """The run with ``started_by`` and ``may``."""
    return await client.request("GET", _run_path(env, run_id))


async def cancel(client: ServiceClient, env: str, run_id: str, reason: str = "") -> None:
    """Cancel the run (its starter or an operator)."""
    await client.request("POST", _run_path(env, run_id, "cancel"), json={"reason": reason})


async def retry(client: ServiceClient, env: str, run_id: str) -> int:
    """Retry the run's failed steps; returns how many."""
    return int((await client.request("POST", _run_path(env, run_id, "retry"), json={}))["retried"])


async def variables(client: ServiceClient, env: str, run_id: str) -> dict[str, Any]:
    """The run's variables by name."""
    answer = await client.request("GET", _run_path(env, run_id, "variables"))
    return {v["name"]: v["value"] for v in answer["variables"]}


async def logs(client: ServiceClient, env: str, run_id: str, offset: int = 0) -> dict[str, Any]:
    """One page of the run's log after ``offset``."""
    return await client.request("GET", _run_path(env, run_id, "logs"), params={"offset": offset})


async def records(client: ServiceClient, env: str, run_id: str, offset: int = 0) -> list[dict[str, Any]]:
    """Every log record of the run after ``offset``, page by page."""
    out: list[dict[str, Any]] = []
    while True:
        page = await logs(client, env, run_id, offset)
        if not page["records"]:
            return out
        out += page["records"]
        offset = page["next_offset"]


@dataclass(repr=False)
class ServiceRun:
    """A run in an environment's engine, reached through the service (what `dataops.workflows.start`
    returns under JupyterHub): the same verbs as `dataops.workflows.api.Run`, with the user's rights."""

    client: ServiceClient
    env: str
    id: str
    _info: dict[str, Any] | None = None  # the run as last asked

    def __repr__(self) -> str:
        info = self._info or {}
        return (
            f"<Run {self.id} of {info.get('definition_key', '?')} in {self.env}: {info.get('status', '?')}>"
        )

    @property
    def info(self) -> dict[str, Any]:
        """The run as the service reports it now (with ``started_by`` and ``may``)."""
        self._info = run_sync(run(self.client, self.env, self.id))
        return self._info

    @property
    def status(self) -> str:
        """``running``, ``incident``, ``suspended``, ``completed`` or ``cancelled`` (asked now)."""
        return str(self.info["status"])

    def cancel(self, reason: str = "") -> None:
        """Stop the run for good; `Forbidden` with the reason unless you started it or operate here."""
        run_sync(cancel(self.client, self.env, self.id, reason))

    def retry(self) -> int:
        """Give the failed steps another attempt; returns how many."""
        return run_sync(retry(self.client, self.env, self.id))

    def variables(self) -> dict[str, Any]:
        """The run's process variables."""
        return run_sync(variables(self.client, self.env, self.id))

    def records(self, offset: int = 0) -> list[dict[str, Any]]:
        """The run's log records after ``offset`` (engine events merged in by the service)."""
        return run_sync(records(self.client, self.env, self.id, offset))


async def relay_run(
    client: ServiceClient,
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
            now = await run(client, env, run_id)
            page = await logs(client, env, run_id, offset)
            if page["records"]:
                offset = page["next_offset"]
                send(json.dumps({"type": "records", "records": page["records"], "next_offset": offset}))
            if now != last:
                last = now
                send(json.dumps({"type": "status", "run": now}))
        except DataOpsError as exc:
            send(json.dumps({"type": "error", "error": exc.code, "message": exc.message}))
        await asyncio.sleep(poll)
