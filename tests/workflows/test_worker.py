"""Step workers against the real engine: outcomes, logs, retries, incidents, crashes, reloads, shutdown."""

from __future__ import annotations

import subprocess

import pytest

from dataops.workflows.logs import LogStore
from dataops.workflows.models import RunStatus
from dataops.workflows.timeline import sync_run
from tests.workflows.support import WorkerProcess, process_xml, unique, wait_until, write_steps


@pytest.fixture
def publish(engine):
    """Publish a linear test process; returns its key."""

    def _publish(tasks, **kw):
        key = unique("wt")
        engine.publish({f"{key}.bpmn": process_xml(key, tasks, **kw).encode()}, name=key)
        return key

    return _publish


def _finished(engine, run_id, status=None):
    run = engine.run(run_id)
    if status is not None:
        return run if run.status is status else None
    return run if run.status.finished or run.status is RunStatus.INCIDENT else None


def _messages(store, run_id, **match):
    return [r.message for r in store.read(run_id) if all(getattr(r, k) == v for k, v in match.items())]


def test_a_run_completes_and_its_log_is_complete_and_in_order(engine, engine_url, publish, tmp_path):
    fetch, validate = unique("fetch"), unique("validate")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import logging, warnings
        from dataops.workflows import step

        @step("{fetch}")
        def fetch(flow, period):
            for i in range(300):
                print(f"{{flow}} line {{i}}")
            logging.getLogger("fetch").info("fetched %s for %s", flow, period)
            warnings.warn("provisional data")
            return {{"rows": 300, "meta": {{"flow": flow}}}}

        @step("{validate}")
        def validate(rows, meta):
            print(f"validated {{rows}} rows of {{meta['flow']}}")
        """,
    )
    key = publish([("fetch", fetch), ("validate", validate)])
    logs = tmp_path / "logs"
    with WorkerProcess(engine_url, steps, logs, "w-happy"):
        run = engine.start(key, {"flow": "EXR", "period": "2026-10"}, business_key="EXR-2026-10")
        done = wait_until(lambda: _finished(engine, run.id), what="run to finish")
    assert done.status is RunStatus.COMPLETED
    store = LogStore(logs)
    stdout = _messages(store, run.id, source="stdout")
    assert stdout == [f"EXR line {i}" for i in range(300)] + ["validated 300 rows of EXR"]
    records = store.read(run.id)
    assert [r.seq for r in records] == sorted(r.seq for r in records)
    fetch_lines = [r for r in records if r.activity_id == "fetch"]
    assert fetch_lines[0].event == "activity_started"
    assert any(r.source == "logging" and r.message == "fetched EXR for 2026-10" for r in fetch_lines)
    assert any(r.source == "warnings" and "provisional data" in r.message for r in fetch_lines)
    assert {r.worker for r in records if r.kind == "log"} == {"w-happy"}
    assert {r.step_version for r in records if r.kind == "log"} != {""}
    variables = {v.name: v.value for v in engine.variables(run.id)}
    assert variables["rows"] == 300 and variables["meta"] == {"flow": "EXR"}


def test_a_failure_raises_an_incident_with_the_traceback_and_a_retry_then_succeeds(
    engine, engine_url, publish, tmp_path
):
    topic = unique("flaky")
    marker = tmp_path / "source-is-back"
    steps = write_steps(
        tmp_path / "steps",
        f"""
        from pathlib import Path
        from dataops.workflows import step

        @step("{topic}")
        def flaky():
            print("connecting to the source")
            if not Path({str(marker)!r}).exists():
                raise ConnectionError("the source refused the connection")
            print("fetched")
        """,
    )
    key = publish([("fetch", topic)])
    logs = tmp_path / "logs"
    with WorkerProcess(engine_url, steps, logs, "w-flaky", "--retries", "1"):
        run = engine.start(key)
        assert wait_until(lambda: _finished(engine, run.id), what="incident").status is RunStatus.INCIDENT
        [incident] = engine.incidents(run.id)
        assert "ConnectionError: the source refused the connection" in incident.message
        assert "Traceback" in incident.details and "connecting to the source" in incident.details
        marker.write_text("yes")
        assert engine.retry(run.id) == 1
        wait_until(lambda: _finished(engine, run.id, RunStatus.COMPLETED), what="completion after retry")
    store = LogStore(logs)
    taken = _messages(store, run.id, event="task_taken")
    assert [m.split("(attempt ")[1][0] for m in taken] == ["1", "2", "3"]
    assert _messages(store, run.id, source="stdout")[-1] == "fetched"
    sync_run(engine, store, run.id)  # what a watcher does: merge the engine's history into the log
    events = [r.event for r in store.read(run.id) if r.kind == "event"]
    assert events.count("incident_raised") == 1 and events.count("incident_resolved") == 1
    assert events[-1] == "run_ended"


def test_a_bpmn_error_takes_the_error_path(engine, engine_url, publish, tmp_path):
    topic = unique("fetch")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        from dataops.workflows import step, BpmnError

        @step("{topic}")
        def fetch(flow):
            raise BpmnError("NO_DATA", f"{{flow}} has no data", {{"reason": "empty"}})
        """,
    )
    key = publish([("fetch", topic)], error_on="fetch")
    with WorkerProcess(engine_url, steps, tmp_path / "logs", "w-bpmn"):
        run = engine.start(key, {"flow": "EXR"})
        done = wait_until(lambda: _finished(engine, run.id), what="run to end")
    assert done.status is RunStatus.COMPLETED
    assert done.end_activity_id == "end_no_data"
    assert engine.incidents(run.id) == []
    assert {v.name: v.value for v in engine.variables(run.id)}["reason"] == "empty"
    assert any(
        "BPMN error NO_DATA: EXR has no data" in m for m in _messages(LogStore(tmp_path / "logs"), run.id)
    )


