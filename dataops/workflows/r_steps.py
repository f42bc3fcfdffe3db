"""Steps written in R: ``steps/*.R`` files register functions by topic, each task runs in its own ``Rscript``.

A file of the steps folder registers its functions with ``dataops_step``::

    dataops_step("summarise", function(vars, config) {
      message("summarising ", vars$flow)          # an INFO line of the run log
      dataops_log("warning", "2 series are empty")  # a line at the level given
      if (vars$rows == 0) dataops_bpmn_error("NO_DATA", "nothing to summarise")
      list(series = 12)                             # the output variables (or NULL)
    })

The function takes any of ``vars`` (the process variables), ``config`` (the process's
configuration, as for Python steps) and ``task`` (ids, business key, step version).

Topics: each ``.R`` file is sourced by ``Rscript`` (``r/runner.R list``) in a process of its own,
once per content of the file, which lists what it registers. The file's code runs as a Python
module's does on import, but never in the worker process, and a file that does not source
(a syntax error, a missing package) is reported like a Python module that does not import.

A task: ``r/runner.R run`` gets the variables, the configuration and the task as a JSON file and
writes the outputs (or the error with its R traceback, or the BPMN error) to another file, so
nothing the step prints can spoil them. Its stdout and stderr are read line by line as R writes
them and recorded at once in the run's log: ``cat``/``print`` as INFO, ``message`` as INFO,
``warning`` as WARNING, ``dataops_log`` at its level, anything on stderr as WARNING.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dataops.errors import ConfigError
from dataops.workflows import capture
from dataops.workflows.steps import BpmnError, Step, Task

RUNNER = Path(__file__).resolve().parent / "r" / "runner.R"
INSTALL_HINT = "apt-get install r-base-core r-cran-jsonlite"
_MARK, _SEP = "\x1e", "\x1f"  # the runner's prefix of a line with a level: \x1eLEVEL\x1fsource\x1f
_LIST_TIMEOUT_S = 120

_topics_cache: dict[tuple[str, str], list[str]] = {}
_running: set[subprocess.Popen[bytes]] = set()
_running_lock = threading.Lock()


class RError(Exception):
    """An R step failed: ``str()`` is R's error, ``r_traceback`` the calls that led to it."""

    def __init__(self, message: str, r_traceback: str) -> None:
        super().__init__(message)
        self.r_traceback = r_traceback


def rscript() -> str:
    """The path of ``Rscript``; `ConfigError` naming what to install when there is none."""
    found = shutil.which("Rscript")
    if not found:
        raise ConfigError(
            f"R steps need Rscript, which is not installed on this machine: install R ({INSTALL_HINT})."
        )
    return found


def r_files(folder: Path) -> list[Path]:
    """The ``.R`` files of ``folder`` that may register steps (not hidden, ``_``-prefixed or tests)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix == ".R" and p.is_file() and not p.name.startswith((".", "_", "test_"))
    )


@dataclass(frozen=True)
class RFile:
    """A ``.R`` file of the steps folder as read at one time: what its steps run, even once the file
    on disk changed (a broken new version leaves the previous one serving, as for Python steps)."""

    path: Path
    source: bytes


def load_steps(path: Path) -> list[Step]:
    """The steps ``path`` registers, bound to its content as read now; `ConfigError` saying why
    when R cannot source it."""
    r_file = RFile(path, path.read_bytes())
    return [r_step(r_file, topic) for topic in topics_of(r_file)]


def topics_of(r_file: RFile) -> list[str]:
    """The topics ``r_file`` registers, listed by ``Rscript`` (once per content of the file)."""
    key = (str(r_file.path), hashlib.sha1(r_file.source, usedforsecurity=False).hexdigest())
    if key in _topics_cache:
        return _topics_cache[key]
    name = r_file.path.name
    with _copied(r_file) as (tmp, copy):
        result_file = tmp / "topics.json"
        command = [rscript(), str(RUNNER), "list", str(copy), str(r_file.path.parent), str(result_file)]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=_LIST_TIMEOUT_S, stdin=subprocess.DEVNULL, env=_r_env()
            )
        except subprocess.TimeoutExpired as exc:
            raise ConfigError(f"{name} took over {_LIST_TIMEOUT_S} s to source in R.") from exc
        result = _read_result(result_file)
        stderr = _here(done.stderr.decode(errors="replace"), tmp, r_file)
        error = _here(str(result.get("error", "")), tmp, r_file) if result else ""
    if result is None:
        why = _last_lines(stderr) or f"Rscript exited with status {done.returncode}"
        raise ConfigError(f"{name} could not be read by R: {why}")
    if error:
        raise ConfigError(f"{name} does not source in R: {error}")
    topics = [str(t) for t in result.get("topics", [])]
    _topics_cache[key] = topics
    return topics


def r_step(r_file: RFile, topic: str) -> Step:
    """The `Step` that runs the function ``r_file`` registers for ``topic`` in its own ``Rscript``."""

    def run(task: Task, **_variables: Any) -> dict[str, Any]:
        # **_variables: the worker then fetches every variable of the task, as R declares none
        return run_task(r_file, topic, task)

    run.__module__ = r_file.path.name
    run.__qualname__ = f'dataops_step("{topic}")'
    return Step(topic, run)


def run_task(r_file: RFile, topic: str, task: Task) -> dict[str, Any]:
    """Run ``topic``'s R function for ``task``; its lines go to the task log in force (`capture`).

    Returns the outputs; raises `BpmnError` for ``dataops_bpmn_error`` and `RError` for an R error
    or an ``Rscript`` that ended without a result.
    """
    log = capture.current()
    with _copied(r_file) as (tmp, copy):
        given, result_file = tmp / "input.json", tmp / "result.json"
        given.write_text(json.dumps(_input(task), default=str), encoding="utf-8")
        command = [
            rscript(),
            str(RUNNER),
            "run",
            str(copy),
            str(r_file.path.parent),
            topic,
            str(given),
            str(result_file),
        ]
        stderr_tail: list[str] = []
        # A session of its own: a Ctrl-C meant for the worker must not kill the step midway
        # (the worker decides what happens to a running task); `_kill_running` ends it at exit.
        with subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env=_r_env(),
        ) as proc:
            with _running_lock:
                _running.add(proc)
            try:
                status = _follow(proc, log, stderr_tail)
            finally:
                with _running_lock:
                    _running.discard(proc)
        result = _read_result(result_file)
        if result is not None and "error" in result:
            result = json.loads(_here(json.dumps(result), tmp, r_file))
    if result is None:
        why = _last_lines("\n".join(stderr_tail))
        raise RError(
            f"Rscript ended (exit status {status}) before the R step for topic '{topic}' returned"
            + (f": {why}" if why else ""),
            "",
        )
    if "bpmn_error" in result:
        error = result["bpmn_error"]
        raise BpmnError(str(error["code"]), str(error.get("message") or ""), _named(error.get("variables")))
    if "error" in result:
        error = result["error"]
        message = f"Error in {error['call']}: {error['message']}" if error.get("call") else error["message"]
        trace = "\n".join(f"  {line}" for line in error.get("traceback") or [])
        where = f"{r_file.path.name}, topic '{topic}'"
        raise RError(message, f"R traceback ({where}; most recent call last):\n{trace}\n{message}")
    return _named(result.get("outputs"))


def _r_env() -> dict[str, str]:
    """The worker's environment, in a UTF-8 locale: in the C locale R prints "Zürich" from the
    variables as "Z<U+00FC>rich", and the log reads its lines as UTF-8."""
    env = dict(os.environ)
    locale = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
    if "utf-8" not in locale.lower().replace("utf8", "utf-8"):
        env.pop("LC_ALL", None)
        env["LC_CTYPE"] = "C.UTF-8"
    return env


@contextlib.contextmanager
def _copied(r_file: RFile) -> Iterator[tuple[Path, Path]]:
    """A temporary folder holding ``r_file``'s content under its own name (R names it in tracebacks)."""
    with tempfile.TemporaryDirectory(prefix="dataops-r-") as tmp:
        folder = Path(tmp).resolve()
        copy = folder / r_file.path.name
        copy.write_bytes(r_file.source)
        yield folder, copy


