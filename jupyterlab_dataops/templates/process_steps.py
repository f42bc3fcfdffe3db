"""Steps of the process __KEY__ (processes/__KEY__.bpmn): one function per service task topic.

``config`` is the process configuration (processes/__KEY__.toml). A complete example to copy from:
the sample production process sdmx_production (examples/steps/production.py in the project).
"""

from __future__ import annotations

import logging
from typing import Any

import dataops
from dataops.workflows import BpmnError, step

log = logging.getLogger(__name__)


@step("__KEY___fetch")
def fetch(config: dict[str, Any], flow: str, period: str, **_: object) -> dict:
    """Read ``flow`` for ``period`` from the configured source; the number of observations read."""
    df = dataops.read(config["source"], flow, start=period, end=period)
    log.info("read %d observations of %s for %s", len(df), flow, period)
    return {"rows": len(df)}


@step("__KEY___check")
def check(config: dict[str, Any], flow: str, rows: int, **_: object) -> dict:
    """Refuse a period with fewer observations than configured (BPMN error TOO_FEW_ROWS)."""
    minimum_rows = config["minimum_rows"]
    if rows < minimum_rows:
        raise BpmnError("TOO_FEW_ROWS", f"{flow} has {rows} observations, fewer than {minimum_rows}")
    return {"checked": rows}
