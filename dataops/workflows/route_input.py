"""The workflow routes' requests, read once for the single-user server and for the hub service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dataops.errors import InvalidInput
from dataops.workflows import bpmn
from dataops.workflows.models import RunStatus


@dataclass(frozen=True)
class StartRequest:
    """``POST workflows/runs``: which process to start, with what."""

    key: str
    variables: dict[str, Any]
    business_key: str | None


def start_request(body: Mapping[str, Any]) -> StartRequest:
    """The start request in ``body`` (``{"key", "variables", "business_key"}``), or `InvalidInput`."""
    key = body.get("key")
    if not isinstance(key, str) or not key:
        raise InvalidInput('Name the process to start as "key".')
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        raise InvalidInput('"variables" must be an object of variable names to values.')
    return StartRequest(key, variables, body.get("business_key"))


def runs_scope(raw: str) -> str:
    """``mine`` or ``all`` (whose runs to list), or `InvalidInput`."""
    if raw not in ("mine", "all"):
        raise InvalidInput(f"The parameter 'scope' must be 'mine' or 'all', not '{raw}'.")
    return raw


def run_status(raw: str | None) -> RunStatus | None:
    """The run status a list is filtered by (None: any), or `InvalidInput` listing the known ones."""
    try:
        return RunStatus(raw) if raw else None
    except ValueError:
        allowed = ", ".join(s.value for s in RunStatus)
        raise InvalidInput(f"The status '{raw}' is unknown; use one of {allowed}.") from None


def check_bpmn(resources: Mapping[str, bytes]) -> None:
    """`InvalidInput` unless every file is named ``*.bpmn`` and holds a process (parses the XML: CPU
    work, for a thread)."""
    for fname, content in resources.items():
        if not fname.endswith((".bpmn", ".bpmn20.xml")):
            raise InvalidInput(f"{fname} is not a BPMN file (its name must end in .bpmn).")
        bpmn.process_ids(content, fname)
