"""The `dataops` distribution on its own, as kernels, step workers and CI jobs install it.

Built from ``python/dataops`` the way a release is (an sdist, then a wheel from that sdist) and
installed into a fresh virtual environment from the package index, it must bring no Jupyter server,
read SDMX messages, run a workflow step the way ``dataops worker`` does and, with the ``run`` extra,
run notebooks with ``dataops run``. Only the last test adds the ``run`` extra (after checking that
``dataops run`` asks for it); the others hold with or without it.
"""

from __future__ import annotations

import json
import os
import tarfile
import textwrap
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from tests.packaging.venvs import Venv, create_venv
from tests.pipelines.builders import notebook, outputs_text

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "python" / "dataops"
VERSION = json.loads((REPO / "package.json").read_text())["version"]
JUPYTER_SERVERS = ("jupyterlab", "jupyter_server", "notebook")
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

# Building and installing from the index takes one to three minutes (pip's cache makes reruns faster).
pytestmark = pytest.mark.timeout(600)


@dataclass
class CoreBuild:
    """The installed venv and the two files `python -m build` made from python/dataops."""

    venv: Venv
    sdist: Path
    wheel: Path


@pytest.fixture(scope="module")
def core(tmp_path_factory) -> CoreBuild:
    """python/dataops built as sdist + wheel and the wheel installed (no extras) into a new venv."""
    tmp = tmp_path_factory.mktemp("core-dist")
    venv = create_venv(tmp)
    venv.pip("build")
    venv.run(venv.python, "-m", "build", "--outdir", tmp / "dist", CORE)
    (sdist,) = (tmp / "dist").glob("*.tar.gz")
    (wheel,) = (tmp / "dist").glob("*.whl")
    venv.pip(wheel)
    return CoreBuild(venv, sdist, wheel)


def test_the_sdist_and_the_wheel_hold_the_dataops_package_and_nothing_of_the_extension(core):
    sdist_dirs = {name.split("/")[1] for name in tarfile.open(core.sdist).getnames() if name.count("/")}
    wheel_dirs = {name.split("/")[0] for name in zipfile.ZipFile(core.wheel).namelist()}
    in_repo = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "dataops").rglob("*.py"))

    assert core.wheel.name == f"dataops_core-{VERSION}-py3-none-any.whl"
    assert wheel_dirs == {"dataops", f"dataops_core-{VERSION}.dist-info"}
    assert sorted(n for n in zipfile.ZipFile(core.wheel).namelist() if n.endswith(".py")) == in_repo
    assert {"dataops", "pyproject.toml", "README.md", "LICENSE"} <= sdist_dirs
    assert "jupyterlab_dataops" not in sdist_dirs and "tests" not in sdist_dirs


def test_installing_dataops_brings_no_jupyter_server_and_the_command_reports_the_version(core):
    core.venv.assert_no_jupyter_server(after="pip install dataops-core")

    assert core.venv.run("dataops", "--version").stdout.strip() == VERSION


def test_read_file_reads_real_sdmx_messages_with_the_installed_library(core, shared_dir):
    samples = shared_dir / "sdmx-samples"
    result = core.venv.script(
        f"""
        import json, dataops
        generic = dataops.read_file({str(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml")!r})
        specific = dataops.read_file({str(samples / "ESTAT/NAMA_10_GDP-ss.xml")!r})
        print(json.dumps({{
            "module": dataops.__file__,
            "generic": [len(generic), list(generic.columns[:7]), generic.attrs["sdmx"]["format"]],
            "first": [str(generic["TIME_PERIOD"].iloc[0]), float(generic["OBS_VALUE"].iloc[0])],
            "specific": specific[["geo", "TIME_PERIOD", "OBS_VALUE"]].astype(str).values.tolist(),
        }}))
        """
    )

    assert Path(result["module"]).is_relative_to(core.venv.root)  # the wheel, not the checkout
    assert result["generic"] == [
        252,
        ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX", "TIME_PERIOD", "OBS_VALUE"],
        "sdmx-ml-2.1-generic",
    ]
    assert result["first"] == ["1999-01", 1.16078]
    assert result["specific"] == [
        ["LU", "2012", "46526.2"],
        ["LU", "2013", "49094.5"],
        ["LU", "2014", "51791.3"],
        ["LU", "2015", "54142.3"],
    ]


