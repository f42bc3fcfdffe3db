"""Log retention: the logs of runs that ended more than ``log_retention_days`` ago are deleted.

A run's log is pruned only when the run is known to have ended before the cut-off: its end is
recorded in the store (``run_ended``), or the engine reports it finished then, or the engine no
longer knows it (the engine keeps every running instance; only finished ones leave its history,
through its own history cleanup). A run the engine reports as running — or that cannot be decided
because the engine does not answer — is kept, whatever the age of its last line. Afterwards the
store gives the freed space back to the disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from dataops.errors import DataOpsError
from dataops.workflows.engine import Engine
from dataops.workflows.logs import RunLogStore

ENGINE_BATCH = 200  # run ids per engine query


@dataclass
class PruneReport:
    """What a pruning pass did."""

    cutoff: datetime
    runs_pruned: list[str] = field(default_factory=list)
    records_deleted: int = 0
    kept_running: int = 0  # old logs of runs the engine reports as still running
    undecided: int = 0  # old logs kept because the engine could not be asked
    bytes_before: int = 0
    bytes_after: int = 0
    engine_error: str = ""
    needs_rewrite: bool = False  # a store from before incremental vacuuming: space is reused, not freed

    def summary(self) -> str:
        """One sentence for the command line and the worker's stderr."""
        freed = max(self.bytes_before - self.bytes_after, 0) / 1_048_576
        text = (
            f"pruned the logs of {len(self.runs_pruned)} run(s) that ended before "
            f"{self.cutoff:%Y-%m-%d %H:%M} UTC ({self.records_deleted} records, {freed:.1f} MiB freed)"
        )
        if self.kept_running:
            text += f"; kept {self.kept_running} old run(s) that are still running"
        if self.undecided:
            text += f"; kept {self.undecided} run(s) whose end could not be checked ({self.engine_error})"
        if self.needs_rewrite:
            text += "; run `dataops workflows prune-logs` once to shrink the file"
        return text


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ended_before(engine: Engine, run_ids: Sequence[str], cutoff: datetime) -> tuple[set[str], set[str]]:
    """Of ``run_ids``: those that ended before ``cutoff`` or are unknown, and those still running."""
    done: set[str] = set()
    running: set[str] = set()
    for i in range(0, len(run_ids), ENGINE_BATCH):
        part = list(run_ids[i : i + ENGINE_BATCH])
        page = engine.runs(ids=part, max_results=len(part))
        known = {r.id: r for r in page.items}
        for run_id in part:
            run = known.get(run_id)
            if run is None:
                done.add(run_id)  # gone from the engine's history: it ended long ago
            elif not run.status.finished:
                running.add(run_id)
            elif run.ended_at is None or run.ended_at < cutoff:
                done.add(run_id)
    return done, running


def prune_logs(
    store: RunLogStore,
    retention_days: float,
    engine: Engine | None = None,
    *,
    now: datetime | None = None,
    rewrite: bool = True,
) -> PruneReport:
    """Delete the logs of runs that ended more than ``retention_days`` before ``now`` and compact the store.

    Without an ``engine``, only runs whose end is recorded in the store are pruned. ``now`` defaults
    to the current time (tests pass their own clock). ``rewrite=False`` never rewrites a store from
    before incremental vacuuming (which would hold off writers for as long as it takes).
    """
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    report = PruneReport(cutoff=cutoff, bytes_before=store.size())
    old = store.last_records(_iso(cutoff))
    prune = [run_id for run_id, _, ended in old if ended]
    ask = [run_id for run_id, _, ended in old if not ended]
    if ask and engine is None:
        report.undecided, report.engine_error = len(ask), "no engine configured"
    elif ask and engine is not None:
        try:
            done, running = _ended_before(engine, ask, cutoff)
        except DataOpsError as exc:  # keep what cannot be decided; the next pass tries again
            report.undecided, report.engine_error = len(ask), exc.message
        else:
            prune += sorted(done)
            report.kept_running = len(running)
    if prune:
        report.records_deleted = store.delete_runs(prune)
        report.runs_pruned = prune
        report.needs_rewrite = not store.compact(rewrite=rewrite)
    report.bytes_after = store.size()
    return report
