"""Steps are registered by topic, bound to process variables, and reloaded when the folder changes."""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from dataops.errors import ConfigError
from dataops.workflows.steps import MissingVariable, Registry, Step, StepsFolder, Task


def _write(folder, name, body):
    (folder / name).write_text(textwrap.dedent(body))


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def _task(**variables):
    return Task(id="t", topic="fetch", run_id="r", variables=variables)


def test_parameters_are_bound_from_variables_and_defaults_fill_gaps():
    def fetch(flow, period="2026-10", task=None):
        return {"got": f"{flow}/{period}/{task.run_id}"}

    assert Step("fetch", fetch).call(_task(flow="EXR", other=1)) == {"got": "EXR/2026-10/r"}
    assert Step("fetch", fetch).variable_names == ["flow", "period"]


def test_a_missing_variable_names_the_step_and_the_variable():
    with pytest.raises(MissingVariable, match="topic 'fetch' needs the process variable 'flow'"):
        Step("fetch", lambda flow: None).call(_task())


def test_kwargs_receive_every_variable_and_fetch_all():
    def report(**variables):
        return {"n": len(variables)}

    step_ = Step("report", report)
    assert step_.variable_names is None
    assert step_.call(_task(a=1, b=2)) == {"n": 2}


def test_a_step_returning_something_else_than_a_dict_is_refused():
    with pytest.raises(TypeError, match="returns a dict of output variables or None"):
        Step("fetch", lambda: 42).call(_task())


def test_one_topic_cannot_have_two_functions():
    reg = Registry()

    def a():
        pass

    def b():
        pass

    reg.add(Step("fetch", a))
    with pytest.raises(ConfigError, match="registered twice"):
        reg.add(Step("fetch", b))


def test_a_folder_reloads_between_versions_and_reports_the_git_commit(tmp_path):
    folder = tmp_path / "steps"
    folder.mkdir()
    _write(folder, "helpers.py", "SUFFIX = 'v1'\n")
    _write(
        folder,
        "prod.py",
        """
        from dataops.workflows import step
        from helpers import SUFFIX

        @step("fetch")
        def fetch(flow):
            return {"version": flow + SUFFIX}
        """,
    )
    _git(folder, "init", "-q")
    _git(folder, "-c", "user.email=a@b", "-c", "user.name=a", "add", ".")
    _git(folder, "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "v1")
    steps = StepsFolder(folder)
    try:
        assert steps.refresh() is True
        first = steps.version
        assert len(first) == 12 and "+dirty" not in first
        assert steps.registry.get("fetch").call(_task(flow="EXR")) == {"version": "EXRv1"}
        assert steps.refresh() is False

        _write(folder, "helpers.py", "SUFFIX = 'v2'\n")  # same size, same second: still reloaded
        assert steps.refresh() is True
        assert steps.version == first + "+dirty"
        assert steps.registry.get("fetch").call(_task(flow="EXR")) == {"version": "EXRv2"}

        _git(folder, "-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qam", "v2")
        assert steps.refresh() is True
        assert steps.version != first and "+dirty" not in steps.version
    finally:
        steps.close()


def test_a_version_that_fails_to_import_keeps_the_previous_one_serving(tmp_path):
    _write(
        tmp_path,
        "prod.py",
        "from dataops.workflows import step\n@step('fetch')\ndef fetch():\n    return {'v': 1}\n",
    )
    steps = StepsFolder(tmp_path)
    try:
        steps.refresh()
        good = steps.version
        assert good.startswith("files-")
        _write(tmp_path, "prod.py", "from dataops.workflows import step\n@step('fetch'\n")
        assert steps.refresh() is False
        assert "failed to load: SyntaxError" in steps.load_error
        assert steps.version == good
        assert steps.registry.get("fetch").call(_task()) == {"v": 1}
    finally:
        steps.close()


def test_a_broken_folder_on_first_load_is_a_configuration_error(tmp_path):
    _write(tmp_path, "prod.py", "raise RuntimeError('no database')\n")
    steps = StepsFolder(tmp_path)
    try:
        with pytest.raises(ConfigError, match="RuntimeError: no database"):
            steps.refresh()
    finally:
        steps.close()


def test_topics_from_configuration_name_module_and_function(tmp_path):
    _write(tmp_path, "extra.py", "def report(x):\n    return {'y': x + 1}\n")
    steps = StepsFolder(tmp_path, {"report": "extra:report"})
    try:
        steps.refresh()
        assert steps.registry.get("report").call(Task("t", "report", "r", variables={"x": 1})) == {"y": 2}
    finally:
        steps.close()


def test_a_missing_folder_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        StepsFolder(tmp_path / "nope")
