"""Steps of the process __KEY__ (processes/__KEY__.bpmn): one function per service task topic."""

from __future__ import annotations

import logging

import dataops
from dataops.workflows import BpmnError, step

log = logging.getLogger(__name__)


@step("__KEY___fetch")
def fetch(flow: str, period: str, source: str = "SAMPLES", **_: object) -> dict:
    """Read ``flow`` for ``period`` from ``source``; the number of observations read."""
    df = dataops.read(source, flow, start=period, end=period)
    log.info("read %d observations of %s for %s", len(df), flow, period)
    return {"rows": len(df)}


@step("__KEY___check")
def check(flow: str, rows: int, minimum_rows: int = 1, **_: object) -> dict:
    """Refuse a period with fewer than ``minimum_rows`` observations (BPMN error TOO_FEW_ROWS)."""
    if rows < minimum_rows:
        raise BpmnError("TOO_FEW_ROWS", f"{flow} has {rows} observations, fewer than {minimum_rows}")
    return {"checked": rows}
