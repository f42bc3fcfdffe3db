"""Steps of a production process: each function is registered for the topic of a BPMN service task.

Try a step in a notebook before promoting it: ``wf.try_step(check, {"flow": "EXR", "rows": 1200})``.
Promote this file to an environment (Deploy panel or ``dataops.promote``); the environment's
worker serves it from its next task on.
"""

from __future__ import annotations

import logging

from dataops.workflows import BpmnError, step

log = logging.getLogger(__name__)


@step("check")
def check(flow: str, rows: int, minimum: int = 1, **_: object) -> dict:
    """Check that ``flow`` has at least ``minimum`` rows; the BPMN error TOO_FEW_ROWS otherwise."""
    log.info("checking %s: %d rows", flow, rows)
    if rows < minimum:
        raise BpmnError("TOO_FEW_ROWS", f"{flow} has {rows} rows, fewer than {minimum}")
    return {"checked": rows}
