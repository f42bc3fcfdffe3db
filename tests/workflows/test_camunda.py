"""The Camunda 7 REST client against the real engine of engine/ (started by the session fixture).

Each test publishes its own copy of a sample process under a unique key and fetches tasks by a
unique business key, so workers of other tests on the same engine never take its tasks.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dataops.errors import (
    Conflict,
    EngineUnreachable,
    InvalidInput,
    MalformedMessage,
    NotConfigured,
    NotFound,
    Unauthorized,
)
from dataops.workflows.camunda import AsyncCamundaEngine, CamundaEngine
from dataops.workflows.config import WorkflowsConfig
from dataops.workflows.engine import AsyncEngine, Engine
from dataops.workflows.models import IncidentState, RunStatus
from tests.engine import EngineServer, free_port

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
STEPS = ["fetch", "validate", "aggregate", "report", "disseminate"]
HANG_GUARD = 120.0  # seconds: only stops a broken test from hanging, never a measure of speed
LONG_POLL = 120.0


def _copy(engine, sample: str, **replace: str) -> str:
    """Publish a sample process under a new unique key; returns the key."""
    key = f"{sample}_{uuid.uuid4().hex[:8]}"
    xml = (PROCESSES / f"{sample}.bpmn").read_text().replace(f'"{sample}"', f'"{key}"')
    for old, new in replace.items():
        xml = xml.replace(old, new)
    engine.publish({f"{key}.bpmn": xml.encode()}, name=key)
    return key


def _until_fetched(engine, worker: str, topic: str, business_key: str, **kw) -> list:
    """Fetch ``topic``'s tasks for this run until there is one (the engine frees tasks on its own clock)."""
    give_up = time.monotonic() + HANG_GUARD
    while not (tasks := engine.fetch_and_lock(worker, [topic], business_key=business_key, **kw)):
        assert time.monotonic() < give_up, f"no {topic} task became free"
        time.sleep(0.1)
    return tasks


def _take(engine, topic: str, business_key: str, worker: str = "w1", **kw):
    """Lock the one task of ``topic`` for this test's run."""
    [task] = engine.fetch_and_lock(worker, [topic], business_key=business_key, **kw)
    return task


def test_the_sample_processes_are_published_with_a_start_form_and_a_diagram(engine):
    keys = {d.key for d in engine.definitions()}
    assert {"sdmx_production", "sdmx_failing_step", "sdmx_bpmn_error", "sdmx_long_step"} <= keys
    form = {f.id: f for f in engine.start_form("sdmx_production")}
    assert list(form) == ["flow", "period", "frequency", "dry_run"]
    assert form["flow"].label == "Dataflow" and form["flow"].required and form["flow"].default == "EXR"
    assert form["frequency"].type == "enum" and form["frequency"].options["Q"] == "Quarterly"
    assert form["dry_run"].type == "boolean" and form["dry_run"].default is False
    assert engine.start_form("sdmx_long_step") == []
    xml = engine.definition_xml(engine.definition("sdmx_production").id)
    assert "BPMNDiagram" in xml and 'camunda:topic="sdmx_production_disseminate"' in xml


