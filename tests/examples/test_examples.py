"""Every example notebook of the Launcher runs with `dataops run`, as a user's pipeline would run it,
against real parts: the shared SDMX samples as a files source, the real engine with a worker serving
the sample steps, a plain git deployment remote whose pipeline gitlab-ci-local runs here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tests.pipelines.deployment import local_pipelines_config, seeded_remote
from tests.workflows.support import WorkerProcess

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "jupyterlab_dataops" / "examples"


@pytest.fixture
def example_setup(tmp_path, dataops_config, shared_dir, engine_url, gitlab_ci_local):
    """The examples copied into a working folder, and the administrator's configuration they use."""
    samples = shared_dir / "sdmx-samples" / "ECB_EXR" / "1"
    files = tmp_path / "sdmx" / "EXR"
    files.mkdir(parents=True)
    (tmp_path / "store").mkdir()
    (files / "structure.xml").symlink_to(samples / "structure-full.xml")
    (files / "M.USD.EUR.SP00.A.xml").symlink_to(samples / "M.USD.EUR.SP00.A.xml")
    remote = seeded_remote(tmp_path)
    dataops_config.write_text(
        f"""
[[sources]]
id = "SAMPLES"
name = "SDMX sample messages"
url = "{tmp_path / "sdmx"}"
api = "files"

[[sources]]
id = "STORE"
name = "Series store"
api = "store"
structures = "{files / "structure.xml"}"

[store]
uri = "sqlite:///{tmp_path / "store" / "catalog.db"}"
warehouse = "{tmp_path / "store" / "warehouse"}"

[workflows]
engine_url = "{engine_url}"
log_dir = "{tmp_path / "run-logs"}"
"""
        + local_pipelines_config(tmp_path, remote, gitlab_ci_local)
    )
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work)
    return work


def test_every_example_notebook_runs_with_dataops_run(example_setup, engine_url, tmp_path, dataops_config):
    notebooks = sorted(p.name for p in example_setup.glob("*.ipynb"))
    assert notebooks == [
        "01_read_and_chart.ipynb",
        "02_vintages_and_revisions.ipynb",
        "03_production_run.ipynb",
        "04_try_a_step.ipynb",
        "05_regression_test.ipynb",
        "06_promote_and_follow.ipynb",
    ]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    logs = tmp_path / "run-logs"
    # The sample production steps read SAMPLES and write STORE: the worker gets the same sources.
    worker_config = dataops_config.read_text()
    with WorkerProcess(engine_url, REPO / "examples" / "steps", logs, "w-examples", config=worker_config):
        done = subprocess.run(
            [sys.executable, "-m", "dataops.cli", "run", *notebooks, "--keep-going", "--timeout", "600",
             "--junit", "report.xml", "--output-dir", "executed"],
            cwd=example_setup, env=env, capture_output=True, text=True, timeout=1800,
        )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (suite,) = etree.parse(str(example_setup / "report.xml")).getroot().findall("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "0", "0")
    executed = (example_setup / "executed" / "03_production_run.ipynb").read_text()
    assert "fetching EXR for 2026-10" in executed  # the run's log, followed from the notebook
