"""GitLab's refusals as `dataops.errors` exceptions: one mapping for every GitLab call.

Every sentence goes through `dataops.promotion.credentials.redact` with the client's token, so
no token reaches an exception message, whatever GitLab or the network library echoed back.
"""

from __future__ import annotations

import math

import httpx

from dataops.errors import (
    Conflict,
    DataOpsError,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    RemoteError,
    Unauthorized,
    Unreachable,
)
from dataops.gitlab.calls import Request
from dataops.http_retry import retry_after_seconds
from dataops.promotion.credentials import redact

# GitLab answers 400 with one of these when a commit's files are not as the caller last saw them.
STALE_FILE = ("changed since you started editing", "already exists", "doesn't exist")

DEFAULT_CONFLICT = "GitLab refused {what} because the project changed meanwhile ({reason})."


def error_for(request: Request, response: httpx.Response, gitlab_url: str, token: str) -> DataOpsError:
    """The `DataOpsError` for GitLab's refusal of ``request`` (status 400 and above)."""
    status = response.status_code
    reason = reason_of(response)
    what = request.what
    if status == 401:
        error: DataOpsError = Unauthorized(
            f"GitLab at {gitlab_url} refused the token ({reason}); "
            "check the configured GitLab token or ask for a new one."
        )
    elif status == 403:
        error = Forbidden(f"GitLab does not allow this for your token ({what}): {reason}")
    elif status == 404:
        error = NotFound(f"GitLab found nothing while {what} ({reason}).")
    elif status == 409 or (status == 400 and request.conflict and any(s in reason for s in STALE_FILE)):
        template = request.conflict or DEFAULT_CONFLICT
        error = Conflict(template.replace("{what}", what).replace("{reason}", reason))
    elif status == 400:
        error = InvalidInput(f"GitLab refused {what}: {reason}")
    elif status == 429:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        when = f"in {math.ceil(wait)} seconds" if wait is not None else "in a minute"
        error = RateLimited(f"GitLab is rate limiting requests; try again {when}.")
    elif status >= 500:
        error = Unreachable(
            f"GitLab at {gitlab_url} answered with a server error ({status}) while {what}: "
            "it may be down or overloaded; try again later."
        )
    else:
        error = RemoteError(f"GitLab answered {status} while {what}: {reason}")
    return redacted(error, token)


def unreachable(request: Request, exc: Exception, gitlab_url: str, token: str) -> DataOpsError:
    """The error of a request that got no answer (DNS, refused connection, timeout, broken reply)."""
    detail = str(exc).strip()
    cause = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return redacted(
        Unreachable(f"GitLab at {gitlab_url} could not be reached while {request.what} ({cause})."), token
    )


def redacted(error: DataOpsError, token: str) -> DataOpsError:
    """``error`` itself, the token (and anything shaped like a credential) masked in its sentence.

    Masked in place, so an error raised by a call (naming a branch, say) keeps its type and traceback.
    """
    error.message = redact(error.message, [token])
    error.args = (error.message,)
    if isinstance(error.details, dict):
        error.details = {
            key: redact(value, [token]) if isinstance(value, str) else value
            for key, value in error.details.items()
        }
    return error


def reason_of(response: httpx.Response) -> str:
    """GitLab's own words from an error body (``message`` or ``error``, flattened to one line)."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict):
        return _flatten(body.get("message") or body.get("error") or "") or response.reason_phrase
    return _flatten(body)


def _flatten(message: object) -> str:
    # GitLab's validation errors come as {"base": ["Reference not found"]} or {"title": ["is too long"]}
    if isinstance(message, dict):
        return "; ".join(
            _flatten(value) if key == "base" else f"{key} {_flatten(value)}" for key, value in message.items()
        )
    if isinstance(message, list):
        return "; ".join(_flatten(item) for item in message)
    return str(message)
