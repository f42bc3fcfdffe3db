"""The two runners of GitLab calls: `GitLab` blocks (kernels, CLI, promotion), `AsyncGitLab` awaits
(the server). Both run the same calls through `dataops.gitlab.exchange.drive`, so retries, error
mapping and redaction are written once; a runner only sends requests and sleeps.

The token is sent as ``PRIVATE-TOKEN`` and never appears in an error message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from dataops.gitlab.calls import Call, Request, Together
from dataops.gitlab.exchange import Pause, RetryPolicy, Where, drive
from dataops.promotion.credentials import remember

TIMEOUT = 30.0


class _Runner:
    """What both runners hold: where GitLab is, how to authenticate, how to retry."""

    def __init__(self, gitlab_url: str, token: str, retry: RetryPolicy | None) -> None:
        remember(token)  # log filters redact it too (`credentials.RedactingFilter`)
        self.gitlab_url = gitlab_url.rstrip("/")
        self._api = f"{self.gitlab_url}/api/v4"
        self._headers = {"PRIVATE-TOKEN": token} if token else {}
        self._where = Where(self.gitlab_url, token, retry or RetryPolicy())

    def _arguments(self, request: Request) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "method": request.method,
            "url": self._api + request.path,
            "headers": self._headers,
            "params": request.params,
        }
        if request.json is not None:
            arguments["json"] = request.json
        return arguments


class GitLab(_Runner):
    """Blocking runner for one GitLab instance. Close it (or use ``with``) when done."""

    def __init__(
        self,
        gitlab_url: str,
        token: str,
        *,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = TIMEOUT,
    ) -> None:
        super().__init__(gitlab_url, token, retry)
        self._client = httpx.Client(timeout=timeout, transport=transport)
        self._sleep = sleep

    def __enter__(self) -> GitLab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def run(self, call: Call) -> Any:
        """The result of ``call``; GitLab's refusals raise `dataops.errors` exceptions."""
        steps = drive(call, self._where)
        reply: Any = None
        failure: httpx.HTTPError | None = None
        while True:
            try:
                step = steps.throw(failure) if failure is not None else steps.send(reply)
            except StopIteration as done:
                return done.value
            reply, failure = None, None
            if isinstance(step, Pause):
                self._sleep(step.seconds)
            elif isinstance(step, Together):
                reply = [self.run(c) for c in step.calls]
            else:
                try:
                    reply = self._client.request(**self._arguments(step))
                except httpx.HTTPError as exc:
                    failure = exc


class AsyncGitLab(_Runner):
    """Async runner for one GitLab instance: ``async with AsyncGitLab(...) as gitlab:``.

    A ``client`` passed in is used as is and left open.
    """

    def __init__(
        self,
        gitlab_url: str,
        token: str,
        *,
        retry: RetryPolicy | None = None,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(gitlab_url, token, retry)
        self._client = client
        self._own_client = client is None
        self._sleep = sleep

    async def __aenter__(self) -> AsyncGitLab:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=TIMEOUT)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this runner created it."""
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def run(self, call: Call) -> Any:
        """The result of ``call``; calls given `Together` overlap (up to its ``limit`` at once)."""
        if self._client is None:
            raise RuntimeError("use the GitLab client as 'async with ...:'")
        steps = drive(call, self._where)
        reply: Any = None
        failure: httpx.HTTPError | None = None
        while True:
            try:
                step = steps.throw(failure) if failure is not None else steps.send(reply)
            except StopIteration as done:
                return done.value
            reply, failure = None, None
            if isinstance(step, Pause):
                await self._sleep(step.seconds)
            elif isinstance(step, Together):
                reply = await self._together(step)
            else:
                try:
                    reply = await self._client.request(**self._arguments(step))
                except httpx.HTTPError as exc:
                    failure = exc

    async def _together(self, together: Together) -> list[Any]:
        gate = asyncio.Semaphore(together.limit or len(together.calls) or 1)

        async def one(call: Call) -> Any:
            async with gate:
                return await self.run(call)

        return list(await asyncio.gather(*(one(c) for c in together.calls)))
