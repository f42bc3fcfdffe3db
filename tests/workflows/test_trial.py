"""Trying a step in the kernel, without the engine: the log a run would record (secrets masked),
the outputs, the BPMN error path, and the errors a run would give."""

from __future__ import annotations

import logging
import textwrap

import pytest

import dataops.workflows as wf
from dataops.errors import InvalidInput, NotFound
from dataops.workflows.steps import MissingVariable


def test_a_step_runs_with_the_variables_a_task_gives_and_shows_its_log_and_outputs(capsys):
    @wf.step("trial_fetch")
    def fetch(flow: str, period: str = "2026-10") -> dict:
        print(f"fetching {flow} for {period}")
        logging.getLogger("trial").info("connecting to https://alice:hunter2@sdmx.example/ws")
        return {"rows": 12, "flow": flow}

    trial = wf.try_step(fetch, {"flow": "EXR", "unused": 1})
    assert trial.outputs == {"rows": 12, "flow": "EXR"}
    assert [r.level for r in trial.log] == ["INFO", "INFO"]
    assert trial.log[0].message == "fetching EXR for 2026-10"
    assert "[REDACTED]@sdmx.example/ws" in trial.log[1].message and "hunter2" not in trial.log[1].message
    shown = capsys.readouterr().out
    assert "fetching EXR for 2026-10" in shown and "hunter2" not in shown
    assert "→ outputs: {'rows': 12, 'flow': 'EXR'}" in shown
    # the same step by its topic
    assert wf.try_step("trial_fetch", {"flow": "YC"}, show=False).outputs["flow"] == "YC"


def test_a_bpmn_error_is_shown_as_the_path_the_process_takes(capsys):
    @wf.step("trial_validate")
    def validate(rows: int) -> None:
        raise wf.BpmnError("VALIDATION_FAILED", f"{rows} rows break the plausibility rules")

    trial = wf.try_step(validate, {"rows": 3})
    assert trial.bpmn_error is not None and trial.bpmn_error.code == "VALIDATION_FAILED"
    assert "BPMN error VALIDATION_FAILED: 3 rows break the plausibility rules" in capsys.readouterr().out


def test_what_a_run_would_refuse_is_refused_with_the_log_shown(capsys):
    @wf.step("trial_broken")
    def broken(flow: str) -> dict:
        print("about to fail")
        raise RuntimeError("the provider answered 503")

    with pytest.raises(MissingVariable, match="needs the process variable 'flow'"):
        wf.try_step(broken, {})
    with pytest.raises(RuntimeError, match="503"):
        wf.try_step(broken, {"flow": "EXR"})
    assert "about to fail" in capsys.readouterr().out

    @wf.step("trial_output")
    def unstorable() -> dict:
        return {"handle": object()}

    with pytest.raises(InvalidInput, match="Variable 'handle' holds a object"):
        wf.try_step(unstorable)


def test_a_topic_is_found_in_a_steps_folder_or_named_as_missing(tmp_path):
    (tmp_path / "prod_steps.py").write_text(
        textwrap.dedent(
            """
            from dataops.workflows import step

            @step("trial_folder_report")
            def report(period):
                print("report for", period)
                return {"pages": 6}
            """
        )
    )
    trial = wf.try_step("trial_folder_report", {"period": "2026-10"}, steps=tmp_path, show=False)
    assert trial.outputs == {"pages": 6} and trial.lines()[0].endswith("report for 2026-10")
    with pytest.raises(NotFound, match="No step is registered for the topic 'nope' in this kernel or in"):
        wf.try_step("nope", steps=tmp_path)
