"""HTTP plumbing shared by the Camunda clients: request arguments, reply decoding, error mapping."""

from __future__ import annotations

from typing import Any

import httpx

from dataops.errors import (
    ConcurrentUpdate,
    Conflict,
    EngineUnreachable,
    Forbidden,
    InvalidInput,
    MalformedMessage,
    NotFound,
    RemoteError,
    Unauthorized,
)
from dataops.redaction import remember
from dataops.workflows import camunda_ops as ops

DEFAULT_TIMEOUT = 30.0
# The engine's exception code for a concurrent update (Camunda 7.19+: {"type", "message", "code": 1}).
OPTIMISTIC_LOCKING = 1
# A cancel that races the engine's own work on the run (a worker completing or extending a task) is
# refused as a concurrent update; tried this often, with these pauses (seconds) in between.
CANCEL_PAUSES = (0.1, 0.2, 0.4, 0.8)


def auth(username: str, password: str) -> httpx.BasicAuth | None:
    """Basic authentication with the engine; the password is redacted from this process's logs."""
    remember(password)
    return httpx.BasicAuth(username, password) if username else None


def _engine_message(response: httpx.Response) -> tuple[str, str, object]:
    """The exception type, message and exception code the engine put in its error body."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text.strip()[:500] or response.reason_phrase, None
    if not isinstance(body, dict):
        return "", str(body)[:500], None
    return str(body.get("type") or ""), str(body.get("message") or response.reason_phrase), body.get("code")


def raise_for(request: ops.Request, response: httpx.Response, url: str) -> None:
    """Turn an engine error reply into the matching `DataOpsError`."""
    if response.is_success:
        return
    kind, message, engine_code = _engine_message(response)
    status = response.status_code
    sentence = f"The workflow engine refused {request.what}: {message}"
    if status == 401:
        raise Unauthorized(
            f"The workflow engine at {url} refused the credentials; check [workflows] username and password."
        )
    if status == 403:
        raise Forbidden(sentence)
    if status == 404:
        raise NotFound(f"The workflow engine found nothing for {request.what}: {message}")
    if "OptimisticLocking" in kind or engine_code == OPTIMISTIC_LOCKING:
        raise ConcurrentUpdate(sentence, details={"engine_type": kind})
    if status == 409:
        raise Conflict(sentence)
    if "Parse" in kind:
        raise MalformedMessage(sentence, details=response.json().get("details"))
    lock_lost = "locked by" in message or ("lock" in message.lower() and "expired" in message.lower())
    if status in (400, 500) and lock_lost:
        raise Conflict(f"The task's lock was lost to another worker while {request.what}: {message}")
    if status == 400:
        raise InvalidInput(sentence)
    if status in (502, 503, 504):
        raise EngineUnreachable(
            f"The workflow engine at {url} is not available (HTTP {status}) while {request.what}."
        )
    raise RemoteError(sentence, details={"status": status, "type": kind})


def cancel_refused(run_id: str, exc: ConcurrentUpdate) -> ConcurrentUpdate:
    """The error of a cancel the engine kept refusing because the run was changing meanwhile."""
    return ConcurrentUpdate(
        f"Run {run_id} could not be cancelled: the engine reported a concurrent change to it "
        f"{len(CANCEL_PAUSES) + 1} times in a row (a step is probably reporting its outcome right now). "
        "Try again in a moment.",
        details=exc.details,
    )


def unreachable(url: str, request: ops.Request, exc: Exception, start_command: str = "") -> EngineUnreachable:
    """The sentence for an engine that does not answer; it names the command that starts this engine
    when the configuration gives one (``[workflows] engine_start``)."""
    how = f"Start it ({start_command})" if start_command else "Ask whoever runs it to start it"
    return EngineUnreachable(
        f"The workflow engine at {url} does not answer ({type(exc).__name__}) while {request.what}. "
        f"{how}, or check engine_url in the [workflows] configuration."
    )


def decode(request: ops.Request, response: httpx.Response) -> Any:
    if request.expect == "none" or response.status_code == 204:
        return None
    if request.expect == "text":
        return response.text
    return response.json()


def kwargs(request: ops.Request) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"params": request.params}
    if request.json is not None:
        kwargs["json"] = request.json
    if request.files is not None:
        kwargs["files"] = list(request.files)
        kwargs["data"] = dict(request.data or {})
    if request.timeout is not None:
        kwargs["timeout"] = request.timeout
    return kwargs


NETWORK_ERRORS = (httpx.TransportError,)
