"""Local pipelines of a plain git environment: a promotion that lands starts the deployment
repository's generated .gitlab-ci.yml on this machine (gitlab-ci-local, shell executor), and the
notebook API shows its jobs, live logs, test summary and the promotion's pipeline, as for GitLab.
Real parts: a bare git remote, gitlab-ci-local, `dataops run` in a real kernel, the real engine."""

from __future__ import annotations

import pytest

import dataops
from dataops.workflows.camunda import CamundaEngine
from dataops.workflows.logs import LogStore
from dataops.workflows.models import RunStatus
from tests.pipelines.builders import notebook
from tests.pipelines.deployment import local_pipelines_config, seeded_remote
from tests.workflows.support import WorkerProcess, process_xml, unique, wait_until

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://dataops.example">
  <bpmn:process id="{key}" isExecutable="true" camunda:historyTimeToLive="7">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.fixture
def local_dev(tmp_path, dataops_config, gitlab_ci_local, engine_url):
    """A deployment remote whose deploy/dev holds the generated CI file and a process, and the
    administrator's configuration of dev with local pipelines."""
    key = f"local_{tmp_path.name[-8:].replace('-', '_')}"
    remote = seeded_remote(tmp_path, {"processes/release.bpmn": PROCESS.format(key=key)})
    variables = f'variables = {{ DATAOPS_ENGINE_URL = "{engine_url}" }}'
    dataops_config.write_text(local_pipelines_config(tmp_path, remote, gitlab_ci_local, variables))
    return key


def finished(env: str, sha: str):
    found = [p for p in dataops.list_pipelines(env=env) if p.sha == sha]
    return found[0] if found and found[0].finished else None


def test_a_promotion_runs_the_pipeline_here_and_its_jobs_logs_and_tests_are_shown(
    local_dev, tmp_path, engine_url
):
    nb = notebook(
        tmp_path / "work" / "check.ipynb",
        "total = 1.5 + 2.5",
        "assert total == 4.0",
        "print('checked', total)",
    )
    promotion = dataops.promote(str(nb), env="dev", message="EXR check")

    pipeline = wait_until(
        lambda: finished("dev", promotion.commit_sha), timeout=300, what="the local pipeline"
    )
    assert (pipeline.status, pipeline.ref, pipeline.source) == ("success", "deploy/dev", "push")
    assert pipeline.user == promotion.user
    assert [(j.name, j.status) for j in pipeline.jobs] == [
        ("regression", "success"),
        ("publish-processes", "success"),
    ]

    view = dataops.pipeline(pipeline.id, env="dev")
    regression = view.logs("regression")
    assert "PASSED" in regression and "notebooks/check.ipynb" in regression
    assert regression.rstrip().endswith("Job succeeded")
    report = view.test_report()
    assert (report.total, report.success, report.failed) == (1, 1, 0)
    # the publish job reached the engine named by the environment's variables
    with CamundaEngine(engine_url) as engine:
        assert local_dev in {d.key for d in engine.definitions()}
    history = dataops.promotions(env="dev")
    assert history[["commit_sha", "pipeline_id", "pipeline_status"]].values.tolist() == [
        [promotion.commit_sha, pipeline.id, "success"]
    ]


def test_a_failing_notebook_fails_its_pipeline_and_skips_the_deploy_stage(local_dev, tmp_path):
    nb = notebook(
        tmp_path / "work" / "check.ipynb", "total = 1.5 + 2.5", "assert total == 5.0, f'total is {total}'"
    )
    promotion = dataops.promote(str(nb), env="dev", message="a wrong check")

    pipeline = wait_until(
        lambda: finished("dev", promotion.commit_sha), timeout=300, what="the local pipeline"
    )
    assert pipeline.status == "failed"
    assert [(j.name, j.status) for j in pipeline.jobs] == [
        ("regression", "failed"),
        ("publish-processes", "skipped"),
    ]
    log = dataops.pipeline(pipeline.id, env="dev").logs("regression")
    assert "total is 4.0" in log
    assert "ERROR: Job failed: exit code" in log


def test_without_gitlab_ci_local_the_pipeline_fails_and_says_how_to_install_it(
    local_dev, tmp_path, dataops_config
):
    dataops_config.write_text(
        dataops_config.read_text().replace('gitlab_ci_local = "', 'gitlab_ci_local = "/nowhere/')
    )
    nb = notebook(tmp_path / "work" / "check.ipynb", "print('hello')")
    promotion = dataops.promote(str(nb), env="dev", message="no runner")

    pipeline = wait_until(
        lambda: finished("dev", promotion.commit_sha), timeout=120, what="the local pipeline"
    )
    assert pipeline.status == "failed"
    (job,) = pipeline.jobs
    log = dataops.pipeline(pipeline.id, env="dev").logs(job.name)
    assert "gitlab-ci-local was not found" in log and "make install" in log


STEP = """
from dataops.workflows import step


@step("{topic}")
def report():
    print("report {version}")
    return {{"version": "{version}"}}
"""


def test_the_loop_a_promoted_step_passes_its_pipeline_and_the_next_run_uses_it(
    local_dev, tmp_path, engine, engine_url, monkeypatch
):
    """Promote a step to dev → its pipeline runs here → the worker following deploy/dev serves it
    from the next run on, nobody touching the worker."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    topic, key = unique("report"), unique("loop")
    engine.publish({f"{key}.bpmn": process_xml(key, [("report", topic)]).encode()}, name=key)
    regression = notebook(tmp_path / "work" / "check.ipynb", "assert 1 + 1 == 2")
    step_file = tmp_path / "work" / "reporting.py"
    step_file.write_text(STEP.format(topic=topic, version="v1"))
    dataops.promote(str(regression), env="dev", message="regression test")
    first = dataops.promote(str(step_file), env="dev", message="report v1")

    remote = str(tmp_path / "deployment.git")
    logs = tmp_path / "logs"
    args = ("--follow", remote, "--branch", "deploy/dev")
    with WorkerProcess(
        engine_url, None, logs, "w-loop", *args, config="[workflows.follow]\ninterval_s = 0\n"
    ):
        one = engine.start(key)
        wait_until(lambda: engine.run(one.id).status is RunStatus.COMPLETED, what="the run on v1")
        step_file.write_text(STEP.format(topic=topic, version="v2"))
        second = dataops.promote(str(step_file), env="dev", message="report v2")
        pipeline = wait_until(
            lambda: finished("dev", second.commit_sha), timeout=300, what="the pipeline of v2"
        )
        assert pipeline.status == "success"
        two = engine.start(key)
        wait_until(lambda: engine.run(two.id).status is RunStatus.COMPLETED, what="the run on v2")
    store = LogStore(logs)
    printed = [
        (r.message, r.step_version) for run in (one, two) for r in store.read(run.id) if r.source == "stdout"
    ]
    assert printed == [("report v1", first.commit_sha[:12]), ("report v2", second.commit_sha[:12])]
