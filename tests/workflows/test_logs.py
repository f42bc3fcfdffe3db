"""The run log store keeps every line, in order, addressable by offset, across processes and restarts.

Every test here is the contract of a store and runs against both backends: SQLite in a folder
(the ``store_at`` fixture is a path) and PostgreSQL on the session's real server (a connection string).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta

from dataops.workflows.logs import LogRecord, LogWriter, now_iso, open_log_store
from dataops.workflows.retention import prune_logs
from tests.workflows.log_backends import hold_write_lock


def _line(run: str, text: str, **kw) -> LogRecord:
    return LogRecord(run_id=run, timestamp=now_iso(), level="INFO", message=text, **kw)


def test_reading_after_an_offset_resumes_exactly_where_the_reader_stopped(store_at):
    store = open_log_store(store_at)
    store.append(_line("run-1", f"line {i}") for i in range(10))
    first = store.read("run-1", after=0, limit=4)
    rest = store.read("run-1", after=first[-1].seq)
    assert [r.message for r in first + rest] == [f"line {i}" for i in range(10)]
    assert [r.seq for r in first + rest] == sorted({r.seq for r in first + rest})
    assert store.read("run-1", after=rest[-1].seq) == []


def test_runs_do_not_see_each_others_lines(store_at):
    store = open_log_store(store_at)
    store.append([_line("a", "for a"), _line("b", "for b"), _line("a", "again a")])
    assert [r.message for r in store.read("a")] == ["for a", "again a"]
    assert [r.message for r in store.read("b")] == ["for b"]


def test_lines_survive_reopening_the_store(store_at):
    open_log_store(store_at).append([_line("run", "before restart", worker="w1", step_version="abc123")])
    again = open_log_store(store_at)
    again.append([_line("run", "after restart")])
    records = again.read("run")
    assert [r.message for r in records] == ["before restart", "after restart"]
    assert records[0].worker == "w1" and records[0].step_version == "abc123"


def test_an_engine_event_recorded_twice_appears_once(store_at):
    event = _line(
        "run", "Activity fetch started", kind="event", event="activity_started", event_key="ai-1:start"
    )
    assert open_log_store(store_at).append([event]) == 1
    assert open_log_store(store_at).append([event, _line("run", "next")]) == 1
    assert [r.message for r in open_log_store(store_at).read("run")] == ["Activity fetch started", "next"]


def test_tail_gives_the_last_lines_oldest_first(store_at):
    store = open_log_store(store_at)
    store.append(_line("run", str(i)) for i in range(100))
    assert [r.message for r in store.tail("run", 3)] == ["97", "98", "99"]


def test_writer_flush_returns_once_every_line_is_readable(store_at):
    store = open_log_store(store_at)
    writer = LogWriter(store)
    for i in range(5000):
        writer.write(_line("run", str(i)))
    writer.flush()
    assert [r.message for r in store.read("run")] == [str(i) for i in range(5000)]
    writer.close()


WRITER_SCRIPT = textwrap.dedent(
    """
    import sys
    from dataops.workflows.logs import LogRecord, LogWriter, now_iso, open_log_store
    store = open_log_store(sys.argv[1])
    writer = LogWriter(store)
    for i in range(int(sys.argv[3])):
        writer.write(LogRecord(run_id="shared", timestamp=now_iso(), level="INFO",
                               message=f"{sys.argv[2]} {i}", worker=sys.argv[2]))
    writer.close()
    """
)


def test_a_follower_sees_every_line_of_concurrent_writer_processes_exactly_once(store_at):
    n = 3000
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER_SCRIPT, str(store_at), name, str(n)])
        for name in ("w1", "w2", "w3")
    ]
    store = open_log_store(store_at)
    seen: list[LogRecord] = []
    offset = 0
    while any(p.poll() is None for p in procs) or store.read("shared", after=offset):
        batch = store.read("shared", after=offset, limit=700)
        seen += batch
        offset = batch[-1].seq if batch else offset
    assert all(p.returncode == 0 for p in procs)
    assert len(seen) == 3 * n
    assert len({r.seq for r in seen}) == 3 * n
    for name in ("w1", "w2", "w3"):
        assert [r.message for r in seen if r.worker == name] == [f"{name} {i}" for i in range(n)]


def test_threads_sharing_a_store_each_use_their_own_connection(store_at):
    store = open_log_store(store_at)
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for i in range(200):
                store.append([_line("run", f"{name} {i}")])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"t{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.read("run")) == 800


def test_the_store_remembers_who_started_which_run(store_at):
    store = open_log_store(store_at)
    store.note_start("r1", "alice", "sdmx_production")
    store.note_start("r2", "bob", "sdmx_production")
    store.note_start("r3", "alice", "report")
    assert open_log_store(store_at).started_by("alice") == ["r3", "r1"]
    assert store.started_by("carol") == []
    # who may cancel or retry a run in a protected environment is decided from its starter
    assert store.starters(["r1", "r2", "unknown"]) == {"r1": "alice", "r2": "bob"}


def test_the_streaming_form_of_a_record_is_its_json(store_at):
    store = open_log_store(store_at)
    store.append([_line("run", 'quotes " and\nnewlines, accents é', worker="w1", activity_id="fetch")])
    [(seq, text)] = store.read_json("run")
    [record] = store.read("run")
    assert seq == record.seq
    assert json.loads(text) == record.to_json()


def test_a_step_writing_faster_than_the_store_commits_is_held_back_and_nothing_is_lost(store_at):
    store = open_log_store(store_at)
    writer = LogWriter(store, max_pending=100)
    step = threading.Thread(target=lambda: [writer.write(_line("run", str(i))) for i in range(1000)])
    with hold_write_lock(store_at):  # another process holds the write lock for a while
        step.start()
        step.join(timeout=1.0)
        assert step.is_alive(), "the step should wait while the store cannot take its lines"
    step.join(timeout=30)
    writer.flush()
    assert [r.message for r in store.read("run")] == [str(i) for i in range(1000)]
    writer.close()


ONE_LINE_COMMITS = textwrap.dedent(
    """
    import sys
    from dataops.workflows.logs import LogRecord, now_iso, open_log_store
    store = open_log_store(sys.argv[1])
    for i in range(int(sys.argv[3])):  # one transaction per line: as many interleavings as there can be
        store.append([LogRecord(run_id="race", timestamp=now_iso(), level="INFO",
                                message=f"{sys.argv[2]} {i}", worker=sys.argv[2])])
    """
)


def test_a_follower_resuming_from_its_offset_never_misses_a_line_committed_behind_it(store_at):
    writers = [f"w{i}" for i in range(4)]
    n = 400
    store = open_log_store(store_at)
    procs = [
        subprocess.Popen([sys.executable, "-c", ONE_LINE_COMMITS, str(store_at), name, str(n)])
        for name in writers
    ]
    seen: list[LogRecord] = []
    offset = 0
    while any(p.poll() is None for p in procs) or store.read("race", after=offset):
        batch = store.read("race", after=offset, limit=7)  # small reads: many resumptions mid-race
        seen += batch
        offset = batch[-1].seq if batch else offset
    assert all(p.returncode == 0 for p in procs)
    # What the follower collected live is exactly what the store holds once every writer is done:
    # no record was committed below an offset the follower had already passed.
    assert [r.seq for r in seen] == [r.seq for r in store.read("race", limit=100_000)]
    assert len({r.seq for r in seen}) == len(writers) * n
    for name in writers:
        assert [r.message for r in seen if r.worker == name] == [f"{name} {i}" for i in range(n)]


def test_attempts_and_recorded_events_are_counted_per_run_and_task(store_at):
    store = open_log_store(store_at)
    tried = {"kind": "event", "event": "task_attempt"}
    store.append(
        [
            _line("run", "attempt 1", task_id="t1", **tried),
            _line("run", "attempt 2", task_id="t1", **tried),
            _line("run", "other task", task_id="t2", **tried),
            _line("other-run", "attempt", task_id="t1", **tried),
            _line("run", "a log line of the task", task_id="t1"),
            _line("run", "Run completed", kind="event", event="run_ended", event_key="run:ended"),
        ]
    )
    assert store.count("run", task_id="t1", event="task_attempt") == 2
    assert store.count("run", task_id="t3", event="task_attempt") == 0
    assert store.has_event("run", "run:ended") and not store.has_event("other-run", "run:ended")


def test_the_data_version_changes_when_another_connection_commits(store_at):
    watching, writer = open_log_store(store_at), open_log_store(store_at)
    before = watching.data_version()
    assert watching.data_version() == before  # nothing written: nothing to read
    writer.append([_line("run", "new")])
    deadline = time.monotonic() + 60  # PostgreSQL tells listeners asynchronously; a guard, not a measure
    while watching.data_version() == before:
        assert time.monotonic() < deadline, "the data version never changed"
        time.sleep(0.005)


def test_retention_prunes_only_runs_whose_end_is_recorded_before_it(store_at):
    store = open_log_store(store_at)
    old = (datetime.now(UTC) - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    ended = {"kind": "event", "event": "run_ended", "event_key": "run:ended"}
    store.append(
        [LogRecord(run_id="old", timestamp=old, level="INFO", message="x" * 5000) for _ in range(50)]
    )
    store.append([LogRecord(run_id="old", timestamp=old, level="INFO", message="Run completed", **ended)])
    store.append([LogRecord(run_id="old-unended", timestamp=old, level="INFO", message="still going")])
    store.append([_line("recent", "today", **ended)])
    report = prune_logs(store, 90)
    assert report.runs_pruned == ["old"] and report.records_deleted == 51
    assert store.read("old") == [] and len(store.read("old-unended")) == 1 and len(store.read("recent")) == 1
    assert store.size() > 0


def test_the_starters_of_many_runs_are_all_found(store_at):
    # A hub lists everybody's runs at once: more run ids than one query may bind.
    store = open_log_store(store_at)
    for i in range(1200):
        store.note_start(f"r{i}", f"user{i % 7}", "sdmx_production")
    found = store.starters([f"r{i}" for i in range(1200)] + ["unknown"])
    assert found == {f"r{i}": f"user{i % 7}" for i in range(1200)}
    assert len(store.started_by("user0")) == 172  # all of them: under the 500 a list shows
    assert len(open_log_store(store_at).started_by("user0", limit=100)) == 100


def test_my_runs_lists_at_most_500(store_at):
    store = open_log_store(store_at)
    for i in range(501):
        store.note_start(f"r{i}", "ana", "sdmx_production")
    assert len(store.started_by("ana")) == 500
