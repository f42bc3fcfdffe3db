"""R notebooks and R step modules are promoted like Python ones: the notebook stripped and paired
with jupytext's R percent script, the local files it ``source()``s carried along, R steps to
steps/, and every R source secret-scanned, also where R assigns with ``<-``."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

from dataops.promotion.config import Environment
from dataops.promotion.plan import build_plan
from dataops.promotion.secrets import scan_notebook, scan_text
from dataops.promotion.targets.git import GitTarget
from tests.fakes.git_http import make_bare_repo
from tests.promotion.conftest import write_notebook
from tests.promotion.test_plan_inputs import ALICE

IR = {"name": "ir", "display_name": "R", "language": "R"}
# A fake password assembled at run time so this file does not trip scanners itself.
PASSWORD = "".join(["hunter2", "-Kx9", "qz"])


@pytest.fixture
def env(git_server):
    make_bare_repo(git_server.root, "deploy")
    return Environment("dev", "deploy/dev", remote=f"{git_server.url}/deploy.git")


def r_notebook(root, *cells, name="report.ipynb"):
    return write_notebook(
        root / name, list(cells), kernelspec=IR, language_info={"name": "R", "version": "4.2.2"}
    )


def test_an_r_notebook_is_stripped_and_paired_with_its_r_script_and_the_files_it_sources(tmp_path, env):
    (tmp_path / "R").mkdir()
    (tmp_path / "R" / "scale.R").write_text("scale <- function(x) x * 100\n")
    (tmp_path / "helpers.R").write_text('source("R/scale.R")\nlabel <- function(x) paste("EA", x)\n')
    (tmp_path / "unused.R").write_text("x <- 1\n")
    params = new_code_cell("year <- 2025", metadata={"tags": ["parameters"]})
    code = new_code_cell('source("helpers.R")\nprint(scale(year))', execution_count=2)
    code.outputs = [new_output("stream", name="stdout", text="[1] 202500\n")]
    r_notebook(tmp_path, new_markdown_cell("# Inflation in R"), params, code)

    plan = build_plan(tmp_path, "report.ipynb", env, GitTarget(env.remote), ALICE)

    files = {f.destination: f for f in plan.files}
    assert sorted(files) == [
        "notebooks/R/scale.R",
        "notebooks/helpers.R",
        "notebooks/report.R",
        "notebooks/report.ipynb",
    ]
    assert [files[d].kind for d in sorted(files)] == ["module", "module", "script", "notebook"]
    script = files["notebooks/report.R"].content.decode()
    assert '# %% tags=["parameters"]\nyear <- 2025' in script
    assert "# # Inflation in R" in script and 'source("helpers.R")' in script
    notebook = files["notebooks/report.ipynb"].content.decode()
    assert '"name": "ir"' in notebook and "202500" not in notebook
    assert plan.scan.clean


def test_an_r_step_module_goes_to_steps(tmp_path, env):
    (tmp_path / "load.R").write_text('register("load", function(vars) list(rows = 3))\n')
    plan = build_plan(tmp_path, "load.R", env, GitTarget(env.remote), ALICE)
    assert [(f.destination, f.kind) for f in plan.files] == [("steps/load.R", "step")]


def test_a_secret_assigned_with_the_r_arrow_is_found_in_a_cell_and_in_an_r_file(tmp_path):
    leak = f'db_password <- "{PASSWORD}"'
    path = r_notebook(tmp_path, new_code_cell(f"library(DBI)\n{leak}"))
    cell_findings = scan_notebook(nbformat.read(path, as_version=4), "report.ipynb")
    assert [(f.kind, f.cell, f.part, f.line) for f in cell_findings] == [("Secret Keyword", 1, "source", 2)]
    assert [(f.kind, f.line) for f in scan_text(f"x <- 1\n{leak}\n", "steps/load.R")] == [
        ("Secret Keyword", 2)
    ]


def test_a_secret_in_an_r_notebook_blocks_its_promotion(tmp_path, env):
    r_notebook(tmp_path, new_code_cell(f'api_key <<- "{PASSWORD}"'), name="leaky.ipynb")
    plan = build_plan(tmp_path, "leaky.ipynb", env, GitTarget(env.remote), ALICE)
    assert [(f.file, f.cell) for f in plan.scan.findings] == [("leaky.ipynb", 1)]
