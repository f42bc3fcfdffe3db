"""Steps of the demo's rehearsal processes (processes/sdmx_failing_step.bpmn, sdmx_bpmn_error.bpmn,
sdmx_long_step.bpmn), which the demo and the UI tests use to show a failing step, a rejection and
a long step; they only pretend to work (the real sample is production.py, sdmx_production).

`dataops worker --steps examples/steps` runs them. They write enough log lines, slowly enough,
for the panel to show a log streaming live; `check_calendar` fails until the "fix" file
``$DATAOPS_SAMPLE_FIXES/calendar-open`` exists (create it, then press Retry);
`aggregate_history` runs long enough to be cancelled.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from dataops.workflows import BpmnError, step

log = logging.getLogger("production")

# Where the tests put the configuration that fixes the failing step.
FIXES = Path(
    os.environ.get("DATAOPS_SAMPLE_FIXES") or Path(tempfile.gettempdir()) / "dataops-ui-tests" / "workflows"
)
CALENDAR_OPEN = FIXES / "calendar-open"


def _progress(what: str, n: int, pause: float) -> None:
    for i in range(1, n + 1):
        log.info("%s: %d of %d", what, i, n)
        time.sleep(pause)


@step("fetch")
def fetch(flow: str = "EXR", period: str = "2026-10", **_: object) -> dict:
    """Pretend to fetch a dataflow's observations for a period."""
    log.info("fetching %s for %s", flow, period)
    log.debug("request: /data/%s/all?startPeriod=%s", flow, period)
    _progress("series fetched", 12, 0.05)
    return {"rows": 1200}


@step("validate_reject")
def validate_reject(**_: object) -> None:
    """Reject the data: the BPMN error path."""
    log.warning("2 series break the plausibility rules")
    raise BpmnError("VALIDATION_FAILED", "2 series break the plausibility rules")


@step("report")
def report(**_: object) -> None:
    """Write the report; its summary line is coloured (ANSI)."""
    _progress("report pages", 6, 0.05)
    print("\x1b[32mreport ready\x1b[0m: \x1b[1m6 pages\x1b[0m")


@step("disseminate")
def disseminate(flow: str = "EXR", **_: object) -> None:
    """Publish."""
    log.info("disseminating %s", flow)
    log.error("mirror 2 did not answer; published to mirror 1 only")


@step("quarantine")
def quarantine(**_: object) -> None:
    """Keep rejected data aside."""
    log.info("data quarantined")


@step("check_calendar")
def check_calendar(flow: str = "EXR", **_: object) -> None:
    """Fail until the publication calendar is opened (the fix the test applies)."""
    log.info("checking the publication calendar for %s", flow)
    if not CALENDAR_OPEN.exists():
        raise RuntimeError(f"The publication calendar for {flow} is closed: no release slot is configured.")
    log.info("release slot found")


@step("aggregate_history")
def aggregate_history(**_: object) -> None:
    """A long step (90 s) that the tests cancel."""
    _progress("years aggregated", 180, 0.5)
