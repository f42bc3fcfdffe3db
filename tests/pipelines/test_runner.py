"""`dataops run`: notebooks as regression tests, with parameters, reports, timeouts and baselines."""

from __future__ import annotations

import json

import nbformat
import pytest
from lxml import etree

from dataops.cli import main
from tests.pipelines.builders import notebook, outputs_text

SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _junit(path):
    return etree.parse(str(path), SAFE).getroot()


def test_passing_notebooks_run_in_order_and_are_written_with_their_outputs(work, capsys):
    notebook(work / "nb" / "one.ipynb", "open('order.txt', 'a').write('one\\n')", "print('first done')")
    notebook(work / "nb" / "two.ipynb", "open('order.txt', 'a').write('two\\n')")

    code = main(["run", "nb/one.ipynb", "nb/two.ipynb", "--output-dir", "out", "--junit", "report.xml"])

    assert code == 0
    assert (work / "nb" / "order.txt").read_text() == "one\ntwo\n"  # each runs in its own folder
    assert "first done" in outputs_text(work / "out" / "nb" / "one.ipynb")
    suite = _junit(work / "report.xml").find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "0"
    assert [c.get("name") for c in suite.iter("testcase")] == ["one.ipynb", "two.ipynb"]
    timings = json.loads((work / "out" / "timings.json").read_text())["notebooks"]
    assert set(timings) == {"nb/one.ipynb", "nb/two.ipynb"} and all(t > 0 for t in timings.values())
    out = capsys.readouterr().out
    assert "PASSED   nb/one.ipynb" in out and "2 notebook(s): 2 passed" in out


def test_a_failing_cell_is_named_in_the_junit_failure_and_stops_the_run(work, capsys):
    notebook(
        work / "bad.ipynb",
        "rows = 3",
        "md:## Check",
        "assert rows == 4, f'expected 4 rows, got {rows}'",
        "print('never')",
        parameters="limit = 1",
    )
    notebook(work / "after.ipynb", "print('x')")

    code = main(["run", "bad.ipynb", "after.ipynb", "--junit", "report.xml", "--quiet"])

    assert code == 3
    cases = {c.get("name"): c for c in _junit(work / "report.xml").iter("testcase")}
    failure = cases["bad.ipynb"].find("failure")
    assert failure.get("message") == "AssertionError: expected 4 rows, got 3"
    assert failure.text.startswith("Cell 4 (In [")  # parameters cell, code, markdown, then the assert
    assert "assert rows == 4" in failure.text and "Traceback" in failure.text
    assert cases["after.ipynb"].find("skipped") is not None
    executed = (work / "executed" / "bad.ipynb").read_text()
    assert "expected 4 rows, got 3" in executed  # the executed notebook keeps the traceback
    assert "AssertionError: expected 4 rows, got 3 in cell 4" in capsys.readouterr().out


def test_keep_going_runs_the_notebooks_after_a_failure(work):
    notebook(work / "bad.ipynb", "1/0")
    notebook(work / "good.ipynb", "open('ran', 'w').write('yes')")

    assert main(["run", "bad.ipynb", "good.ipynb", "--keep-going", "--quiet", "--junit", "r.xml"]) == 3
    assert (work / "ran").read_text() == "yes"
    suite = _junit(work / "r.xml").find("testsuite")
    assert (suite.get("failures"), suite.get("skipped")) == ("1", "0")


def test_a_notebook_over_its_time_limit_is_a_timeout_with_its_own_exit_code(work):
    notebook(work / "slow.ipynb", "import time", "time.sleep(0.5)", "time.sleep(60)", "print('late')")

    code = main(["run", "slow.ipynb", "--timeout", "4", "--junit", "report.xml", "--quiet"])

    assert code == 4
    error = _junit(work / "report.xml").find(".//testcase/error")
    assert error.get("type") == "timeout"
    assert error.get("message") == "The notebook did not finish within 4 s."
    assert error.text.startswith("Cell 3")  # the whole notebook's limit, not each cell's
    assert "time.sleep(60)" in error.text


def test_parameters_from_a_file_and_the_command_line_reach_the_parameters_cell(work):
    notebook(
        work / "p.ipynb",
        "open('seen.json', 'w').write(__import__('json').dumps([country, year, scale, draft]))",
        parameters="country = 'AT'\nyear = 2000\nscale = 1.0\ndraft = True",
    )
    (work / "params.yaml").write_text("country: DE\nyear: 2023\nscale: 0.5\n")

    code = main(["run", "p.ipynb", "-f", "params.yaml", "-p", "year=2024", "-p", "draft=False", "--quiet"])

    assert code == 0
    assert json.loads((work / "seen.json").read_text()) == ["DE", 2024, 0.5, False]
    executed = (work / "executed" / "p.ipynb").read_text()
    assert "injected-parameters" in executed  # papermill's convention: a cell after the parameters cell


def test_a_notebook_can_generate_its_own_test_data(work):
    notebook(
        work / "data.ipynb",
        "import pandas as pd\n"
        "pd.DataFrame({'period': ['2024-Q1', '2024-Q2'], 'value': [1.5, 2.5]}).to_csv(path, index=False)",
        "df = pd.read_csv(path)\nassert df['value'].sum() == 4.0\nprint(len(df), 'rows')",
        parameters="path = 'sample.csv'",
    )

    assert main(["run", "data.ipynb", "--quiet"]) == 0
    assert (work / "sample.csv").read_text().startswith("period,value")
    assert "2 rows" in outputs_text(work / "executed" / "data.ipynb")