def test_a_workflow_step_runs_and_logs_as_the_worker_runs_it(core, shared_dir):
    steps = core.venv.work / "steps"
    steps.mkdir()
    (steps / "gdp.py").write_text(
        textwrap.dedent(
            """
            import dataops
            from dataops.workflows import step

            @step("gdp_total")
            def gdp_total(path: str, task) -> dict:
                df = dataops.read_file(path)
                print(f"task {task.id}: {len(df)} observations")
                return {"total": round(float(df["OBS_VALUE"].sum()), 1)}
            """
        )
    )

    # The worker's own path without an engine: the steps folder, the step bound to the task's
    # variables, its output captured into the run log store.
    result = core.venv.script(
        f"""
        import json
        from dataops.workflows import capture
        from dataops.workflows.logs import LogStore, LogWriter
        from dataops.workflows.steps import StepsFolder, Task

        folder = StepsFolder({str(steps)!r})
        folder.refresh()
        store = LogStore({str(core.venv.work / "runs.sqlite")!r})
        writer = LogWriter(store)
        capture.install()
        task = Task(id="t-1", topic="gdp_total", run_id="run-1",
                    variables={{"path": {str(shared_dir / "sdmx-samples/ESTAT/NAMA_10_GDP-ss.xml")!r}}})
        log = capture.TaskLog(writer.write, run_id=task.run_id, task_id=task.id)
        outputs = capture.run_captured(log, folder.registry.get("gdp_total").call, task)
        writer.close()
        print(json.dumps({{
            "topics": folder.registry.topics,
            "outputs": outputs,
            "log": [[r.source, r.message] for r in store.read("run-1")],
        }}))
        """
    )

    assert result["topics"] == ["gdp_total"]
    assert result["outputs"] == {"total": 201554.3}
    assert ["stdout", "task t-1: 4 observations"] in result["log"]


def test_dataops_run_asks_for_the_run_extra_and_with_it_runs_a_notebook_with_a_junit_report(core, shared_dir):
    venv = core.venv
    sample = str(shared_dir / "sdmx-samples/ESTAT/NAMA_10_GDP-ss.xml")
    notebook(
        venv.work / "check.ipynb",
        "import importlib.util, os, sys\nimport dataops",
        f"assert os.path.realpath(sys.prefix) == {os.path.realpath(venv.root)!r}, sys.prefix",
        f"assert not [m for m in {JUPYTER_SERVERS!r} if importlib.util.find_spec(m)]",
        f"df = dataops.read_file({sample!r})\nassert len(df) == expected_rows, len(df)",
        "print('rows', len(df))",
        parameters="expected_rows = 0",
    )
    args = ("dataops", "run", "check.ipynb", "-p", "expected_rows=4", "--junit", "report.xml")

    without = venv.run(*args, check=False)
    assert without.returncode == 1, without.stderr
    assert "pip install 'dataops-core[run]'" in without.stderr

    venv.pip(f"{core.wheel}[run]")
    venv.assert_no_jupyter_server(after="pip install 'dataops-core[run]'")
    done = venv.run(*args, check=False)

    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    suite = etree.parse(str(venv.work / "report.xml"), SAFE).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors", "0")) == ("1", "0", "0")
    assert [c.get("name") for c in suite.iter("testcase")] == ["check.ipynb"]
    assert "rows 4" in outputs_text(venv.work / "executed" / "check.ipynb")


def test_the_extension_requires_the_library_at_its_own_version_and_leaves_it_the_command():
    extension = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    library = tomllib.loads((CORE / "pyproject.toml").read_text())["project"]

    assert f"dataops-core=={VERSION}" in extension["dependencies"]
    # One owner for the `dataops` command, or installing one distribution over the other removes it.
    assert "dataops" not in extension.get("scripts", {})
    assert library["scripts"] == {"dataops": "dataops.cli:main"}
