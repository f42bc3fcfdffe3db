"""R notebooks in the generated pipeline: an R notebook promoted to a plain git environment with
local pipelines runs in the IR kernel (`dataops run`, gitlab-ci-local, shell executor); a failing
R cell fails the job, with R's error in the job log and the JUnit report. Real parts: a bare git
remote, gitlab-ci-local, Debian's R and IRkernel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

import dataops
from dataops.cli import main
from dataops.pipelines.ci import R_PACKAGES, gitlab_ci_yaml
from dataops.pipelines.runner import FAILED, PASSED, run_notebook
from tests.pipelines.deployment import local_pipelines_config, seeded_remote
from tests.workflows.support import wait_until

IR = {"name": "ir", "display_name": "R", "language": "R"}


def r_notebook(path: Path, *cells: str, parameters: str | None = None) -> Path:
    """An R notebook: an optional ``parameters`` cell, then code cells."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": IR, "language_info": {"name": "R"}})
    if parameters is not None:
        nb.cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def r_dev(tmp_path, dataops_config, gitlab_ci_local):
    """A deployment remote whose deploy/dev holds the generated CI file (no processes: no deploy
    job), and the administrator's configuration of dev with local pipelines."""
    remote = seeded_remote(tmp_path)
    dataops_config.write_text(local_pipelines_config(tmp_path, remote, gitlab_ci_local))


def finished(sha: str):
    found = [p for p in dataops.list_pipelines(env="dev") if p.sha == sha]
    return found[0] if found and found[0].finished else None


def test_an_r_error_fails_the_notebook_with_r_own_line_and_traceback(tmp_path):
    nb = r_notebook(
        tmp_path / "check.ipynb",
        "total <- x + 1",
        "if (total != 3) stop('total is ', total)",
        parameters="x <- 0",
    )
    good = run_notebook(nb, tmp_path / "out" / "good.ipynb", {"x": 2}, None, None)
    bad = run_notebook(nb, tmp_path / "out" / "bad.ipynb", {"x": 1}, None, None)
    assert (good.status, bad.status) == (PASSED, FAILED)
    assert (bad.cell, bad.error) == (3, "Error: total is 2")
    assert 'stop("total is ", total)' in bad.traceback


def test_an_r_notebook_is_promoted_and_run_by_the_pipeline_and_a_failing_r_cell_fails_it(r_dev, tmp_path):
    work = tmp_path / "work"
    nb = r_notebook(
        work / "rcheck.ipynb",
        "total <- sum(c(1.5, 2.5))",
        "stopifnot(total == 4)",
        "cat('checked', total, '\\n')",
    )
    promotion = dataops.promote(str(nb), env="dev", message="an R check")
    pipeline = wait_until(lambda: finished(promotion.commit_sha), timeout=300, what="the local pipeline")
    view = dataops.pipeline(pipeline.id, env="dev")
    log = view.logs("regression")
    assert (pipeline.status, [(j.name, j.status) for j in pipeline.jobs]) == (
        "success",
        [("regression", "success")],
    ), log
    assert "PASSED" in log and "notebooks/rcheck.ipynb" in log
    assert "R notebooks: the IR kernel is installed" in log  # nothing to install on this runner
    report = view.test_report()
    assert (report.total, report.success, report.failed) == (1, 1, 0)

    r_notebook(
        work / "rcheck.ipynb",
        "total <- sum(c(1.5, 2.5))",
        "if (total != 5) stop('total is ', total, ', not 5')",
    )
    promotion = dataops.promote(str(nb), env="dev", message="a wrong R check")
    pipeline = wait_until(lambda: finished(promotion.commit_sha), timeout=300, what="the local pipeline")
    log = dataops.pipeline(pipeline.id, env="dev").logs("regression")
    assert pipeline.status == "failed"
    assert "Error: total is 4, not 5" in log
    assert "ERROR: Job failed: exit code" in log


def _prepare_r(repo: Path, *, with_jupyter: bool, packages: str = R_PACKAGES):
    """Run the generated regression job's ``before_script`` as GitLab's shell does (bash, -e,
    pipefail) in ``repo``; ``with_jupyter``: the venv's Jupyter, which has the IR kernel, on PATH."""
    [script] = yaml.safe_load(gitlab_ci_yaml({"dev": "deploy/dev"}))["regression"]["before_script"]
    path_var = os.pathsep.join([str(Path(sys.executable).parent)] * with_jupyter + ["/usr/bin", "/bin"])
    env = {"PATH": path_var, "DATAOPS_R_PACKAGES": packages, "HOME": str(repo)}
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], cwd=repo, env=env, capture_output=True, text=True
    )


def test_the_generated_pipeline_readies_r_only_for_a_branch_with_r_notebooks_or_steps(tmp_path, capsys):
    doc = yaml.safe_load(gitlab_ci_yaml({"dev": "deploy/dev"}))
    assert doc["variables"]["DATAOPS_R_PACKAGES"]["value"] == "r-base-core r-cran-irkernel r-cran-jsonlite"
    (tmp_path / "ci").mkdir()
    assert main(["init-ci", "--dir", str(tmp_path / "ci"), "--env", "dev", "--r-packages", ""]) == 0
    written = yaml.safe_load((tmp_path / "ci" / ".gitlab-ci.yml").read_text())
    assert written["variables"]["DATAOPS_R_PACKAGES"]["value"] == ""

    repo = tmp_path / "repo"
    python_nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    (repo / "notebooks").mkdir(parents=True)
    nbformat.write(python_nb, repo / "notebooks" / "py.ipynb")
    # Python only: no kernel is looked for, nothing is installed, even without Jupyter or apt.
    plain = _prepare_r(repo, with_jupyter=False, packages="")
    assert (plain.returncode, plain.stdout, plain.stderr) == (0, "", "")

    r_notebook(repo / "notebooks" / "r.ipynb", "1 + 1")
    ready = _prepare_r(repo, with_jupyter=True)
    assert ready.returncode == 0, ready.stderr
    assert ready.stdout.strip() == "R notebooks: the IR kernel is installed"

    # An image without the kernel, and installing turned off: the job fails saying what it needs.
    missing = _prepare_r(repo, with_jupyter=False, packages="")
    assert missing.returncode == 1
    assert "This branch holds R notebooks or R steps and the image has no IR kernel" in missing.stderr
    (repo / "notebooks" / "r.ipynb").unlink()
    (repo / "steps").mkdir()
    (repo / "steps" / "index.R").write_text("index <- function(x) x\n")
    assert _prepare_r(repo, with_jupyter=False, packages="").returncode == 1  # an R step alone
