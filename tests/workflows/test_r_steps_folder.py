"""R steps in a steps folder and in the commits a following worker serves: topics found by R,
hot reload, broken files reported like broken Python modules, a missing Rscript said plainly."""

from __future__ import annotations

import shutil

import pytest

from dataops.errors import ConfigError
from dataops.workflows import capture
from dataops.workflows.follow import FollowConfig, FollowedSteps
from dataops.workflows.r_steps import RError
from dataops.workflows.steps import StepsFolder, Task
from dataops.workflows.trial import try_step
from tests.workflows.test_follow import Remote

REPORT = """
source("_helpers.R")  # a neighbour in the steps folder, not a steps file itself
dataops_step("report", function(vars) {{
  cat("report {version}\\n")
  list(version = label("{version}"))
}})
dataops_step("other_{version}", function() NULL)
"""
HELPERS = 'label <- function(v) paste0("version ", v)\n'


def _run(steps, topic: str, **variables) -> tuple[dict, list[str]]:
    lines: list = []
    log = capture.TaskLog(lines.append, run_id="r")
    task = Task(id="t", topic=topic, run_id="r", variables=variables)
    outputs = capture.run_captured(log, steps.registry.get(topic).call, task)
    return outputs, [r.message for r in lines]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "_helpers.R").write_text(HELPERS)
    return tmp_path


def test_an_r_file_registers_its_topics_and_a_new_version_is_served_after_a_change(folder):
    (folder / "report.R").write_text(REPORT.format(version="v1"))
    steps = StepsFolder(folder)
    try:
        assert steps.refresh() is True
        assert steps.registry.topics == ["other_v1", "report"]
        first = steps.version
        assert first.startswith("files-")
        assert _run(steps, "report") == ({"version": "version v1"}, ["report v1"])
        assert steps.refresh() is False  # nothing changed: R is not asked again

        (folder / "report.R").write_text(REPORT.format(version="v2"))
        assert steps.refresh() is True
        assert steps.registry.topics == ["other_v2", "report"]
        assert steps.version != first
        assert _run(steps, "report") == ({"version": "version v2"}, ["report v2"])
    finally:
        steps.close()


def test_a_broken_r_file_is_reported_and_the_previous_version_goes_on_serving(folder):
    (folder / "report.R").write_text(REPORT.format(version="v1"))
    steps = StepsFolder(folder)
    try:
        steps.refresh()
        good = steps.version
        (folder / "report.R").write_text('dataops_step("report", function(vars) {\n  list(\n')
        assert steps.refresh() is False
        assert steps.load_error is not None
        assert f"The steps in {folder} failed to load: ConfigError: report.R does not source in R:" in (
            steps.load_error
        )
        assert f"{folder}/report.R:" in steps.load_error and "unexpected end of input" in steps.load_error
        assert steps.version == good
        # the version served runs as it was, not as the file on disk now is
        assert _run(steps, "report") == ({"version": "version v1"}, ["report v1"])
    finally:
        steps.close()


def test_a_broken_r_file_on_first_load_is_a_configuration_error(folder):
    (folder / "calc.R").write_text('library(notAnInstalledPackage)\ndataops_step("calc", function() NULL)\n')
    steps = StepsFolder(folder)
    try:
        with pytest.raises(ConfigError, match="calc.R does not source in R: .*notAnInstalledPackage"):
            steps.refresh()
    finally:
        steps.close()


def test_a_topic_registered_in_python_and_in_r_is_a_configuration_error(folder):
    (folder / "report.R").write_text(REPORT.format(version="v1"))
    (folder / "report_py.py").write_text(
        "from dataops.workflows import step\n@step('report')\ndef report():\n    return None\n"
    )
    steps = StepsFolder(folder)
    try:
        with pytest.raises(ConfigError, match="The topic 'report' is registered twice"):
            steps.refresh()
    finally:
        steps.close()


def test_an_r_error_carries_its_traceback_with_the_files_place(folder):
    (folder / "fail.R").write_text(
        'dataops_step("fail", function(vars) {\n  cat("start\\n")\n  log(vars$x)\n})\n'
    )
    steps = StepsFolder(folder)
    try:
        steps.refresh()
        with pytest.raises(RError) as caught:
            _run(steps, "fail", x="text")
    finally:
        steps.close()
    assert str(caught.value) == "Error in log(vars$x): non-numeric argument to mathematical function"
    assert caught.value.r_traceback.splitlines()[:2] == [
        "R traceback (fail.R, topic 'fail'; most recent call last):",
        '  1: dataops_step("fail") function defined at fail.R#1',
    ]


def test_without_rscript_r_steps_say_what_to_install(folder, monkeypatch, tmp_path_factory):
    (folder / "report.R").write_text(REPORT.format(version="v1"))
    tools = tmp_path_factory.mktemp("bin")  # a PATH with git but no R
    (tools / "git").symlink_to(shutil.which("git"))
    monkeypatch.setenv("PATH", str(tools))
    steps = StepsFolder(folder)
    try:
        with pytest.raises(ConfigError) as caught:
            steps.refresh()
    finally:
        steps.close()
    assert caught.value.message.endswith(
        "R steps need Rscript, which is not installed on this machine: "
        "install R (apt-get install r-base-core r-cran-jsonlite)."
    )


def test_a_followed_branch_serves_its_r_steps_named_by_commit(tmp_path):
    remote = Remote(tmp_path)
    v1 = remote.push({"steps/report.R": REPORT.format(version="v1"), "steps/_helpers.R": HELPERS}, "v1")
    steps = FollowedSteps(FollowConfig(remote.url, "deploy/dev", interval_s=0), cache=tmp_path / "cache")
    try:
        assert steps.refresh() is True
        assert steps.version == v1[:12]
        assert _run(steps, "report") == ({"version": "version v1"}, ["report v1"])
        broken = remote.push({"steps/report.R": "dataops_step(\n"}, "broken")
        assert steps.refresh() is False
        assert f"commit {broken[:12]} of deploy/dev of {remote.url} is not served" in steps.load_error
        assert "report.R does not source in R" in steps.load_error
        v3 = remote.push({"steps/report.R": REPORT.format(version="v3")}, "v3")
        assert steps.refresh() is True
        assert (steps.version, _run(steps, "report")[0]) == (v3[:12], {"version": "version v3"})
    finally:
        steps.close()


def test_text_outside_ascii_keeps_its_letters_whatever_the_workers_locale(folder, monkeypatch):
    (folder / "city.R").write_text(
        'dataops_step("city", function(vars) {\n  cat(vars$city, "\\n")\n  message("in ", vars$city)\n'
        "  list(city = toupper(vars$city))\n})\n",
        encoding="utf-8",
    )
    for name in ("LANG", "LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(name, raising=False)
    steps = StepsFolder(folder)
    try:
        steps.refresh()
        assert _run(steps, "city", city="Zürich") == ({"city": "ZÜRICH"}, ["Zürich ", "in Zürich"])
    finally:
        steps.close()


def test_an_r_step_can_be_tried_in_the_kernel_by_its_topic(folder):
    (folder / "report.R").write_text(REPORT.format(version="v1"))
    trial = try_step("report", {}, steps=folder, show=False)
    assert trial.outputs == {"version": "version v1"}
    assert [r.message for r in trial.log if r.source == "stdout"] == ["report v1"]
