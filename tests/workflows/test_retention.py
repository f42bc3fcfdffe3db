"""Log retention prunes the logs of runs that ended long ago, never a running run's, and frees the disk.

Real store files throughout; time is moved by passing ``now`` (the records carry injected
timestamps), never by sleeping. The engine cases use the session's real engine.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from dataops.cli import main
from dataops.config import load_config
from dataops.errors import ConfigError
from dataops.workflows.camunda import CamundaEngine
from dataops.workflows.config import WorkflowsConfig
from dataops.workflows.logs import _SCHEMA, DB_NAME, LogRecord, LogStore
from dataops.workflows.retention import prune_logs
from dataops.workflows.steps import Registry
from dataops.workflows.worker import Worker
from tests.engine import free_port
from tests.workflows.support import process_xml, unique

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _run(store: LogStore, run_id: str, at: datetime, lines: int = 3, *, ended: bool = True) -> None:
    """A run's log written at ``at``; with ``ended``, its end as the watcher records it."""
    records = [
        LogRecord(run_id=run_id, timestamp=_iso(at), level="INFO", message=f"line {i} " + "x" * 200)
        for i in range(lines)
    ]
    if ended:
        records.append(
            LogRecord(
                run_id=run_id,
                timestamp=_iso(at),
                level="INFO",
                message="Run completed",
                kind="event",
                source="engine",
                event="run_ended",
                event_key="run:ended",
            )
        )
    store.append(records)


def test_logs_of_runs_ended_before_the_retention_are_deleted_and_recent_ones_kept(tmp_path):
    store = LogStore(tmp_path)
    _run(store, "old", NOW - timedelta(days=120))
    _run(store, "recent", NOW - timedelta(days=10))
    store.note_start("old", "ana", "sdmx_production")
    report = prune_logs(store, 90, now=NOW)
    assert report.runs_pruned == ["old"] and report.records_deleted == 4
    assert store.read("old") == []
    assert [r.message for r in store.read("recent")][-1] == "Run completed"
    assert store.started_by("ana") == []  # "my runs" no longer lists a run without a log
    assert "1 run(s)" in report.summary()


def test_an_old_run_whose_end_is_unknown_is_kept_when_no_engine_can_tell(tmp_path):
    store = LogStore(tmp_path)
    _run(store, "silent", NOW - timedelta(days=400), ended=False)
    report = prune_logs(store, 90, now=NOW)
    assert report.runs_pruned == [] and report.undecided == 1
    assert len(store.read("silent")) == 3
    assert "could not be checked (no engine configured)" in report.summary()


def test_an_unreachable_engine_prunes_only_runs_whose_end_is_recorded(tmp_path):
    store = LogStore(tmp_path)
    _run(store, "ended", NOW - timedelta(days=200))
    _run(store, "unknown", NOW - timedelta(days=200), ended=False)
    with CamundaEngine(f"http://127.0.0.1:{free_port()}/engine-rest", timeout=2) as away:
        report = prune_logs(store, 90, away, now=NOW)
    assert report.runs_pruned == ["ended"] and report.undecided == 1
    assert "does not answer" in report.engine_error
    assert len(store.read("unknown")) == 3


def test_pruning_gives_the_space_back_to_the_disk(tmp_path):
    store = LogStore(tmp_path)
    for i in range(20):
        _run(store, f"old-{i}", NOW - timedelta(days=100), lines=1000)
    _run(store, "kept", NOW, lines=10)
    before = store.size()
    report = prune_logs(store, 30, now=NOW)
    assert len(report.runs_pruned) == 20
    assert report.bytes_before == before and report.bytes_after == store.size()
    assert store.size() < before / 5, (before, store.size())
    assert len(store.read("kept")) == 11


def test_a_store_from_before_incremental_vacuum_is_rewritten_only_when_allowed(tmp_path):
    with sqlite3.connect(tmp_path / DB_NAME) as legacy:  # the schema as older versions created it
        legacy.execute("PRAGMA journal_mode=WAL")
        legacy.executescript(_SCHEMA)
    legacy.close()
    store = LogStore(tmp_path)
    for i in range(10):
        _run(store, f"old-{i}", NOW - timedelta(days=100), lines=1000)
    quiet = prune_logs(store, 30, now=NOW - timedelta(days=0), rewrite=False)
    assert len(quiet.runs_pruned) == 10 and quiet.needs_rewrite
    assert "prune-logs` once to shrink the file" in quiet.summary()
    for i in range(10):
        _run(store, f"older-{i}", NOW - timedelta(days=100), lines=1000)
    full = prune_logs(store, 30, now=NOW)
    assert not full.needs_rewrite and full.bytes_after < full.bytes_before / 5
    store.close()
    # The rewritten store frees pages incrementally from then on.
    with sqlite3.connect(tmp_path / DB_NAME) as check:
        assert check.execute("PRAGMA auto_vacuum").fetchone()[0] == 2


