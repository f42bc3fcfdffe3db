"""What a worker knows to be secret never reaches the run's log, its incidents or the worker's own
output: the engine's password, credentials inside URLs, GitLab tokens (against the real engine)."""

from __future__ import annotations

import pytest

from dataops.workflows.logs import LogStore
from dataops.workflows.models import RunStatus
from tests.workflows.support import WorkerProcess, process_xml, unique, wait_until, write_steps

ENGINE_PASSWORD = "engine-pw-5f3a9c"  # noqa: S105 (a test value)
URL_PASSWORD = "hunter2-db"  # noqa: S105
GITLAB_TOKEN = "glpat-StepToken0123456789"  # noqa: S105


@pytest.fixture
def key(engine):
    topic = unique("leaky")
    key = unique("secrets")
    engine.publish({f"{key}.bpmn": process_xml(key, [("leak", topic)]).encode()}, name=key)
    return key, topic


def test_secrets_are_redacted_from_step_logs_incidents_and_the_workers_output(
    engine, engine_url, key, tmp_path
):
    key, topic = key
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import logging
        from dataops.workflows import step

        @step("{topic}")
        def leak():
            print("engine password is {ENGINE_PASSWORD}")
            logging.getLogger("leak").warning("reading https://reader:{URL_PASSWORD}@db.example/x")
            print("token {GITLAB_TOKEN} for the deployment project")
            raise RuntimeError("login refused for {ENGINE_PASSWORD}")
        """,
    )
    config = f'[workflows]\nusername = "demo"\npassword = "{ENGINE_PASSWORD}"\n'
    with_credentials = engine_url.replace("://", f"://demo:{ENGINE_PASSWORD}@", 1)
    logs = tmp_path / "logs"
    with WorkerProcess(with_credentials, steps, logs, "w-secrets", "--retries", "0", config=config) as worker:
        run = engine.start(key)
        wait_until(lambda: engine.run(run.id).status is RunStatus.INCIDENT or None, what="incident")
        [incident] = engine.incidents(run.id)
        said = worker.stderr

    stored = "\n".join(r.message for r in LogStore(logs).read(run.id))
    assert "engine password is [REDACTED]" in stored
    assert "reading https://[REDACTED]@db.example/x" in stored
    assert "token [REDACTED] for the deployment project" in stored
    for where in (stored, incident.message, incident.details, said):
        for secret in (ENGINE_PASSWORD, URL_PASSWORD, GITLAB_TOKEN):
            assert secret not in where
    assert "login refused for [REDACTED]" in incident.message