def test_a_run_goes_through_its_steps_to_completion_with_typed_variables(engine):
    key = _copy(engine, "sdmx_production")
    bk = f"EXR-{uuid.uuid4().hex[:6]}"
    cutoff = datetime(2026, 10, 31, 23, 59, 59, 123000, tzinfo=UTC)
    started = engine.start(
        key,
        {
            "flow": "EXR",
            "period": "2026-10",
            "cutoff": cutoff,
            "rows": 12,
            "big": 2**40,
            "ratio": 0.5,
            "dry_run": False,
            "dims": {"FREQ": ["M"], "CURRENCY": ["USD", "JPY"]},
        },
        business_key=bk,
    )
    assert (
        started.status is RunStatus.RUNNING and started.business_key == bk and started.definition_key == key
    )

    task = _take(engine, "sdmx_production_fetch", bk)
    assert task.run_id == started.id and task.activity_id == "fetch" and task.definition_key == key
    assert task.variables["dims"] == {"FREQ": ["M"], "CURRENCY": ["USD", "JPY"]}
    assert task.variables["cutoff"] == cutoff and task.variable_types["big"] == "Long"
    engine.complete(task.id, "w1", {"observations": 4242})
    for activity in STEPS[1:]:
        engine.complete(_take(engine, f"sdmx_production_{activity}", bk).id, "w1")

    run = engine.run(started.id)
    assert run.status is RunStatus.COMPLETED and run.end_activity_id == "end" and run.duration is not None
    assert [a.activity_id for a in engine.activities(run.id)] == ["start", *STEPS, "end"]
    variables = {v.name: (v.value, v.type) for v in engine.variables(run.id)}
    assert variables["observations"] == (4242, "Integer")
    assert variables["big"] == (2**40, "Long") and variables["ratio"] == (0.5, "Double")
    assert variables["dry_run"] == (False, "Boolean") and variables["cutoff"] == (cutoff, "Date")
    assert variables["dims"] == ({"FREQ": ["M"], "CURRENCY": ["USD", "JPY"]}, "Json")


def test_a_failed_step_raises_an_incident_with_its_details_and_retry_resumes_the_run(engine):
    key = _copy(engine, "sdmx_failing_step")
    bk = f"fail-{uuid.uuid4().hex[:6]}"
    run = engine.start(key, {"flow": "EXR"}, business_key=bk)
    engine.complete(_take(engine, "fetch", bk).id, "w1")
    task = _take(engine, "check_calendar", bk)
    trace = (
        'Traceback (most recent call last):\n  File "steps.py", line 3\nValueError: no calendar for 2026-10'
    )
    engine.handle_failure(task.id, "w1", "ValueError: no calendar for 2026-10", details=trace, retries=0)

    assert engine.run(run.id).status is RunStatus.INCIDENT
    assert run.id in {r.id for r in engine.runs(definition_key=key, status=RunStatus.INCIDENT).items}
    [incident] = engine.incidents(run.id)
    assert incident.activity_id == "check_calendar" and incident.state is IncidentState.OPEN
    assert incident.message == "ValueError: no calendar for 2026-10" and incident.details == trace
    assert engine.fetch_and_lock("w1", ["check_calendar"], business_key=bk) == []

    assert engine.retry(run.id) == 1
    again = _take(engine, "check_calendar", bk)
    assert again.retries == 1 and again.error_message == "ValueError: no calendar for 2026-10"
    engine.complete(again.id, "w1")
    engine.complete(_take(engine, "disseminate", bk).id, "w1")
    assert engine.run(run.id).status is RunStatus.COMPLETED
    [resolved] = engine.incidents(run.id, include_resolved=True)
    assert resolved.state is IncidentState.RESOLVED and resolved.details == trace
    assert engine.incidents(run.id) == []


def test_a_failure_with_retries_left_gives_the_task_back_after_the_retry_timeout(engine):
    key = _copy(engine, "sdmx_failing_step")
    bk = f"again-{uuid.uuid4().hex[:6]}"
    run = engine.start(key, {"flow": "EXR"}, business_key=bk)
    engine.complete(_take(engine, "fetch", bk).id, "w1")
    task = _take(engine, "check_calendar", bk)
    engine.handle_failure(task.id, "w1", "timeout talking to the calendar", retries=2, retry_timeout=1.0)
    assert engine.run(run.id).status is RunStatus.RUNNING
    assert engine.fetch_and_lock("w1", ["check_calendar"], business_key=bk) == []
    [again] = _until_fetched(engine, "w1", "check_calendar", bk)  # once the retry timeout has passed
    assert again.retries == 2


def test_a_bpmn_error_takes_the_modelled_error_path(engine):
    key = _copy(engine, "sdmx_bpmn_error")
    bk = f"bpmn-{uuid.uuid4().hex[:6]}"
    run = engine.start(key, business_key=bk)
    engine.complete(_take(engine, "fetch", bk).id, "w1")
    task = _take(engine, "validate_reject", bk)
    engine.handle_bpmn_error(task.id, "w1", "VALIDATION_FAILED", "3 series break the rules", {"broken": 3})
    engine.complete(_take(engine, "quarantine", bk).id, "w1")
    done = engine.run(run.id)
    assert done.status is RunStatus.COMPLETED and done.end_activity_id == "end_rejected"
    assert "disseminate" not in {a.activity_id for a in engine.activities(run.id)}
    assert {v.name: v.value for v in engine.variables(run.id)}["broken"] == 3


