"""Test helpers for workflows: small BPMN processes, step folders and real worker processes.

Every test publishes its own process with its own topics, so workers of other tests sharing the
session's engine never take its tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="defs_{key}" targetNamespace="http://dataops.example/tests">
  {errors}
  <bpmn:process id="{key}" name="{name}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" name="Start"/>
    {body}
    <bpmn:endEvent id="end" name="Done"/>
  </bpmn:process>
</bpmn:definitions>
"""


def unique(prefix: str) -> str:
    """A name no other test uses (process keys, topics)."""
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def process_xml(
    key: str, tasks: list[tuple[str, str]], *, name: str = "", error_on: str | None = None
) -> str:
    """A linear process start → tasks (activity id, topic) → end; ``error_on`` adds a BPMN error path.

    The error path catches error code ``NO_DATA`` on that activity and ends in ``end_no_data``.
    """
    body, previous = [], "start"
    for activity, topic in tasks:
        body.append(
            f'<bpmn:serviceTask id="{activity}" name="{activity.title()}" camunda:type="external" '
            f'camunda:topic="{topic}"/>'
        )
        body.append(
            f'<bpmn:sequenceFlow id="f_{previous}_{activity}" sourceRef="{previous}" targetRef="{activity}"/>'
        )
        previous = activity
    body.append(f'<bpmn:sequenceFlow id="f_{previous}_end" sourceRef="{previous}" targetRef="end"/>')
    errors = ""
    if error_on:
        errors = '<bpmn:error id="err_no_data" name="No data" errorCode="NO_DATA"/>'
        body.append(
            f'<bpmn:boundaryEvent id="on_no_data" attachedToRef="{error_on}">'
            '<bpmn:errorEventDefinition errorRef="err_no_data"/></bpmn:boundaryEvent>'
            '<bpmn:endEvent id="end_no_data" name="No data"/>'
            '<bpmn:sequenceFlow id="f_no_data" sourceRef="on_no_data" targetRef="end_no_data"/>'
        )
    return _BPMN.format(key=key, name=name or key, errors=errors, body="\n    ".join(body))


def write_steps(folder: Path, source: str, name: str = "steps_under_test.py") -> Path:
    """Write one step module into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(source))
    return folder


def wait_until(
    predicate: Callable[[], Any], timeout: float = 60.0, interval: float = 0.2, what: str = ""
) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(interval)


class WorkerProcess:
    """A real ``dataops worker`` process."""

    def __init__(
        self,
        engine_url: str,
        steps: Path | None,
        log_dir: Path,
        worker_id: str,
        *extra: str,
        config: str = "",
    ) -> None:
        """Start the worker; ``config`` is TOML for its own configuration file (empty by default);
        ``steps`` None: the steps come from ``extra`` (``--follow``) or ``config``."""
        self.worker_id = worker_id
        self.stderr_path = log_dir / f"{worker_id}.stderr"
        log_dir.mkdir(parents=True, exist_ok=True)
        config_file = log_dir / f"{worker_id}.toml"
        # The worker's file is its administrator's, as on a server that runs workers for its users.
        env = {**os.environ, "PYTHONPATH": str(REPO), "DATAOPS_SYSTEM_CONFIG": str(config_file)}
        env.pop("DATAOPS_CONFIG", None)
        config_file.write_text(config)
        args = [
            sys.executable, "-m", "dataops.cli", "worker",
            "--engine-url", engine_url, *(["--steps", str(steps)] if steps else []), "--log-dir", str(log_dir),
            "--worker-id", worker_id, "--long-poll", "1", "--lock-duration", "4", "--retry-timeout", "0",
            *extra,
        ]  # fmt: skip
        self._err = self.stderr_path.open("wb")
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=self._err, cwd=REPO)

    @property
    def stderr(self) -> str:
        """What the worker said on stderr so far."""
        return self.stderr_path.read_text()

    def kill(self) -> None:
        """SIGKILL: no chance to release anything."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM and wait for a graceful exit."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._err.close()
        return self.proc.returncode

    def __enter__(self) -> WorkerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
