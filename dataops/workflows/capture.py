"""Capture what a step writes — ``print``, ``logging``, ``warnings`` — as records of its run.

`install()` puts routing proxies in front of ``sys.stdout``/``sys.stderr``, one handler on the
root logger and a ``warnings.showwarning`` hook, once per process. Each routes to the `TaskLog`
of the task running in the current context (a ``ContextVar``), so output from the worker's own
machinery, or from a thread that is not running a step, goes where it always went.
"""

from __future__ import annotations

import contextvars
import io
import logging
import sys
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from dataops.redaction import redact
from dataops.workflows.logs import LogRecord, now_iso

_current: contextvars.ContextVar[TaskLog | None] = contextvars.ContextVar("dataops_task_log", default=None)
_installed = False
_install_lock = threading.Lock()


class TaskLog:
    """Turns one task's output into `LogRecord`s and hands them to ``sink``; keeps the last lines."""

    def __init__(
        self,
        sink: Callable[[LogRecord], None],
        *,
        run_id: str,
        activity_id: str = "",
        task_id: str = "",
        worker: str = "",
        step_version: str = "",
        config_version: str = "",
        tail_lines: int = 50,
    ) -> None:
        self.sink = sink
        self.meta = {
            "run_id": run_id,
            "activity_id": activity_id,
            "task_id": task_id,
            "worker": worker,
            "step_version": step_version,
            "config_version": config_version,
        }
        self._tail: deque[LogRecord] = deque(maxlen=tail_lines)
        self._partial: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def emit(self, level: str, message: str, source: str, logger: str = "") -> None:
        """Record one line (or one multi-line message) now, without the secrets this process knows
        (`dataops.redaction`): a step that prints its connection URL or a token does not store it."""
        meta = self.meta
        record = LogRecord(
            meta["run_id"],
            now_iso(),
            level,
            redact(message),
            "log",
            source,
            meta["activity_id"],
            meta["task_id"],
            meta["worker"],
            meta["step_version"],
            logger,
            config_version=meta["config_version"],
        )
        self._tail.append(record)
        self.sink(record)

    def write_stream(self, source: str, level: str, text: str) -> None:
        """Take a chunk written to a stream; complete lines become records, the rest waits for more."""
        if "\n" not in text:  # print() writes each argument separately: most chunks end no line
            with self._lock:
                self._partial.setdefault(source, []).append(text)
            return
        with self._lock:
            pending = self._partial.pop(source, None)
            buf = "".join(pending) + text if pending else text
            *lines, rest = buf.split("\n")
            if rest:
                self._partial[source] = [rest]
        for line in lines:
            self.emit(level, line.rstrip("\r"), source)

    def finish(self) -> None:
        """Record any unterminated last line of each stream."""
        with self._lock:
            pending, self._partial = self._partial, {}
        for source, parts in pending.items():
            rest = "".join(parts)
            if rest:
                self.emit("WARNING" if source == "stderr" else "INFO", rest, source)

    def tail(self) -> list[str]:
        """The last lines recorded, oldest first (for a failure's error details)."""
        return [f"{r.timestamp} {r.level} {r.message}" for r in self._tail]


class _StreamProxy(io.TextIOBase):
    """Stands in for stdout/stderr: a step's writes go to its TaskLog, others pass through."""

    def __init__(self, original: TextIO, source: str, level: str) -> None:
        self.original = original
        self.source = source
        self.level = level

    def write(self, text: str) -> int:
        task = _current.get()
        if task is None:
            return self.original.write(text)
        task.write_stream(self.source, self.level, text)
        return len(text)

    def flush(self) -> None:
        if _current.get() is None:
            self.original.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.original.fileno()

    @property
    # typeshed declares `TextIOBase.encoding` a plain attribute; here it follows the wrapped stream,
    # which `reconfigure()` may change after the proxy is installed.
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.original, "encoding", "utf-8")


class _TaskLogHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        task = _current.get()
        if task is None:
            return
        try:
            message = record.getMessage()
            if record.exc_info:
                message += "\n" + self.formatter_for_exc.formatException(record.exc_info)
            elif record.exc_text:
                message += "\n" + record.exc_text
            task.emit(record.levelname, message, "logging", record.name)
        except Exception:  # logging must never break the step; the standard hook reports it
            self.handleError(record)

    formatter_for_exc = logging.Formatter()


def _showwarning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    task = _current.get()
    if task is None:
        _original_showwarning(message, category, filename, lineno, file, line)
        return
    task.emit("WARNING", f"{category.__name__}: {message} ({filename}:{lineno})", "warnings")


_original_showwarning = warnings.showwarning


def install(level: int | str = logging.INFO) -> None:
    """Route stdout, stderr, logging and warnings of running steps to their task logs (idempotent).

    The root logger is lowered to ``level`` so a step's ``logger.info`` is kept, as users expect;
    records outside a step are dropped by our handler, not printed.
    """
    global _installed, _original_showwarning
    with _install_lock:
        # The streams are checked every time: a host (a test runner, a notebook front end) may have
        # put its own stream in place since; the proxy goes in front of whatever is there now.
        if not isinstance(sys.stdout, _StreamProxy):
            sys.stdout = _StreamProxy(sys.stdout, "stdout", "INFO")
        if not isinstance(sys.stderr, _StreamProxy):
            sys.stderr = _StreamProxy(sys.stderr, "stderr", "WARNING")
        if _installed:
            return
        root = logging.getLogger()
        root.addHandler(_TaskLogHandler())
        root.setLevel(level)
        _original_showwarning = warnings.showwarning
        warnings.showwarning = _showwarning
        _installed = True


@contextmanager
def capturing(task: TaskLog) -> Iterator[TaskLog]:
    """Within this block (in this thread/context), output belongs to ``task``."""
    # Re-adding the default filter clears the once-per-location memory, so the same warning
    # raised by the next task is recorded again.
    warnings.simplefilter("default")
    token = _current.set(task)
    try:
        yield task
    finally:
        task.finish()
        _current.reset(token)


def current() -> TaskLog | None:
    """The task log of the step running in this context, if any."""
    return _current.get()


def run_captured(task: TaskLog, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with its output captured into ``task``."""
    with capturing(task):
        return fn(*args, **kwargs)