def test_a_cancelled_run_ends_and_cannot_be_cancelled_twice(engine):
    key = _copy(engine, "sdmx_long_step")
    run = engine.start(key)
    engine.cancel(run.id, "wrong period")
    cancelled = engine.run(run.id)
    assert cancelled.status is RunStatus.CANCELLED and cancelled.ended_at is not None
    assert {v.name: v.value for v in engine.variables(run.id)}["cancel_reason"] == "wrong period"
    assert [r.id for r in engine.runs(definition_key=key, status=RunStatus.CANCELLED).items] == [run.id]
    with pytest.raises(NotFound, match="cancelling run"):
        engine.cancel(run.id)


def test_publishing_a_changed_bpmn_makes_a_new_version_that_the_next_start_uses(engine):
    key = _copy(engine, "sdmx_long_step")
    v1 = engine.definition(key)
    xml = engine.definition_xml(v1.id)
    unchanged = engine.publish({f"{key}.bpmn": xml.encode()}, name=key)
    assert [(d.key, d.version) for d in unchanged.definitions] == [(key, 1)]
    changed = xml.replace('name="Report"', 'name="Report to the board"')
    deployment = engine.publish({f"{key}.bpmn": changed.encode()}, name=key)
    assert [(d.key, d.version) for d in deployment.definitions] == [(key, 2)]
    run = engine.start(key)
    assert run.definition_version == 2 and run.definition_id == deployment.definitions[0].id
    assert [d.version for d in engine.definitions(latest_only=False) if d.key == key] == [1, 2]
    assert engine.definition(key, version=1).id == v1.id


def test_a_lock_lost_to_another_worker_is_a_conflict_and_locks_can_be_extended_or_released(engine):
    key = _copy(engine, "sdmx_long_step")
    bk = f"lock-{uuid.uuid4().hex[:6]}"
    engine.start(key, business_key=bk)
    first = _take(engine, "fetch", bk, worker="w1", lock_duration=1.0)
    # Once the lock expires the task is free for any worker.
    [second] = _until_fetched(engine, "w2", "fetch", bk, lock_duration=30.0)
    assert second.id == first.id
    with pytest.raises(Conflict, match="w2"):
        engine.complete(first.id, "w1")
    engine.extend_lock(second.id, "w2", 60.0)
    engine.unlock(second.id)
    third = _take(engine, "fetch", bk, worker="w3")
    engine.complete(third.id, "w3")
    assert _take(engine, "aggregate_history", bk, worker="w3").activity_id == "aggregate_history"


def test_long_polling_returns_as_soon_as_work_arrives(engine):
    key = _copy(engine, "sdmx_long_step")
    bk = f"poll-{uuid.uuid4().hex[:6]}"
    starting = threading.Event()

    def start_later() -> None:
        starting.set()
        engine.start(key, business_key=bk)

    threading.Timer(1.0, start_later).start()
    t0 = time.monotonic()
    tasks = engine.fetch_and_lock("w1", ["fetch"], business_key=bk, long_poll=LONG_POLL)
    # The poll began before the run existed, waited for it, and did not sit out the whole long poll.
    assert len(tasks) == 1 and starting.is_set()
    assert time.monotonic() - t0 < LONG_POLL


def test_runs_are_paged_newest_first(engine):
    key = _copy(engine, "sdmx_long_step")
    ids = [engine.start(key, business_key=f"page-{i}").id for i in range(3)]
    first = engine.runs(definition_key=key, max_results=2)
    second = engine.runs(definition_key=key, first=2, max_results=2)
    assert first.total == 3 and second.total == 3
    assert [r.id for r in first.items + second.items] == ids[::-1]
    assert [r.id for r in engine.runs(ids=ids[:2]).items] == ids[1::-1]
    assert [r.business_key for r in engine.runs(definition_key=key, business_key="page-1").items] == [
        "page-1"
    ]