def test_a_cancelled_run_stops_and_the_worker_goes_on(engine, engine_url, publish, tmp_path):
    slow, quick = unique("slow"), unique("quick")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import time
        from dataops.workflows import step

        @step("{slow}")
        def slow():
            for i in range(30):
                print("working", i)
                time.sleep(0.1)

        @step("{quick}")
        def quick():
            print("quick done")
        """,
    )
    slow_key, quick_key = publish([("slow", slow)]), publish([("quick", quick)])
    logs = tmp_path / "logs"
    store = LogStore(logs)
    with WorkerProcess(engine_url, steps, logs, "w-cancel"):
        run = engine.start(slow_key)
        wait_until(lambda: _messages(store, run.id, source="stdout"), what="the step to start")
        engine.cancel(run.id, "wrong period")
        assert engine.run(run.id).status is RunStatus.CANCELLED
        after = engine.start(quick_key)
        wait_until(lambda: _finished(engine, after.id, RunStatus.COMPLETED), what="the next run")
    assert any("not accepted" in m for m in _messages(store, run.id, source="worker"))


def test_a_killed_worker_s_task_is_completed_by_another_and_the_log_shows_both_attempts(
    engine, engine_url, publish, tmp_path
):
    topic = unique("long")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import time
        from dataops.workflows import step, Task

        @step("{topic}")
        def long(task: Task):
            for i in range(20):
                print(task.worker, "step", i)
                time.sleep(0.1)
            return {{"done_by": task.worker}}
        """,
    )
    key = publish([("long", topic)])
    logs = tmp_path / "logs"
    store = LogStore(logs)
    first = WorkerProcess(engine_url, steps, logs, "w-doomed")
    run = engine.start(key)
    wait_until(lambda: _messages(store, run.id, source="stdout"), what="the first worker to start")
    first.kill()
    first.stop()
    with WorkerProcess(engine_url, steps, logs, "w-rescue"):
        done = wait_until(lambda: _finished(engine, run.id), timeout=40, what="the rescue")
    assert done.status is RunStatus.COMPLETED
    taken = _messages(store, run.id, event="task_taken")
    assert [t.split()[1] for t in taken] == ["w-doomed", "w-rescue"]
    assert "(attempt 2" in taken[1]
    rescued = _messages(store, run.id, worker="w-rescue", source="stdout")
    assert rescued == [f"w-rescue step {i}" for i in range(20)]
    assert _messages(store, run.id, worker="w-doomed", source="stdout")[0] == "w-doomed step 0"
    assert {v.name: v.value for v in engine.variables(run.id)}["done_by"] == "w-rescue"


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), "-c", "user.email=t@t", "-c", "user.name=t", *args], check=True)


