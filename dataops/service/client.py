"""The single-user side's way to the DataOps hub service: one request with the user's own hub token.

Under JupyterHub, promotion and the pipeline actions are decided by the service, not by code running
as the user. The user's server and kernels find it through ``DATAOPS_SERVICE_URL`` (the hub
administrator sets it with ``c.Spawner.environment``) and authenticate with ``JUPYTERHUB_API_TOKEN``,
the token the hub gives the user's server. A user who points ``DATAOPS_SERVICE_URL`` elsewhere only
reaches a process without the service's credentials.

This is the one client of the service, for promotion, pipelines and workflows alike (the workflow
calls are in `dataops.service.workflows_calls`). The async `ServiceClient.request` is the one
implementation; `ServiceClient.call` runs it to completion for synchronous callers (a kernel's
``dataops.promote``). Every failure is a
`dataops.errors` exception: the service's own error keeps its class and sentence, and a service that
does not answer is `ServiceUnreachable` ("the DataOps service at … does not answer").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TypedDict, Unpack

import httpx

from dataops import errors
from dataops.errors import ConfigError, DataOpsError, NotConfigured, ServiceUnreachable
from dataops.sync import run_sync

SERVICE_URL_ENV = "DATAOPS_SERVICE_URL"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"  # noqa: S105 (a variable name, not a token)
# Reviews diff against the target and submits push: slower than a page load, bounded all the same.
TIMEOUT = httpx.Timeout(120.0, connect=10.0)
# Statuses a proxy answers with when the service behind it is not running.
PROXY_DOWN = (502, 503, 504)


def hub_mode(environ: Mapping[str, str] | None = None) -> bool:
    """True when this server or kernel runs under JupyterHub with the DataOps service configured."""
    return bool((os.environ if environ is None else environ).get(SERVICE_URL_ENV))


def service_client(environ: Mapping[str, str] | None = None) -> ServiceClient | None:
    """The client for the configured service, or None in single-user (standalone) mode.

    `ConfigError` when the service is configured but the hub token is missing.
    """
    env = os.environ if environ is None else environ
    url = env.get(SERVICE_URL_ENV, "")
    if not url:
        return None
    token = env.get(TOKEN_ENV, "")
    if not token:
        raise ConfigError(
            f"{SERVICE_URL_ENV} names the DataOps service at {url}, but {TOKEN_ENV} (the hub token "
            "JupyterHub gives your server) is not set: start your server from the hub."
        )
    return ServiceClient(url, token)


def hub_client(environ: Mapping[str, str] | None = None) -> ServiceClient:
    """The client for the configured service; `NotConfigured` in single-user (standalone) mode."""
    client = service_client(environ)
    if client is None:
        raise NotConfigured(
            f"{SERVICE_URL_ENV} is not set: this server does not run under the DataOps service."
        )
    return client


class Options(TypedDict, total=False):
    """What a request may carry besides its method and path."""

    json: Any
    params: Mapping[str, Any] | None


class ServiceClient:
    """Requests to the DataOps service's ``api/`` with a hub token (never logged, never in errors)."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._token = token

    async def request(self, method: str, path: str, **options: Unpack[Options]) -> Any:
        """``method`` ``api/{path}`` on the service; the decoded JSON answer, or the service's error."""
        return (await self.exchange(method, path, **options))[1]

    async def exchange(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> tuple[int, Any]:
        """`request` with the service's HTTP status too (a forwarding server answers with it)."""
        url = f"{self.base_url}api/{path}"
        headers = {"Authorization": f"token {self._token}"}
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT, headers=headers) as client:
                reply = await client.request(method, url, json=json, params=params)
        except httpx.ConnectError as exc:
            raise ServiceUnreachable(self._down(f"connection failed: {exc}"), details=None) from exc
        except httpx.TimeoutException as exc:
            raise ServiceUnreachable(
                f"the DataOps service at {self.base_url} did not answer in time; if you were submitting a "
                "promotion, look at the promotion history before trying again"
            ) from exc
        except httpx.HTTPError as exc:
            raise ServiceUnreachable(self._down(str(exc))) from exc
        return reply.status_code, self._answer(reply)

    def call(self, method: str, path: str, **options: Unpack[Options]) -> Any:
        """`request`, run to completion (also from a kernel whose event loop is running)."""
        return run_sync(self.request(method, path, **options))

    def _down(self, why: str) -> str:
        return f"the DataOps service at {self.base_url} does not answer ({why}); nothing was changed"

    def _answer(self, reply: httpx.Response) -> Any:
        try:
            body = reply.json()
        except ValueError:
            body = None
        if reply.status_code < 400:
            return body
        if isinstance(body, dict) and isinstance(body.get("message"), str):
            raise error_from_json(body, reply.status_code)
        if reply.status_code in PROXY_DOWN:
            raise ServiceUnreachable(self._down(f"HTTP {reply.status_code} from the hub's proxy"))
        raise errors.RemoteError(
            f"the DataOps service at {self.base_url} answered HTTP {reply.status_code} without a reason"
        )


def error_from_json(body: Mapping[str, Any], status: int) -> DataOpsError:
    """The `DataOpsError` an error body ``{"error", "message", "details"}`` describes (by its code)."""
    cls = _by_code().get(str(body.get("error")))
    if cls is None:
        cls = next(
            (c for c in _by_code().values() if c.http_status == status and c.__bases__ == (DataOpsError,)),
            DataOpsError,
        )
    return cls(body["message"], details=body.get("details"))


def _by_code() -> dict[str, type[DataOpsError]]:
    found: dict[str, type[DataOpsError]] = {}
    todo = [DataOpsError]
    while todo:
        cls = todo.pop()
        found.setdefault(cls.code, cls)
        todo.extend(cls.__subclasses__())
    return found