def test_bad_requests_raise_specific_errors_with_the_engines_reason(engine):
    with pytest.raises(NotFound, match="no_such_process"):
        engine.start("no_such_process")
    with pytest.raises(NotFound):
        engine.run("00000000-0000-0000-0000-000000000000")
    with pytest.raises(MalformedMessage, match="broken.bpmn"):
        engine.publish({"broken.bpmn": b"<bpmn:definitions"}, name="broken")
    bad_flow = (
        (PROCESSES / "sdmx_long_step.bpmn").read_text().replace('targetRef="report"', 'targetRef="nowhere"')
    )
    with pytest.raises(MalformedMessage, match="nowhere"):
        engine.publish({"bad_flow.bpmn": bad_flow.encode()}, name="bad_flow")
    with pytest.raises(InvalidInput, match="'when'"):
        engine.start("sdmx_long_step", {"when": object()})


def test_the_async_client_speaks_the_same_protocol(engine_url):
    assert isinstance(CamundaEngine(engine_url), Engine)

    async def scenario():
        client = AsyncCamundaEngine(engine_url)
        assert isinstance(client, AsyncEngine)
        try:
            run = await client.start("sdmx_long_step", {"flow": "EXR"}, business_key="async")
            assert (await client.run(run.id)).status is RunStatus.RUNNING
            assert "sdmx_long_step" in {d.key for d in await client.definitions()}
            await client.cancel(run.id)
            with pytest.raises(NotFound):
                await client.cancel(run.id)
        finally:
            await client.aclose()

    asyncio.run(scenario())


def test_a_stopped_engine_is_reported_unreachable_and_runs_survive_its_restart(engine, engine_server):
    run = engine.start("sdmx_long_step", business_key="survives-restart")
    engine_server.stop()
    try:
        with pytest.raises(EngineUnreachable, match=f"{engine_server.url} does not answer"):
            engine.run(run.id)

        async def unreachable():
            client = AsyncCamundaEngine(engine_server.url)
            try:
                await client.definitions()
            finally:
                await client.aclose()

        with pytest.raises(EngineUnreachable):
            asyncio.run(unreachable())
    finally:
        engine_server.start()
    back = engine.run(run.id)
    assert back.status is RunStatus.RUNNING and back.business_key == "survives-restart"


def test_the_engine_script_is_idempotent_and_says_where_the_engine_is(engine_server, tmp_path):
    running = engine_server.pid
    assert running and engine_server.start() == engine_server.url
    assert engine_server.pid == running  # the running engine answered: no second process started
    nowhere = EngineServer(port=free_port(), data=tmp_path)
    with pytest.raises(RuntimeError, match="no engine answers"):
        nowhere._script("status")
    nowhere.stop()  # nothing runs there: stop has nothing to do and succeeds


def test_an_engine_with_basic_auth_needs_the_configured_credentials(tmp_path, monkeypatch):
    monkeypatch.setenv("DATAOPS_ENGINE_USER", "statistician")
    monkeypatch.setenv("DATAOPS_ENGINE_PASSWORD", "s3cret-pass")
    server = EngineServer(port=free_port(), data=tmp_path / "engine")
    server.start()
    try:
        config = WorkflowsConfig(engine_url=server.url, username="statistician", password="s3cret-pass")
        with CamundaEngine.from_config(config) as allowed:
            assert "sdmx_production" in {d.key for d in allowed.definitions()}
        with CamundaEngine(server.url) as anonymous, pytest.raises(Unauthorized, match="credentials"):
            anonymous.definitions()
        with CamundaEngine(server.url, username="statistician", password="wrong") as wrong:
            with pytest.raises(Unauthorized):
                wrong.definitions()
    finally:
        server.stop()


def test_an_unconfigured_engine_says_how_to_configure_one():
    with pytest.raises(NotConfigured, match="engine_url"):
        CamundaEngine.from_config(WorkflowsConfig())
