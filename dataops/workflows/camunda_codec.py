"""Translation between Camunda 7 REST JSON and `dataops.workflows.models`: dates, typed variables, DTOs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from dataops.errors import InvalidInput
from dataops.workflows.models import (
    Activity,
    ExternalTask,
    Incident,
    IncidentState,
    ProcessDefinition,
    Run,
    RunStatus,
    Variable,
)

_INT32 = range(-(2**31), 2**31)


def parse_time(value: str | None) -> datetime | None:
    """A Camunda timestamp (``2026-11-26T10:00:00.000+0100``) as an aware UTC datetime."""
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(UTC)


def format_time(value: datetime) -> str:
    """An aware (or UTC-naive) datetime in the one format the Camunda REST API accepts."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def encode_variables(variables: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Python values (or `Variable`) as Camunda typed variables."""
    return {name: encode_value(name, value) for name, value in (variables or {}).items()}


def encode_value(name: str, value: Any) -> dict[str, Any]:
    """One typed variable; a `Variable` forces the engine type."""
    if isinstance(value, Variable):
        raw = value.value
        if value.type == "Json" and not isinstance(raw, str):
            raw = json.dumps(raw)
        elif value.type == "Date" and isinstance(raw, datetime):
            raw = format_time(raw)
        return {"type": value.type, "value": raw}
    if value is None:
        return {"type": "Null", "value": None}
    if isinstance(value, bool):
        return {"type": "Boolean", "value": value}
    if isinstance(value, int):
        return {"type": "Integer" if value in _INT32 else "Long", "value": value}
    if isinstance(value, float):
        return {"type": "Double", "value": value}
    if isinstance(value, str):
        return {"type": "String", "value": value}
    if isinstance(value, datetime):
        return {"type": "Date", "value": format_time(value)}
    if isinstance(value, date):
        return {
            "type": "Date",
            "value": format_time(datetime(value.year, value.month, value.day, tzinfo=UTC)),
        }
    if isinstance(value, dict | list | tuple):
        try:
            return {"type": "Json", "value": json.dumps(value)}
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"Variable '{name}' cannot be stored as JSON: {exc}.") from exc
    raise InvalidInput(
        f"Variable '{name}' holds a {type(value).__name__}, which the engine cannot store; "
        "use text, a number, true/false, a date, or a dict or list (stored as JSON)."
    )


def decode_value(typed: Mapping[str, Any]) -> Any:
    """The Python value of one Camunda typed variable (JSON parsed, dates as datetime)."""
    kind, value = typed.get("type"), typed.get("value")
    if value is None:
        return None
    if kind == "Json" and isinstance(value, str):
        return json.loads(value)
    if kind == "Date" and isinstance(value, str):
        return parse_time(value)
    return value


def decode_variables(raw: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Variable]:
    """A Camunda variables map as `Variable` objects by name."""
    return {
        name: Variable(name=name, value=decode_value(typed), type=str(typed.get("type", "")))
        for name, typed in (raw or {}).items()
    }


def definition(dto: Mapping[str, Any]) -> ProcessDefinition:
    """A `ProcessDefinition` from a ProcessDefinitionDto."""
    return ProcessDefinition(
        id=dto["id"],
        key=dto["key"],
        name=dto.get("name") or dto["key"],
        version=int(dto.get("version") or 0),
        deployment_id=dto.get("deploymentId") or "",
        resource=dto.get("resource") or "",
        version_tag=dto.get("versionTag"),
        suspended=bool(dto.get("suspended")),
    )


_STATES = {
    "ACTIVE": RunStatus.RUNNING,
    "SUSPENDED": RunStatus.SUSPENDED,
    "COMPLETED": RunStatus.COMPLETED,
    "EXTERNALLY_TERMINATED": RunStatus.CANCELLED,
    # A terminate end event finishes the run as modelled: for the user that is a completed run.
    "INTERNALLY_TERMINATED": RunStatus.COMPLETED,
}


def run(
    dto: Mapping[str, Any], *, has_open_incident: bool = False, end_activity_id: str | None = None
) -> Run:
    """A `Run` from a HistoricProcessInstanceDto."""
    status = _STATES.get(dto.get("state") or "", RunStatus.RUNNING)
    if status is RunStatus.RUNNING and has_open_incident:
        status = RunStatus.INCIDENT
    duration = dto.get("durationInMillis")
    return Run(
        id=dto["id"],
        definition_id=dto.get("processDefinitionId") or "",
        definition_key=dto.get("processDefinitionKey") or "",
        status=status,
        business_key=dto.get("businessKey"),
        definition_name=dto.get("processDefinitionName") or dto.get("processDefinitionKey") or "",
        definition_version=dto.get("processDefinitionVersion"),
        started_at=parse_time(dto.get("startTime")),
        ended_at=parse_time(dto.get("endTime")),
        duration=duration / 1000 if duration is not None else None,
        end_activity_id=end_activity_id,
    )


def activity(dto: Mapping[str, Any]) -> Activity:
    """An `Activity` from a HistoricActivityInstanceDto."""
    duration = dto.get("durationInMillis")
    return Activity(
        id=dto["id"],
        activity_id=dto.get("activityId") or "",
        name=dto.get("activityName") or dto.get("activityId") or "",
        type=dto.get("activityType") or "",
        run_id=dto.get("processInstanceId") or "",
        started_at=parse_time(dto.get("startTime")),
        ended_at=parse_time(dto.get("endTime")),
        duration=duration / 1000 if duration is not None else None,
        cancelled=bool(dto.get("canceled")),
    )


def incident(dto: Mapping[str, Any], details: str | None = None) -> Incident:
    """An `Incident` from a HistoricIncidentDto."""
    if dto.get("open"):
        state = IncidentState.OPEN
    elif dto.get("deleted"):
        state = IncidentState.DELETED
    else:
        state = IncidentState.RESOLVED
    return Incident(
        id=dto["id"],
        run_id=dto.get("processInstanceId") or "",
        activity_id=dto.get("activityId") or "",
        type=dto.get("incidentType") or "",
        message=dto.get("incidentMessage") or "",
        created_at=parse_time(dto.get("createTime")),
        state=state,
        ended_at=parse_time(dto.get("endTime")),
        definition_id=dto.get("processDefinitionId") or "",
        task_id=dto.get("configuration"),
        details=details,
    )


def external_task(dto: Mapping[str, Any]) -> ExternalTask:
    """An `ExternalTask` from a LockedExternalTaskDto."""
    variables = decode_variables(dto.get("variables"))
    return ExternalTask(
        id=dto["id"],
        topic=dto.get("topicName") or "",
        worker_id=dto.get("workerId") or "",
        run_id=dto.get("processInstanceId") or "",
        activity_id=dto.get("activityId") or "",
        activity_instance_id=dto.get("activityInstanceId") or "",
        definition_key=dto.get("processDefinitionKey") or "",
        definition_id=dto.get("processDefinitionId") or "",
        business_key=dto.get("businessKey"),
        retries=dto.get("retries"),
        lock_expires_at=parse_time(dto.get("lockExpirationTime")),
        priority=int(dto.get("priority") or 0),
        error_message=dto.get("errorMessage"),
        variables={name: v.value for name, v in variables.items()},
        variable_types={name: v.type for name, v in variables.items()},
    )
