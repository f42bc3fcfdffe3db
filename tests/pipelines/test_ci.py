"""`dataops init-ci` and `dataops publish-processes`; the generated pipeline run by gitlab-ci-local."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from lxml import etree

from dataops.cli import main
from dataops.errors import Conflict, NotFound
from dataops.pipelines.ci import gitlab_ci_yaml, init_ci
from dataops.workflows.camunda import CamundaEngine
from tests.pipelines.builders import notebook

SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def bpmn(key: str, name: str = "Monthly release") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_{key}" targetNamespace="http://dataops.example/ci">
  <bpmn:process id="{key}" name="{name}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def test_the_pipeline_runs_on_each_deploy_branch_with_its_environment():
    doc = yaml.safe_load(gitlab_ci_yaml({"test": "deploy/test", "prod": "deploy/prod"}))

    rules = doc["workflow"]["rules"]
    assert rules[:2] == [
        {"if": '$CI_COMMIT_BRANCH == "deploy/test"', "variables": {"DATAOPS_ENV": "test"}},
        {"if": '$CI_COMMIT_BRANCH == "deploy/prod"', "variables": {"DATAOPS_ENV": "prod"}},
    ]
    assert rules[-1] == {"when": "never"}  # other branches run nothing
    regression, publish = doc["regression"], doc["publish-processes"]
    for job in (regression, publish):
        assert job["environment"]["name"] == "$DATAOPS_ENV" and job["resource_group"] == "$DATAOPS_ENV"
    assert regression["artifacts"]["reports"]["junit"] == "report.xml"
    assert regression["artifacts"]["when"] == "always"  # failing runs keep their executed notebooks
    assert "executed/" in regression["artifacts"]["paths"]
    assert "dataops run --list" in regression["script"][0]
    assert publish["needs"] == ["regression"] and publish["stage"] == "deploy"
    assert "dataops publish-processes" in publish["script"][0]


def test_init_ci_writes_the_file_and_a_notebook_list_and_never_overwrites(tmp_path):
    written = init_ci(tmp_path, {"dev": "deploy/dev"})
    assert written == [tmp_path / ".gitlab-ci.yml", tmp_path / "notebooks" / "regression.txt"]
    assert "notebooks/*.ipynb" in (tmp_path / "notebooks" / "regression.txt").read_text()
    with pytest.raises(Conflict, match="already exists; pass --force"):
        init_ci(tmp_path, {"dev": "deploy/dev"})
    (tmp_path / "notebooks" / "regression.txt").write_text("notebooks/first.ipynb\n")
    assert init_ci(tmp_path, {"dev": "deploy/dev"}, force=True) == [tmp_path / ".gitlab-ci.yml"]
    assert (tmp_path / "notebooks" / "regression.txt").read_text() == "notebooks/first.ipynb\n"


def test_init_ci_takes_the_environments_from_the_configuration(dataops_config, tmp_path, capsys):
    dataops_config.write_text(
        '[[promotion.environments]]\nid = "acc"\nbranch = "deploy/acceptance"\nremote = "/srv/deploy.git"\n'
    )
    assert main(["init-ci", "--dir", str(tmp_path)]) == 0
    doc = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text())
    assert doc["workflow"]["rules"][0]["if"] == '$CI_COMMIT_BRANCH == "deploy/acceptance"'
    assert "wrote" in capsys.readouterr().out


def test_publish_processes_creates_versions_only_for_changed_definitions(engine_url, tmp_path, capsys):
    key = f"release_{uuid.uuid4().hex[:8]}"
    path = tmp_path / "processes" / "release.bpmn"
    path.parent.mkdir()
    path.write_text(bpmn(key))
    args = ["publish-processes", "--engine-url", engine_url, "--name", f"ci-{key}", str(path)]

    assert main(args) == 0
    assert f"published release.bpmn: {key} version 1" in capsys.readouterr().out
    assert main(args) == 0
    assert f"unchanged release.bpmn: {key} stays at version 1" in capsys.readouterr().out
    path.write_text(bpmn(key, name="Monthly release, revised"))
    assert main(args) == 0
    assert f"{key} version 2" in capsys.readouterr().out
    with CamundaEngine(engine_url) as engine:
        assert engine.definition(key).version == 2


def test_publish_processes_refuses_missing_files_and_a_missing_engine(
    tmp_path, dataops_config, monkeypatch, capsys
):
    monkeypatch.delenv("DATAOPS_ENGINE_URL", raising=False)
    (tmp_path / "a.bpmn").write_text(bpmn("a"))
    assert main(["publish-processes", str(tmp_path / "a.bpmn")]) == 1
    assert "No workflow engine to publish to" in capsys.readouterr().err
    with pytest.raises(NotFound):
        from dataops.pipelines.publish import read_processes

        read_processes([tmp_path / "missing.bpmn"])


# -- the generated pipeline, run for real ------------------------------------------------------


def _deployment_repo(root: Path, key: str, *, failing: bool = False) -> Path:
    """A deployment repository on deploy/test: two notebooks, a process, the generated CI file."""
    repo = root / "deployment"
    notebook(
        repo / "notebooks" / "10_generate.ipynb",
        "import csv\nwith open('test_data.csv', 'w', newline='') as f:\n"
        "    csv.writer(f).writerows([('period', 'value'), ('2026-Q1', 1.5), ('2026-Q2', 2.5)])",
        parameters="rows = 2",
    )
    check = (
        "assert total == 4.0, f'total is {total}'"
        if not failing
        else "assert total == 5.0, f'total is {total}'"
    )
    notebook(
        repo / "notebooks" / "20_check.ipynb",
        "import csv\ntotal = sum(float(r['value']) for r in csv.DictReader(open('test_data.csv')))",
        check,
        "print('checked', total)",
    )
    (repo / "processes").mkdir()
    (repo / "processes" / "release.bpmn").write_text(bpmn(key))
    init_ci(repo, {"test": "deploy/test", "prod": "deploy/prod"})
    git = ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "deploy/test", str(repo)], check=True)
    subprocess.run(
        ["git", "remote", "add", "origin", f"https://gitlab.example.org/stats/{key}.git"],
        cwd=repo,
        check=True,
    )
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "Promote notebooks and process"], cwd=repo, check=True)
    return repo


def _run_pipeline(exe: Path, repo: Path, engine_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [
            str(exe),
            "--color=false",
            "--home",
            str(repo.parent / "gcl-home"),
            "--variable",
            f"DATAOPS_ENGINE_URL={engine_url}",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_generated_pipeline_tests_the_notebooks_then_publishes_the_processes(
    gitlab_ci_local, engine_url, tmp_path
):
    key = f"release_{uuid.uuid4().hex[:8]}"
    repo = _deployment_repo(tmp_path, key)

    done = _run_pipeline(gitlab_ci_local, repo, engine_url)

    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "PASSED   notebooks/10_generate.ipynb" in log and "PASSED   notebooks/20_check.ipynb" in log
    assert "environment: { name: test }" in log  # the branch chose the environment
    suite = etree.parse(str(repo / "report.xml"), SAFE).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "0")
    assert (repo / "executed" / "notebooks" / "20_check.ipynb").is_file()
    assert f"published release.bpmn: {key} version 1" in log
    with CamundaEngine(engine_url) as engine:
        definition = engine.definition(key)
    assert definition.version == 1

    again = _run_pipeline(gitlab_ci_local, repo, engine_url)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"unchanged release.bpmn: {key} stays at version 1" in again.stdout


def test_a_failing_notebook_stops_the_pipeline_before_anything_is_published(
    gitlab_ci_local, engine_url, tmp_path
):
    key = f"release_{uuid.uuid4().hex[:8]}"
    repo = _deployment_repo(tmp_path, key, failing=True)

    done = _run_pipeline(gitlab_ci_local, repo, engine_url)

    log = done.stdout + done.stderr
    assert done.returncode != 0
    assert "AssertionError: total is 4.0 in cell 2" in log
    failure = (
        etree.parse(str(repo / "report.xml"), SAFE)
        .getroot()
        .find(".//testcase[@name='20_check.ipynb']/failure")
    )
    assert failure is not None and "assert total == 5.0" in failure.text
    assert (repo / "executed" / "notebooks" / "20_check.ipynb").is_file()  # kept for the post-mortem
    assert "publish-processes starting" not in log
    with CamundaEngine(engine_url) as engine, pytest.raises(NotFound):
        engine.definition(key)


def test_the_pipeline_checks_the_metadata_before_the_notebooks_run():
    doc = yaml.safe_load(gitlab_ci_yaml({"test": "deploy/test"}))
    assert doc["stages"] == ["check", "regression", "deploy"]
    assert doc["metadata"]["stage"] == "check"
    (script,) = doc["metadata"]["script"]
    assert 'dataops metadata check . "$@"' in script
    assert 'set -- --base "$CI_COMMIT_BEFORE_SHA"' in script  # a push is checked against the commit before it
    assert doc["metadata"]["rules"] == [{"exists": ["metadata/**/*.xml", "processes/*.toml"]}]


def test_a_broken_metadata_file_stops_the_pipeline_before_the_notebooks_run(
    gitlab_ci_local, engine_url, tmp_path
):
    key = f"release_{uuid.uuid4().hex[:8]}"
    repo = _deployment_repo(tmp_path, key)
    codelists = repo / "metadata" / "codelists"
    codelists.mkdir(parents=True)
    (codelists / "ECB+CL_FREQ+1.0.0.xml").write_text("<mes:Structure")
    git = ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.org"]
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "A damaged codelist"], cwd=repo, check=True)

    done = _run_pipeline(gitlab_ci_local, repo, engine_url)

    log = done.stdout + done.stderr
    assert done.returncode != 0
    assert "metadata/codelists/ECB+CL_FREQ+1.0.0.xml: the file is not well-formed XML" in log
    assert "(rule: artefacts are well-formed SDMX-ML 3.0)." in log
    assert "PASSED   notebooks/10_generate.ipynb" not in log  # the notebooks never ran
    with CamundaEngine(engine_url) as engine, pytest.raises(NotFound):
        engine.definition(key)