def test_a_notebook_slower_than_the_baseline_allows_is_a_regression(work, capsys):
    notebook(work / "fast.ipynb", "x = 1")
    notebook(work / "slow.ipynb", "import time; time.sleep(3)")
    first = main(["run", "fast.ipynb", "slow.ipynb", "--quiet", "--timings", "base.json"])
    assert first == 0
    base = json.loads((work / "base.json").read_text())
    base["notebooks"]["slow.ipynb"] = 0.5  # as if it used to take half a second
    # Kernel start-up varies several-fold on a loaded machine: the fast notebook's baseline leaves it
    # far inside the tolerance, so only the deliberate slow-down decides the outcome.
    base["notebooks"]["fast.ipynb"] = 600.0
    (work / "base.json").write_text(json.dumps(base))
    capsys.readouterr()

    code = main(
        [
            "run",
            "fast.ipynb",
            "slow.ipynb",
            "--quiet",
            "--junit",
            "r.xml",
            "--baseline",
            "base.json",
            "--tolerance",
            "50%",
        ]
    )

    assert code == 5
    out = capsys.readouterr().out
    slow_row = next(line for line in out.splitlines() if line.startswith("slow.ipynb") and "0.50" in line)
    assert slow_row.rstrip().endswith("SLOWER")
    fast_row = next(line for line in out.splitlines() if line.startswith("fast.ipynb") and "%" in line)
    assert "SLOWER" not in fast_row
    failure = _junit(work / "r.xml").find(".//testcase[@name='slow.ipynb']/failure")
    assert failure.get("type") == "performance_regression"
    assert "baseline of 0.50 s (tolerance 50%)" in failure.get("message")


def test_failure_wins_over_timeout_and_regression_in_the_exit_code(work):
    notebook(work / "bad.ipynb", "raise ValueError('bad input data')")
    notebook(work / "slow.ipynb", "import time; time.sleep(600)")

    # The timeout leaves bad.ipynb time to start its kernel and fail even on a busy machine.
    assert main(["run", "slow.ipynb", "bad.ipynb", "--keep-going", "--timeout", "15", "--quiet"]) == 3


def test_a_list_file_names_notebooks_and_globs_in_order(work):
    notebook(work / "notebooks" / "b.ipynb", "open('/dev/null')")
    notebook(work / "notebooks" / "a.ipynb", "x = 1")
    notebook(work / "setup.ipynb", "x = 1")
    (work / "list.txt").write_text("# setup first\nsetup.ipynb\nnotebooks/*.ipynb\n")

    assert main(["run", "--list", "list.txt", "--quiet", "--junit", "r.xml"]) == 0
    names = [c.get("file") for c in _junit(work / "r.xml").iter("testcase")]
    assert names == ["setup.ipynb", "notebooks/a.ipynb", "notebooks/b.ipynb"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.ipynb"], "The notebook missing.ipynb does not exist."),
        (["ok.ipynb", "-p", "year"], "The parameter 'year' must be written name=value"),
        (["ok.ipynb", "--tolerance", "lots"], "The tolerance 'lots' must be a percentage such as 20%."),
        (["ok.ipynb", "--baseline", "nope.json"], "The baseline file nope.json does not exist."),
        (["ok.ipynb", "-f", "p.yaml"], "The parameter file p.yaml must hold one mapping"),
    ],
)
def test_bad_input_is_refused_with_a_sentence_before_anything_runs(work, capsys, args, message):
    notebook(work / "ok.ipynb", "open('ran', 'w')")
    (work / "p.yaml").write_text("- just\n- a list\n")

    assert main(["run", *args]) == 1
    assert message in capsys.readouterr().err
    assert not (work / "ran").exists()


def test_a_notebook_without_kernel_metadata_runs_in_the_default_python_kernel(work):
    bare = nbformat.v4.new_notebook()  # as nbformat, jupytext or another tool writes it: no kernelspec
    bare.cells.append(nbformat.v4.new_code_cell("print('ran without metadata')"))
    nbformat.write(bare, work / "bare.ipynb")

    code = main(["run", "bare.ipynb", "--junit", "report.xml", "--quiet"])

    assert code == 0
    assert "ran without metadata" in outputs_text(work / "executed" / "bare.ipynb")
    assert _junit(work / "report.xml").find("testsuite").get("failures") == "0"


def test_a_notebook_that_cannot_run_is_a_failed_case_and_the_run_goes_on(work, capsys):
    (work / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    notebook(work / "exotic.ipynb", "print('x')")
    exotic = nbformat.read(work / "exotic.ipynb", as_version=4)
    exotic.metadata["kernelspec"]["name"] = "no-such-kernel"
    nbformat.write(exotic, work / "exotic.ipynb")
    notebook(work / "fine.ipynb", "print('fine ran')")

    code = main(
        ["run", "broken.ipynb", "exotic.ipynb", "fine.ipynb", "--keep-going", "--junit", "report.xml"]
    )

    assert code == 3
    cases = {c.get("name"): c for c in _junit(work / "report.xml").iter("testcase")}
    assert cases["broken.ipynb"].find("failure").get("message").startswith("The notebook could not be run: ")
    assert "'no-such-kernel', which is not installed here" in cases["exotic.ipynb"].find("failure").get(
        "message"
    )
    assert cases["fine.ipynb"].find("failure") is None
    assert "fine ran" in outputs_text(work / "executed" / "fine.ipynb")
    assert "Traceback" not in capsys.readouterr().err