def test_the_engine_decides_for_runs_whose_end_the_store_does_not_know(engine, tmp_path):
    key = unique("ret")
    engine.publish({f"{key}.bpmn": process_xml(key, []).encode()}, name=key)
    waiting_key = unique("retw")
    engine.publish(
        {f"{waiting_key}.bpmn": process_xml(waiting_key, [("work", unique("t"))]).encode()}, name=waiting_key
    )
    finished = engine.start(key)  # start → end at once
    running = engine.start(waiting_key)  # waits for a worker that never comes
    try:
        store = LogStore(tmp_path)
        today = datetime.now(UTC)
        for run_id in (finished.id, running.id, "gone-from-the-engine-history"):
            _run(store, run_id, today, ended=False)
        # Nothing is old yet.
        assert prune_logs(store, 90, engine).runs_pruned == []
        # A hundred days on, the finished run and the one the engine forgot go; the running one stays.
        later = prune_logs(store, 90, engine, now=today + timedelta(days=100))
        assert sorted(later.runs_pruned) == sorted([finished.id, "gone-from-the-engine-history"])
        assert later.kept_running == 1
        assert len(store.read(running.id)) == 3 and store.read(finished.id) == []
    finally:
        engine.cancel(running.id)


def test_dataops_workflows_prune_logs_applies_the_configured_retention(dataops_config, tmp_path, capsys):
    logs = tmp_path / "logs"
    dataops_config.write_text(f'[workflows]\nlog_dir = "{logs}"\nlog_retention_days = 30\n')
    store = LogStore(logs)
    now = datetime.now(UTC)
    _run(store, "last-quarter", now - timedelta(days=45))
    _run(store, "last-week", now - timedelta(days=7))
    assert main(["workflows", "prune-logs"]) == 0
    out = capsys.readouterr().out
    assert "pruned the logs of 1 run(s)" in out
    assert store.read("last-quarter") == [] and store.read("last-week")
    assert main(["workflows", "prune-logs", "--days", "3"]) == 0
    assert store.read("last-week") == []


def test_retention_must_be_a_number_of_days(dataops_config, capsys):
    assert WorkflowsConfig.from_config(load_config()).log_retention_days == 90
    dataops_config.write_text('[workflows]\nlog_retention_days = "forever"\n')
    with pytest.raises(ConfigError, match="log_retention_days must be a number of days"):
        WorkflowsConfig.from_config(load_config())
    dataops_config.write_text("[workflows]\nlog_retention_days = 0\n")
    assert main(["workflows", "prune-logs"]) == 1
    assert "Log retention is off" in capsys.readouterr().err


def test_a_worker_applies_the_retention_between_tasks_at_most_every_few_hours(tmp_path):
    store = LogStore(tmp_path)
    said: list[str] = []
    with CamundaEngine(f"http://127.0.0.1:{free_port()}/engine-rest", timeout=2) as away:
        worker = Worker(away, store, Registry(), say=said.append, log_retention_days=90)
        try:
            _run(store, "ancient", datetime.now(UTC) - timedelta(days=365))
            worker.prune_logs_if_due()
            assert store.read("ancient") == []
            assert any("pruned the logs of 1 run(s)" in s for s in said)
            _run(store, "ancient-too", datetime.now(UTC) - timedelta(days=365))
            worker.prune_logs_if_due()  # not due again yet
            assert len(store.read("ancient-too")) == 4
        finally:
            worker.writer.close()


def test_more_runs_than_one_delete_takes_are_all_pruned_and_counted(tmp_path):
    store = LogStore(tmp_path)
    for i in range(25):  # deleted ten runs per transaction
        _run(store, f"old-{i}", NOW - timedelta(days=120))
    report = prune_logs(store, 90, now=NOW)
    assert len(report.runs_pruned) == 25 and report.records_deleted == 25 * 4
    assert all(store.read(f"old-{i}") == [] for i in range(25))


def test_a_closed_store_leaves_no_write_ahead_log_and_opens_again(tmp_path):
    store = LogStore(tmp_path)
    _run(store, "run", NOW)
    store.close()
    assert not (tmp_path / f"{DB_NAME}-wal").exists()  # the last connection closed checkpoints it
    _run(store, "run", NOW)
    assert len(store.read("run")) == 7  # its end is recorded once


def test_a_current_store_gives_the_space_back_without_a_rewrite(tmp_path):
    # What a worker does between tasks: pruning must never hold off writers with a rewrite.
    store = LogStore(tmp_path)
    for i in range(20):
        _run(store, f"old-{i}", NOW - timedelta(days=100), lines=1000)
    report = prune_logs(store, 30, now=NOW, rewrite=False)
    assert len(report.runs_pruned) == 20 and not report.needs_rewrite
    assert report.bytes_after < report.bytes_before / 5
