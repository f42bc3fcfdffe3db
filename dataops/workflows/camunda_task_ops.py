"""Camunda 7 REST operations on external tasks: what a step worker calls (see `camunda_ops`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dataops.workflows import camunda_codec as codec
from dataops.workflows.camunda_ops import Op, Request, segment


def fetch_and_lock(
    worker_id: str,
    topics: Sequence[str],
    max_tasks: int,
    lock_duration: float,
    long_poll: float,
    variables: Sequence[str] | None,
    business_key: str | None = None,
) -> Op:
    topic_list = []
    for topic in topics:
        entry: dict[str, Any] = {"topicName": topic, "lockDuration": int(lock_duration * 1000)}
        if variables is not None:
            entry["variables"] = list(variables)
        if business_key:
            entry["businessKey"] = business_key
        topic_list.append(entry)
    payload = {
        "workerId": worker_id,
        "maxTasks": max_tasks,
        "usePriority": True,
        "asyncResponseTimeout": int(long_poll * 1000),
        "topics": topic_list,
    }
    rows = yield Request(
        "POST",
        "/external-task/fetchAndLock",
        "fetching work",
        json=payload,
        timeout=long_poll + 30.0,
    )
    return [codec.external_task(r) for r in rows]


def _task_call(task_id: str, action: str, what: str, payload: Mapping[str, Any]) -> Op:
    yield Request(
        "POST",
        f"/external-task/{segment(task_id, 'task id')}/{action}",
        what,
        json=dict(payload),
        expect="none",
    )
    return None


def complete(
    task_id: str,
    worker_id: str,
    variables: Mapping[str, Any] | None,
    local_variables: Mapping[str, Any] | None,
) -> Op:
    payload = {
        "workerId": worker_id,
        "variables": codec.encode_variables(variables),
        "localVariables": codec.encode_variables(local_variables),
    }
    return (yield from _task_call(task_id, "complete", f"completing task {task_id}", payload))


def handle_failure(
    task_id: str, worker_id: str, message: str, details: str, retries: int, retry_timeout: float
) -> Op:
    payload = {
        "workerId": worker_id,
        "errorMessage": message,
        "errorDetails": details,
        "retries": retries,
        "retryTimeout": int(retry_timeout * 1000),
    }
    return (yield from _task_call(task_id, "failure", f"reporting the failure of task {task_id}", payload))


def handle_bpmn_error(
    task_id: str, worker_id: str, error_code: str, message: str, variables: Mapping[str, Any] | None
) -> Op:
    payload = {
        "workerId": worker_id,
        "errorCode": error_code,
        "errorMessage": message,
        "variables": codec.encode_variables(variables),
    }
    return (yield from _task_call(task_id, "bpmnError", f"reporting BPMN error {error_code}", payload))


def extend_lock(task_id: str, worker_id: str, duration: float) -> Op:
    payload = {"workerId": worker_id, "newDuration": int(duration * 1000)}
    return (yield from _task_call(task_id, "extendLock", f"extending the lock of task {task_id}", payload))


def unlock(task_id: str) -> Op:
    return (yield from _task_call(task_id, "unlock", f"unlocking task {task_id}", {}))
