"""HTTP to SDMX providers: explicit Accept, gzip, timeouts, retries on 429/503 honouring Retry-After.

Every refusal becomes a `dataops.errors` error through `provider_errors.error_for`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from dataops import __version__
from dataops.errors import ProviderDown, RemoteError, TooLarge
from dataops.http_retry import retry_after_seconds
from dataops.sdmx.config import DataConfig
from dataops.sdmx.provider_errors import error_for
from dataops.sdmx.sources import Source

RETRY_STATUSES = (429, 503)


@dataclass(frozen=True)
class Reply:
    """A successful (or 304) response with its body read."""

    status: int
    headers: httpx.Headers
    content: bytes
    url: str


class Transport:
    """One provider's HTTP connection pool with the retry and error policy."""

    def __init__(
        self,
        source: Source,
        config: DataConfig,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.source = source
        self.config = config
        self.sleep = sleep
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(config.timeout, connect=min(10.0, config.timeout)),
            follow_redirects=True,
            headers={"User-Agent": f"dataops/{__version__}", "Accept-Encoding": "gzip, deflate"},
            event_hooks={"request": [self._same_site]},
        )

    def _same_site(self, request: httpx.Request) -> None:
        """Every request, redirects included, stays on the provider's host (and never drops to http)."""
        home = httpx.URL(self.source.url)
        downgrade = home.scheme == "https" and request.url.scheme != "https"
        if request.url.host != home.host or downgrade:
            raise RemoteError(
                f"{self.source.name} sent the query on to {request.url.scheme}://{request.url.host}, "
                f"outside its own site ({home.scheme}://{home.host}); dataops follows a provider's "
                "redirects only within its site. Correct the source's url if the provider has moved.",
                details={"url": str(request.url), "source_url": self.source.url},
            )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def get(self, url: httpx.URL, accept: str, kind: str, headers: dict[str, str] | None = None) -> Reply:
        """GET with the retry policy, the body read through the size guard; 304 is returned as is."""
        with self.stream(url, accept, kind, headers) as response:
            body = b"".join(self.limited(response))
            return Reply(response.status_code, response.headers, body, str(response.request.url))

    @contextmanager
    def stream(
        self, url: httpx.URL, accept: str, kind: str, headers: dict[str, str] | None = None
    ) -> Iterator[httpx.Response]:
        """A successful response whose body has not been read yet (stream it with `limited`)."""
        request_headers = {"Accept": accept, **(headers or {})}
        attempt = 0
        while True:
            try:
                response = self._client.send(
                    self._client.build_request("GET", url, headers=request_headers), stream=True
                )
            except httpx.TimeoutException as exc:
                raise ProviderDown(
                    f"{self.source.name} did not answer within {self.config.timeout:g} s. Query: {url}",
                    details={"url": str(url)},
                ) from exc
            except httpx.TransportError as exc:
                if attempt < self.config.retries:
                    self.sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                raise ProviderDown(
                    f"{self.source.name} could not be reached ({exc.__class__.__name__}: {exc}). "
                    f"Query: {url}",
                    details={"url": str(url)},
                ) from exc
            try:
                if response.status_code in RETRY_STATUSES:
                    wait = retry_after_seconds(response.headers.get("Retry-After"))
                    delay = wait if wait is not None else self._backoff(attempt)
                    if attempt < self.config.retries and delay <= self.config.max_retry_wait:
                        response.read()
                        self.sleep(delay)
                        attempt += 1
                        continue
                    raise self._error(response, kind, wait)
                if response.status_code == 204 or response.status_code >= 400:
                    raise self._error(response, kind, None)
                self._check_length(response)
                yield response
                return
            finally:
                response.close()

    def limited(self, response: httpx.Response) -> Iterator[bytes]:
        """The decoded body in chunks, refusing it as `TooLarge` past ``max_bytes``."""
        total = 0
        limit = self.config.max_bytes
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise TooLarge(
                    f"The answer from {self.source.name} exceeds the limit of "
                    f"{self.config.max_response_mb} MiB "
                    f"([data] max_response_mb); narrow the query. Query: {response.request.url}",
                    details={"url": str(response.request.url), "limit_bytes": limit},
                )
            yield chunk

    def _check_length(self, response: httpx.Response) -> None:
        length = response.headers.get("Content-Length")
        encoded = response.headers.get("Content-Encoding", "identity") != "identity"
        if length and length.isdigit() and not encoded and int(length) > self.config.max_bytes:
            raise TooLarge(
                f"The answer from {self.source.name} would be {int(length) / 2**20:.0f} MiB, "
                "above the limit of "
                f"{self.config.max_response_mb} MiB ([data] max_response_mb); narrow the query. "
                f"Query: {response.request.url}",
                details={"url": str(response.request.url), "content_length": int(length)},
            )

    def _error(self, response: httpx.Response, kind: str, wait: float | None) -> Exception:
        body = b""
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > 256 * 1024:
                break
        return error_for(response.status_code, body, str(response.request.url), self.source.name, kind, wait)

    @staticmethod
    def _backoff(attempt: int) -> float:
        return min(30.0, 0.5 * 2**attempt)
