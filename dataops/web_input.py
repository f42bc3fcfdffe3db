"""What an HTTP request sent, read the same way by the single-user server and by the hub service.

Tornado-free, so both `jupyterlab_dataops.handlers` and `dataops.service` use it; every refusal is
`InvalidInput` with the sentence the caller sees.
"""

from __future__ import annotations

import json
from typing import Any

from dataops.errors import InvalidInput


def json_object(raw: bytes | None) -> dict[str, Any]:
    """The request body as a JSON object (``{}`` when empty), or `InvalidInput` saying why not."""
    try:
        body = json.loads(raw or b"{}")
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return body


def whole_number(name: str, raw: str | None, default: int, low: int = 0, high: int | None = None) -> int:
    """The query argument ``name`` (sent as ``raw``) as an integer within bounds, ``default`` when
    absent or empty, or `InvalidInput` naming it."""
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"The parameter '{name}' must be a whole number, not '{raw}'.") from None
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidInput(f"The parameter '{name}' must be {bounds}, not {value}.")
    return value
