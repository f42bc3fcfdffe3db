"""Try a step in the kernel, without the engine: ``wf.try_step(fetch, {"flow": "EXR"})``.

The step runs as a worker would run it (its parameters bound from the variables, its ``print``,
``logging`` and ``warnings`` captured as log records with secrets masked, its outputs checked
against what the engine can store), and the log and the outputs are shown in the notebook. A
`BpmnError` is shown as the BPMN error the process would take; any other exception is raised after
the log is shown, as the incident's traceback would be.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataops.errors import NotFound
from dataops.workflows import capture
from dataops.workflows.camunda_codec import encode_variables
from dataops.workflows.logs import LogRecord
from dataops.workflows.steps import BpmnError, Step, StepsFolder, Task, default_registry

TRIAL_VERSION = "kernel"


@dataclass
class StepTrial:
    """What one try of a step gave: its outputs (or the BPMN error it threw) and its log."""

    topic: str
    outputs: dict[str, Any]
    log: list[LogRecord] = field(default_factory=list)
    bpmn_error: BpmnError | None = None

    def lines(self) -> list[str]:
        """The log as the Workflows panel shows it: time, level, message."""
        return [f"{r.timestamp[11:23]} {r.level:<7} {r.message}" for r in self.log]


def try_step(
    step: Callable[..., Any] | str,
    variables: dict[str, Any] | None = None,
    *,
    steps: str | Path | None = None,
    business_key: str | None = None,
    show: bool = True,
) -> StepTrial:
    """Run ``step`` (a function decorated with ``@step``, or a topic) with ``variables`` as a task of
    a run would give them, in this kernel; show its log and outputs (``show``) and return them.

    A topic is looked up among the steps defined in this kernel, else in the folder ``steps``.
    Raises what the step raises (after showing its log), `MissingVariable` when a parameter has
    no variable, `InvalidInput` when an output could not be stored by the engine.
    """
    found = _resolve(step, steps)
    run_id = f"try-{uuid.uuid4().hex[:12]}"
    task = Task(
        id=run_id,
        topic=found.topic,
        run_id=run_id,
        activity_id=found.topic,
        business_key=business_key,
        worker=TRIAL_VERSION,
        step_version=TRIAL_VERSION,
        variables=dict(variables or {}),
    )
    records: list[LogRecord] = []
    capture.install()
    log = capture.TaskLog(
        records.append,
        run_id=run_id,
        activity_id=found.topic,
        worker=TRIAL_VERSION,
        step_version=TRIAL_VERSION,
    )
    trial = StepTrial(found.topic, {}, records)
    try:
        trial.outputs = capture.run_captured(log, found.call, task)
        encode_variables(trial.outputs)  # what the engine could not store fails here, as in a run
    except BpmnError as exc:
        trial.bpmn_error = exc
    except BaseException:
        if show:
            _show(trial)
        raise
    if show:
        _show(trial)
    return trial


def _resolve(step: Callable[..., Any] | str, steps: str | Path | None) -> Step:
    if callable(step):
        for registered in default_registry.steps.values():
            if registered.fn is step:
                return registered
        return Step(getattr(step, "__name__", "step"), step)
    if step in default_registry.steps:
        return default_registry.get(step)
    if steps is not None:
        folder = StepsFolder(steps)
        try:
            folder.refresh()
            if step in folder.registry.steps:
                return folder.registry.get(step)
        finally:
            folder.close()
    where = f" or in {steps}" if steps is not None else " (pass steps= to look in a folder)"
    raise NotFound(f"No step is registered for the topic {step!r} in this kernel{where}.")


def _show(trial: StepTrial) -> None:
    out = sys.stdout
    for line in trial.lines():
        out.write(line + "\n")
    if trial.bpmn_error is not None:
        error = trial.bpmn_error
        out.write(
            f"→ BPMN error {error.code}: {error.message or error.code} (the process takes its error path)\n"
        )
    else:
        out.write(f"→ outputs: {trial.outputs!r}\n")
    out.flush()
