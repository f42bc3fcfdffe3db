"""The step worker: takes external tasks from the engine, runs the step, records its log, reports back.

One task at a time per worker (run several workers for parallel work). Each task:

1. is fetched with ``fetchAndLock`` (long poll) for the topics the steps folder registers;
2. runs in its own thread with its output captured (`capture`), while the worker extends the lock;
3. is completed with the step's outputs, thrown as a BPMN error, or failed with the traceback and
   the tail of its log, counting down retries until the engine raises an incident.

The run's log is flushed to the store before the engine hears the outcome, so anybody who sees
the run move on also finds its complete log. Between tasks the worker reloads the steps folder
if a new version was promoted, and hands each step the configuration of its process's deployed
version (``processes/<key>.toml``, re-read when it changes) as a ``config`` argument; every record
of the task names the steps version and that configuration version. On stop (SIGTERM/SIGINT) a running step may finish within the
grace period; otherwise its task is released for another worker — no task is lost either way.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dataops.errors import DataOpsError, EngineUnreachable
from dataops.metadata.processes import ProcessConfigs
from dataops.redaction import redact
from dataops.workflows import capture
from dataops.workflows.config import WorkerConfig
from dataops.workflows.engine import Engine
from dataops.workflows.follow import FollowedSteps
from dataops.workflows.logs import LogRecord, LogWriter, RunLogStore, now_iso
from dataops.workflows.models import ExternalTask
from dataops.workflows.r_steps import RError
from dataops.workflows.retention import prune_logs
from dataops.workflows.steps import BpmnError, Registry, Step, StepsFolder, Task

ERROR_MESSAGE_MAX = 600  # the engine's errorMessage column holds 666 characters
PRUNE_EVERY_S = 6 * 3600  # how often a worker applies the log retention (between tasks)


def default_worker_id() -> str:
    """``host-pid``: unique among the workers of one engine."""
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass
class _Outcome:
    outputs: dict[str, Any] | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class Worker:
    """Runs the steps of ``steps`` (a `StepsFolder`, the `FollowedSteps` of a branch, or a `Registry`)
    for ``engine``."""

    def __init__(
        self,
        engine: Engine,
        store: RunLogStore,
        steps: StepsFolder | FollowedSteps | Registry,
        config: WorkerConfig | None = None,
        say: Callable[[str], None] | None = None,
        worker_id: str | None = None,
        log_retention_days: float = 0.0,
        processes: ProcessConfigs | None = None,
    ) -> None:
        self.engine = engine
        self.processes = processes
        self.worker_id = worker_id or default_worker_id()
        self.store = store
        self.steps = steps
        self.config = config or WorkerConfig()
        self.writer = LogWriter(store)
        self.stop_event = threading.Event()
        self._say = say or (
            lambda text: print(f"dataops worker {self.worker_id}: {redact(text)}", file=sys.stderr)
        )
        self._backoff = 0.0
        self.log_retention_days = log_retention_days
        self._next_prune = 0.0
        capture.install()

    @property
    def registry(self) -> Registry:
        """The steps currently served."""
        return self.steps if isinstance(self.steps, Registry) else self.steps.registry

    @property
    def version(self) -> str:
        """The version (commit) of the steps currently served."""
        return "" if isinstance(self.steps, Registry) else self.steps.version

    def stop(self) -> None:
        """Ask the worker to stop after the current task (see the module docstring)."""
        self.stop_event.set()

    def run(self, max_tasks: int | None = None) -> int:
        """Serve tasks until stopped (or ``max_tasks`` are done); returns how many were handled."""
        handled = 0
        self._refresh_steps()
        # The modules loaded by now live as long as the worker: a chatty step creates records fast
        # enough to trigger full collections, which would walk them all and stall the step's log.
        gc.collect()
        gc.freeze()
        while not self.stop_event.is_set() and (max_tasks is None or handled < max_tasks):
            handled += self.run_once()
        self.writer.close()
        return handled

    def run_once(self) -> int:
        """Reload steps if needed, wait for at most one task and handle it; returns 0 or 1."""
        self._refresh_steps()
        self.prune_logs_if_due()
        topics, variables = self._subscriptions()
        if not topics:
            self._say("no steps registered; waiting for the steps folder to provide some")
            self.stop_event.wait(self.config.long_poll_s)
            return 0
        try:
            tasks = self.engine.fetch_and_lock(
                self.worker_id,
                topics,
                max_tasks=1,
                lock_duration=self.config.lock_duration_s,
                long_poll=self.config.long_poll_s,
                variables=variables,
            )
        except EngineUnreachable as exc:
            self._back_off(exc)
            return 0
        if self._backoff:
            self._say("the engine is reachable again")
            self._backoff = 0.0
        for fetched in tasks:
            # A version promoted during the long poll applies to this task already.
            self._refresh_steps()
            if self.stop_event.is_set() or fetched.topic not in self.registry.steps:
                self._release(fetched.id)
                continue
            self.handle(fetched)
        return len(tasks)

    def prune_logs_if_due(self) -> None:
        """Apply the log retention when it is on and due (every few hours, between tasks)."""
        if not self.log_retention_days or time.monotonic() < self._next_prune:
            return
        self._next_prune = time.monotonic() + PRUNE_EVERY_S
        try:
            # No rewrite of an old store here: it would hold off the other workers' writes.
            report = prune_logs(self.store, self.log_retention_days, self.engine, rewrite=False)
        except (DataOpsError, OSError, *self.store.errors) as exc:  # type: ignore[misc]  # a tuple of exception types built at run time  # retention must never stop the work
            self._say(f"could not prune old run logs: {exc}")
            return
        if report.runs_pruned or report.undecided or report.needs_rewrite:
            self._say(report.summary())

    def handle(self, fetched: ExternalTask) -> None:
        """Run one locked task to its outcome and report it."""
        step = self.registry.get(fetched.topic)
        task = self._task(fetched)
        log = capture.TaskLog(
            self.writer.write,
            run_id=task.run_id,
            activity_id=task.activity_id,
            task_id=task.id,
            worker=self.worker_id,
            step_version=_versions(task),
            config_version=task.config_version,
        )
        attempt = self._attempt(task)
        self._event(
            task,
            "activity_started",
            f"Activity {task.activity_id} started",
            f"{task.activity_instance_id}:start",
        )
        version = task.step_version or "unversioned"
        config = f", config {task.config_version}" if task.config_version else ""
        self.writer.write(
            self._record(
                task,
                "INFO",
                f"Worker {self.worker_id} took task {task.id} (attempt {attempt}, steps {version}{config})",
                event="task_taken",
            )
        )
        broken = self.processes.errors.get(task.process_definition_key) if self.processes else None
        if broken:
            kept = f"; version {task.config_version} stays in force" if task.config_version else ""
            self.writer.write(self._record(task, "WARNING", f"{broken.rstrip('.')}{kept}."))
        outcome = self._run_step(step, task, log)
        if outcome is None:
            return  # released on shutdown; another worker will run it
        self._report(step, task, log, outcome)

    def _run_step(self, step: Step, task: Task, log: capture.TaskLog) -> _Outcome | None:
        outcome = _Outcome()

        def target() -> None:
            try:
                outcome.outputs = capture.run_captured(log, step.call, task)
            except BaseException as exc:  # the step's own failure, reported to the engine below
                outcome.error = exc
            finally:
                outcome.done.set()

        threading.Thread(target=target, name=f"step-{task.id}", daemon=True).start()
        lock = self.config.lock_duration_s
        next_extension = time.monotonic() + lock / 2
        deadline = None
        # Short waits, so that a stop request is seen at once even when the lock is long.
        while not outcome.done.wait(0.1):
            now = time.monotonic()
            if self.stop_event.is_set():
                deadline = deadline or now + self.config.shutdown_grace_s
                if now >= deadline:
                    log.emit(
                        "WARNING",
                        f"Worker {self.worker_id} stopped before the step finished; task released",
                        "worker",
                    )
                    self.writer.flush()
                    self._release(task.id)
                    return None
            if now >= next_extension:
                next_extension = now + lock / 2
                try:
                    self.engine.extend_lock(task.id, self.worker_id, lock)
                except (
                    DataOpsError
                ) as exc:  # the lock may lapse; the engine then hands the task to another worker
                    self._say(f"could not extend the lock of task {task.id}: {exc.message}")
        return outcome

    def _report(self, step: Step, task: Task, log: capture.TaskLog, outcome: _Outcome) -> None:
        exc = outcome.error
        if exc is None:
            log.emit("INFO", f"Step '{task.topic}' completed", "worker")
            self._flush_then(
                lambda: self.engine.complete(task.id, self.worker_id, outcome.outputs or {}), task
            )
            self._event(
                task,
                "activity_ended",
                f"Activity {task.activity_id} ended",
                f"{task.activity_instance_id}:end",
            )
        elif isinstance(exc, BpmnError):
            log.emit("WARNING", f"Step '{task.topic}' raised BPMN error {exc.code}: {exc.message}", "worker")
            self._flush_then(
                lambda: self.engine.handle_bpmn_error(
                    task.id, self.worker_id, exc.code, exc.message, exc.variables
                ),
                task,
            )
        else:
            policy_retries = step.retries if step.retries is not None else self.config.retries
            left = policy_retries if task.retries is None else max(task.retries - 1, 0)
            timeout = (
                step.retry_timeout_s if step.retry_timeout_s is not None else self.config.retry_timeout_s
            )
            # an R step's own traceback; the Python frames that ran Rscript would tell nothing
            trace = (
                (exc.r_traceback or str(exc))
                if isinstance(exc, RError)
                else "".join(traceback.format_exception(exc))
            )
            tail = "\n".join(log.tail())
            log.emit(
                "ERROR", f"Step '{task.topic}' failed ({left} retries left):\n{trace.rstrip()}", "worker"
            )
            # the incident is shown in the run's details: no secret the step's error named
            message = redact(f"{type(exc).__name__}: {exc}")[:ERROR_MESSAGE_MAX]
            details = redact(f"{trace}\n--- last lines of the step's log ---\n{tail}\n")
            self._flush_then(
                lambda: self.engine.handle_failure(
                    task.id,
                    self.worker_id,
                    message,
                    details=details,
                    retries=left,
                    retry_timeout=timeout if left else 0,
                ),
                task,
            )

    def _flush_then(self, report: Callable[[], None], task: Task) -> None:
        """Store the log, then tell the engine; keep trying while the engine is away and the lock holds."""
        self.writer.flush()
        give_up = time.monotonic() + self.config.lock_duration_s
        while True:
            try:
                report()
                return
            except EngineUnreachable as exc:
                if time.monotonic() >= give_up:
                    self._say(
                        f"gave up reporting task {task.id}; the engine will hand it out again: {exc.message}"
                    )
                    return
                self._back_off(exc)
            except (
                DataOpsError
            ) as exc:  # e.g. lock lost to another worker: its outcome is the one that counts
                self._say(f"the engine did not accept the outcome of task {task.id}: {exc.message}")
                self.writer.write(
                    self._record(task, "WARNING", f"Outcome of this attempt not accepted: {exc.message}")
                )
                self.writer.flush()
                return

    def _release(self, task_id: str) -> None:
        try:
            self.engine.unlock(task_id)
        except DataOpsError as exc:
            self._say(f"could not release task {task_id} ({exc.message}); its lock will expire")

    def _back_off(self, exc: DataOpsError) -> None:
        self._backoff = min(max(self._backoff * 2, 0.5), self.config.max_backoff_s)
        self._say(f"{exc.message} Retrying in {self._backoff:.1f} s.")
        self.stop_event.wait(self._backoff)

    def _refresh_steps(self) -> None:
        if isinstance(self.steps, Registry):
            return
        error = self.steps.load_error
        if self.steps.refresh():
            self._say(f"serving steps version {self.steps.version}: {', '.join(self.steps.registry.topics)}")
        elif self.steps.load_error and self.steps.load_error != error:
            # said once per new problem, not before every task
            self._say(f"{self.steps.load_error}; still serving version {self.steps.version}")

    def _subscriptions(self) -> tuple[list[str], list[str] | None]:
        """Topics to fetch, and the variables their steps need (None: all)."""
        topics = self.registry.topics
        names: set[str] = set()
        for topic in topics:
            wanted = self.registry.get(topic).variable_names
            if wanted is None:
                return topics, None
            names.update(wanted)
        return topics, sorted(names)

    def _task(self, fetched: ExternalTask) -> Task:
        config = self.processes.for_process(fetched.definition_key) if self.processes else None
        return Task(
            id=fetched.id,
            topic=fetched.topic,
            run_id=fetched.run_id,
            activity_id=fetched.activity_id,
            activity_instance_id=fetched.activity_instance_id,
            business_key=fetched.business_key,
            process_definition_key=fetched.definition_key,
            retries=fetched.retries,
            worker=self.worker_id,
            step_version=self.version,
            variables=dict(fetched.variables),
            config=dict(config.values) if config else {},
            config_version=config.label if config else "",
        )

    def _attempt(self, task: Task) -> int:
        # Attempts by any worker are in the store, so a task taken over after a crash says "attempt 2".
        return 1 + self.store.count(task.run_id, task_id=task.id, event="task_taken")

    def _record(self, task: Task, level: str, message: str, **extra: Any) -> LogRecord:
        return LogRecord(
            run_id=task.run_id,
            timestamp=now_iso(),
            level=level,
            message=message,
            activity_id=task.activity_id,
            task_id=task.id,
            worker=self.worker_id,
            step_version=_versions(task),
            config_version=task.config_version,
            **({"source": "worker"} | extra),
        )

    def _event(self, task: Task, event: str, message: str, key: str) -> None:
        self.writer.write(
            self._record(task, "INFO", message, kind="event", source="engine", event=event, event_key=key)
        )


def _versions(task: Task) -> str:
    """What a record of the task names as its version: the steps' and, when there is one, the configuration's."""
    return f"{task.step_version} config {task.config_version}" if task.config_version else task.step_version
