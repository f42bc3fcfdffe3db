"""The one conversation with GitLab behind every call: send, wait out rate limits, decode or refuse.

`drive` turns a call (`dataops.gitlab.calls`) into the steps a runner performs: a `Request` to
send (the runner sends back the ``httpx.Response``, or throws the ``httpx.HTTPError`` it got), a
`Pause` to sleep through, or a `Together` to run. Retrying, error mapping and decoding live here
once, so the blocking and the async runner only do I/O.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import httpx

from dataops.errors import DataOpsError
from dataops.gitlab import errors
from dataops.gitlab.calls import Call, Request, Together
from dataops.http_retry import retry_after_seconds


@dataclass(frozen=True)
class Pause:
    """Sleep this many seconds, then carry on."""

    seconds: float


@dataclass(frozen=True)
class RetryPolicy:
    """How often a rate-limited (429) request is sent again, and the longest wait between tries
    (GitLab's ``Retry-After``, capped at ``max_wait``; 1 s when it names none)."""

    max_retries: int = 3
    max_wait: float = 60.0

    def wait(self, response: httpx.Response) -> float:
        """The pause before the next try."""
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        return min(1.0 if asked is None else asked, self.max_wait)


@dataclass(frozen=True)
class Where:
    """The GitLab instance and token the steps are for (the token only to redact it)."""

    gitlab_url: str
    token: str
    retry: RetryPolicy


Step = Request | Pause | Together
Steps = Generator[Step, Any, Any]


def drive(call: Call, where: Where) -> Steps:
    """The steps of ``call``; returns its result. A refusal is raised inside the call first."""
    reply: Any = None
    failure: DataOpsError | None = None
    while True:
        try:
            step = call.throw(failure) if failure is not None else call.send(reply)
        except StopIteration as done:
            return done.value
        except DataOpsError as exc:  # GitLab's refusal, or the call's own sentence naming a branch
            errors.redacted(exc, where.token)
            raise
        reply, failure = None, None
        if isinstance(step, Together):
            reply = yield step
            continue
        try:
            reply = yield from exchange(step, where)
        except DataOpsError as exc:
            failure = exc


def exchange(request: Request, where: Where) -> Steps:
    """One request, sent again after each pause GitLab asks for; returns the decoded answer."""
    for attempt in range(where.retry.max_retries + 1):
        try:
            response: httpx.Response = yield request
        except httpx.HTTPError as exc:
            raise errors.unreachable(request, exc, where.gitlab_url, where.token) from exc
        if response.status_code == 429 and attempt < where.retry.max_retries:
            yield Pause(where.retry.wait(response))
            continue
        return decode(request, response, where)
    raise AssertionError("unreachable")  # the last attempt returns or raises


def decode(request: Request, response: httpx.Response, where: Where) -> Any:
    """The answer's body as ``request`` expects it; GitLab's refusals raised as `DataOpsError`."""
    if response.status_code == 404 and request.missing_ok:
        return None
    if response.status_code >= 400:
        raise errors.error_for(request, response, where.gitlab_url, where.token)
    if request.expect == "bytes":
        return response.content
    return response.json() if response.content else None