def _here(text: str, tmp: Path, r_file: RFile) -> str:
    """``text`` naming the file where it is in the steps folder, not the temporary copy R read."""
    return text.replace(str(tmp), str(r_file.path.parent))


def _follow(proc: subprocess.Popen[bytes], log: capture.TaskLog | None, stderr_tail: list[str]) -> int:
    """Record ``proc``'s lines as they come until it ends; its exit status."""
    reader = threading.Thread(
        target=_pump_stderr, args=(proc.stderr, log, stderr_tail), name="r-step-stderr", daemon=True
    )
    reader.start()
    if proc.stdout is not None:
        for line in _lines(proc.stdout):
            for level, source, text in _records(line):
                _emit(log, level, source, text)
    reader.join()
    return proc.wait()


def _input(task: Task) -> dict[str, Any]:
    return {
        "variables": task.variables,
        "config": task.config,
        "task": {
            "id": task.id,
            "topic": task.topic,
            "run_id": task.run_id,
            "activity_id": task.activity_id,
            "business_key": task.business_key,
            "process_definition_key": task.process_definition_key,
            "retries": task.retries,
            "worker": task.worker,
            "step_version": task.step_version,
            "config_version": task.config_version,
        },
    }


def _named(value: Any) -> dict[str, Any]:
    # jsonlite writes an empty named list as [] or {}
    return value if isinstance(value, dict) else {}


def _lines(stream: IO[bytes]) -> Iterator[str]:
    # readline, not iteration over a buffered reader: each line is handed on as soon as R wrote it
    for raw in iter(stream.readline, b""):
        yield raw.decode("utf-8", errors="replace").rstrip("\n").rstrip("\r")


def _records(line: str) -> Iterator[tuple[str, str, str]]:
    """(level, source, text) of one stdout line: plain output, or a line the runner marked."""
    head, mark, rest = line.partition(_MARK)
    if head or not mark:
        yield "INFO", "stdout", head  # includes text a cat() left without its newline
    if mark:
        level, _, rest = rest.partition(_SEP)
        source, _, text = rest.partition(_SEP)
        yield level, source, text


def _pump_stderr(stream: IO[bytes] | None, log: capture.TaskLog | None, tail: list[str]) -> None:
    if stream is None:
        return
    for line in _lines(stream):
        tail.append(line)
        del tail[:-20]
        _emit(log, "WARNING", "stderr", line)


def _emit(log: capture.TaskLog | None, level: str, source: str, text: str) -> None:
    if log is not None:
        log.emit(level, text, source)
    else:  # run outside a worker or a trial: the lines go where the caller's output goes
        print(f"{level} {text}", file=sys.stderr if level != "INFO" else sys.stdout)


def _read_result(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _last_lines(text: str, count: int = 5) -> str:
    return " ".join(line.strip() for line in text.strip().splitlines()[-count:])


@atexit.register
def _kill_running() -> None:
    # A task released at shutdown is run again by another worker; its R process must not go on.
    with _running_lock:
        for proc in _running:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
