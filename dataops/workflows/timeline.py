"""Engine history merged into a run's log: activity started/ended, incident raised/resolved, run ended.

Each event has a key derived from the engine's own ids, so recording it again (by another
watcher, or by the worker that saw the activity start first) is a no-op in the store.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from dataops.workflows.engine import AsyncEngine, Engine
from dataops.workflows.logs import LogRecord, RunLogStore, now_iso
from dataops.workflows.models import Activity, Incident, IncidentState, Run


def _ts(value: datetime | None) -> str:
    if value is None:
        return now_iso()
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def activity_key(activity_instance_id: str, edge: str) -> str:
    """The event key of an activity's ``start`` or ``end``."""
    return f"{activity_instance_id}:{edge}"


def engine_events(run: Run, activities: list[Activity], incidents: list[Incident]) -> list[LogRecord]:
    """The run's engine events as records, oldest first."""
    events: list[LogRecord] = []

    def add(
        when: datetime | None, level: str, event: str, key: str, message: str, activity: str = ""
    ) -> None:
        events.append(
            LogRecord(
                run_id=run.id,
                timestamp=_ts(when),
                level=level,
                message=message,
                kind="event",
                source="engine",
                activity_id=activity,
                event=event,
                event_key=key,
            )
        )

    for a in activities:
        label = a.name or a.activity_id
        add(
            a.started_at,
            "INFO",
            "activity_started",
            activity_key(a.id, "start"),
            f"Activity {label} started",
            a.activity_id,
        )
        if a.ended_at is not None:
            verb = "cancelled" if a.cancelled else "ended"
            add(
                a.ended_at,
                "INFO",
                "activity_ended",
                activity_key(a.id, "end"),
                f"Activity {label} {verb}",
                a.activity_id,
            )
    for i in incidents:
        add(
            i.created_at,
            "ERROR",
            "incident_raised",
            f"incident:{i.id}:raised",
            f"Incident: {i.message}",
            i.activity_id,
        )
        if i.state is not IncidentState.OPEN:
            add(
                i.ended_at,
                "INFO",
                "incident_resolved",
                f"incident:{i.id}:resolved",
                f"Incident {i.state.value}",
                i.activity_id,
            )
    if run.status.finished:
        add(run.ended_at, "INFO", "run_ended", "run:ended", f"Run {run.status.value}")
    events.sort(key=lambda r: (r.timestamp, r.event != "activity_started"))
    return events


def in_time_order(records: list[LogRecord]) -> list[LogRecord]:
    """``records`` ordered by their timestamps, ties in arrival (``seq``) order.

    Engine events reach the store when someone asks the engine (up to a second late), so by
    arrival an activity's start can follow lines its step wrote after it; by time it precedes them.
    Offsets stay arrival offsets: resume after the largest ``seq`` of what was read.
    """
    return sorted(sorted(records, key=lambda r: r.seq), key=lambda r: r.timestamp)


def _new(events: list[LogRecord], known: set[str] | None) -> list[LogRecord]:
    if known is None:
        return events
    fresh = [e for e in events if e.event_key not in known]
    known.update(e.event_key for e in fresh if e.event_key)
    return fresh


def sync_run(engine: Engine, store: RunLogStore, run_id: str, known: set[str] | None = None) -> Run:
    """Record the run's engine events not yet in the store (a handful of engine requests); returns the run.

    ``known`` (event keys this caller already recorded) spares the store a write when nothing is new.
    """
    run = engine.run(run_id)
    events = engine_events(run, engine.activities(run_id), engine.incidents(run_id, include_resolved=True))
    store.append(_new(events, known))
    return run


async def async_sync_run(
    engine: AsyncEngine, store: RunLogStore, run_id: str, known: set[str] | None = None
) -> Run:
    """`sync_run` for the server's event loop (the store write runs in a thread)."""
    run = await engine.run(run_id)
    activities = await engine.activities(run_id)
    incidents = await engine.incidents(run_id, include_resolved=True)
    fresh = _new(engine_events(run, activities, incidents), known)
    if fresh:
        await asyncio.to_thread(store.append, fresh)
    return run