def test_a_promoted_step_version_is_picked_up_between_tasks_without_restart(
    engine, engine_url, publish, tmp_path
):
    topic = unique("report")
    source = """
        from dataops.workflows import step

        @step("{topic}")
        def report():
            print("report {version}")
            return {{"version": "{version}"}}
        """
    steps = write_steps(tmp_path / "steps", source.format(topic=topic, version="v1"))
    _git(steps, "init", "-q")
    _git(steps, "add", ".")
    _git(steps, "commit", "-qm", "v1")
    key = publish([("report", topic)])
    logs = tmp_path / "logs"
    store = LogStore(logs)
    with WorkerProcess(engine_url, steps, logs, "w-reload") as worker:
        one = engine.start(key)
        wait_until(lambda: _finished(engine, one.id, RunStatus.COMPLETED), what="first run")
        write_steps(steps, source.format(topic=topic, version="v2"))
        _git(steps, "commit", "-qam", "v2")
        two = engine.start(key)
        wait_until(lambda: _finished(engine, two.id, RunStatus.COMPLETED), what="second run")
        assert worker.proc.poll() is None
    v1 = [r for r in store.read(one.id) if r.source == "stdout"]
    v2 = [r for r in store.read(two.id) if r.source == "stdout"]
    assert [r.message for r in v1 + v2] == ["report v1", "report v2"]
    assert v1[0].step_version != v2[0].step_version
    head = subprocess.run(["git", "-C", str(steps), "rev-parse", "HEAD"], capture_output=True, text=True)
    assert head.stdout.startswith(v2[0].step_version)


def test_a_stopped_worker_finishes_its_step_or_releases_the_task(engine, engine_url, publish, tmp_path):
    topic = unique("slow")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import time
        from dataops.workflows import step

        @step("{topic}")
        def slow(seconds):
            print("sleeping", seconds)
            time.sleep(seconds)
            print("woke up")
        """,
    )
    key = publish([("slow", topic)])
    logs = tmp_path / "logs"
    store = LogStore(logs)

    finishing = WorkerProcess(engine_url, steps, logs, "w-graceful", "--lock-duration", "30")
    one = engine.start(key, {"seconds": 1.5})
    wait_until(lambda: _messages(store, one.id, source="stdout"), what="the step to start")
    assert finishing.stop() == 0
    assert _finished(engine, one.id, RunStatus.COMPLETED)
    assert _messages(store, one.id, source="stdout") == ["sleeping 1.5", "woke up"]

    impatient = WorkerProcess(
        engine_url, steps, logs, "w-impatient", "--lock-duration", "60", "--shutdown-grace", "0.2"
    )
    two = engine.start(key, {"seconds": 30})
    wait_until(lambda: _messages(store, two.id, source="stdout"), what="the long step to start")
    assert impatient.stop() == 0
    assert any("task released" in m for m in _messages(store, two.id, worker="w-impatient"))
    # Released, not left locked for 60 s: a new worker gets it at once.
    with WorkerProcess(engine_url, steps, logs, "w-next", "--shutdown-grace", "0.2"):
        wait_until(
            lambda: _messages(store, two.id, worker="w-next", event="task_taken"), timeout=10, what="takeover"
        )
        engine.cancel(two.id)
