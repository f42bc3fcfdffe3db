"""A process configuration (``processes/<key>.toml``) reaches the worker between tasks, against the real engine."""

from __future__ import annotations

import json

import pytest

from dataops.workflows.logs import LogStore
from dataops.workflows.models import RunStatus
from tests.workflows.support import WorkerProcess, process_xml, unique, wait_until, write_steps

SCHEMA = {
    "type": "object",
    "required": ["threshold"],
    "properties": {"threshold": {"type": "number", "maximum": 1}},
}


@pytest.fixture
def deployment(tmp_path):
    """A deployment checkout: ``steps/`` beside ``processes/``."""
    (tmp_path / "deploy" / "processes").mkdir(parents=True)
    return tmp_path / "deploy"


def _configure(deployment, key, version, threshold):
    (deployment / "processes" / f"{key}.schema.json").write_text(json.dumps(SCHEMA))
    (deployment / "processes" / f"{key}.toml").write_text(f'version = "{version}"\nthreshold = {threshold}\n')


def _finished(engine, run_id):
    run = engine.run(run_id)
    return run if run.status is RunStatus.COMPLETED else None


def test_a_configuration_change_reaches_the_worker_between_tasks_and_the_log_names_its_version(
    engine, engine_url, deployment, tmp_path
):
    topic, key = unique("check"), unique("wc")
    engine.publish({f"{key}.bpmn": process_xml(key, [("check", topic)]).encode()}, name=key)
    steps = write_steps(
        deployment / "steps",
        f"""
        from dataops.workflows import step

        @step("{topic}")
        def check(config):
            print("threshold", config["threshold"])
            return {{"threshold": config["threshold"]}}
        """,
    )
    _configure(deployment, key, "1.0.0", 0.1)
    logs = tmp_path / "logs"
    store = LogStore(logs)
    with WorkerProcess(engine_url, steps, logs, "w-config") as worker:
        one = engine.start(key)
        wait_until(lambda: _finished(engine, one.id), what="first run")
        _configure(deployment, key, "1.1.0", 0.25)
        two = engine.start(key)
        wait_until(lambda: _finished(engine, two.id), what="second run")
        _configure(deployment, key, "1.2.0", 7)  # breaks the schema: 1.1.0 stays in force
        three = engine.start(key)
        wait_until(lambda: _finished(engine, three.id), what="third run")
        assert worker.proc.poll() is None
    printed = [[r.message for r in store.read(run.id) if r.source == "stdout"] for run in (one, two, three)]
    assert printed == [["threshold 0.1"], ["threshold 0.25"], ["threshold 0.25"]]
    taken = [r for r in store.read(two.id) if r.event == "task_taken"]
    assert taken[0].message.endswith(f", config {key} 1.1.0)")
    assert all(r.step_version.endswith(f" config {key} 1.1.0") for r in store.read(two.id) if r.kind == "log")
    assert {r.config_version for r in store.read(two.id) if r.kind == "log"} == {f"{key} 1.1.0"}
    assert {r.config_version for r in store.read(one.id) if r.event == "task_taken"} == {f"{key} 1.0.0"}
    warning = [r.message for r in store.read(three.id) if r.level == "WARNING"]
    assert warning == [
        f"processes/{key}.toml, configuration of process {key}: threshold: 7 is greater than the maximum of 1, "
        f"against processes/{key}.schema.json (rule: a process configuration meets the JSON Schema that ships "
        f"with the process); version {key} 1.1.0 stays in force."
    ]
