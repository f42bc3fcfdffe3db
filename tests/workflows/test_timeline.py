"""A run's timeline in time order: engine events where they happened, not where they arrived."""

from __future__ import annotations

from dataops.workflows.logs import LogRecord, LogStore
from dataops.workflows.timeline import in_time_order


def _rec(message: str, at: str, **kw) -> LogRecord:
    return LogRecord(run_id="run", timestamp=f"2026-11-26T10:00:{at}Z", level="INFO", message=message, **kw)


def test_a_late_arriving_engine_event_takes_its_place_by_time_and_ties_keep_arrival_order(tmp_path):
    store = LogStore(tmp_path)
    store.append([_rec("fetching EXR", "01.000100"), _rec("12 series", "01.000100"), _rec("done", "02.5")])
    # The watcher merges the engine's history a second later: the step started before its lines.
    store.append(
        [
            _rec(
                "Activity fetch started", "01.000000", kind="event", event="activity_started", event_key="a:s"
            ),
            _rec("Activity fetch ended", "02.600000", kind="event", event="activity_ended", event_key="a:e"),
        ]
    )
    by_arrival = store.read("run")
    assert [r.message for r in by_arrival][:3] == ["fetching EXR", "12 series", "done"]
    assert [r.message for r in in_time_order(by_arrival)] == [
        "Activity fetch started",
        "fetching EXR",
        "12 series",  # same microsecond as the line before: arrival order
        "done",
        "Activity fetch ended",
    ]
