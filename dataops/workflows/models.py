"""What a workflow engine knows, in engine-neutral terms: definitions, runs, their steps and incidents.

Identifiers are strings (a Camunda 7 UUID or a Camunda 8 key alike); times are timezone-aware
``datetime`` values in UTC; durations are seconds. Field names are the JSON field names
(``dataclasses.asdict`` gives the server's JSON body).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class RunStatus(StrEnum):
    """Where a run stands, as a user sees it."""

    RUNNING = "running"
    INCIDENT = "incident"  # running, but a step failed with no retries left: someone must act
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        """True when the run will not change any more."""
        return self in (RunStatus.COMPLETED, RunStatus.CANCELLED)


class IncidentState(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DELETED = "deleted"  # the run was cancelled while the incident was open


@dataclass(frozen=True)
class FormField:
    """One field of a process's start form (the panel builds its start dialog from these)."""

    id: str
    label: str
    type: str  # "string", "long", "boolean", "date" or "enum"
    default: Any = None
    required: bool = False
    options: dict[str, str] = field(default_factory=dict)  # enum: value -> label


@dataclass(frozen=True)
class ProcessDefinition:
    """One version of a published BPMN process."""

    id: str
    key: str
    name: str
    version: int
    deployment_id: str
    resource: str = ""
    version_tag: str | None = None
    suspended: bool = False
    has_start_form: bool = False


@dataclass(frozen=True)
class Deployment:
    """What a publish produced (the engine calls it a deployment): the new or unchanged definitions."""

    id: str
    name: str
    deployed_at: datetime | None
    definitions: list[ProcessDefinition] = field(default_factory=list)


@dataclass(frozen=True)
class Run:
    """One process instance (a run of a production process)."""

    id: str
    definition_id: str
    definition_key: str
    status: RunStatus
    business_key: str | None = None
    definition_name: str = ""
    definition_version: int | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration: float | None = None  # seconds, once finished
    end_activity_id: str | None = None  # the end event reached (tells a BPMN error path from the happy one)


@dataclass(frozen=True)
class RunPage:
    """One page of runs and how many match the query in all."""

    items: list[Run]
    total: int
    first: int
    max_results: int


@dataclass(frozen=True)
class Activity:
    """One step (task, event, gateway) of a run as it happened."""

    id: str  # activity instance id
    activity_id: str  # the id in the BPMN
    name: str
    type: str  # BPMN type, e.g. "serviceTask", "startEvent"
    run_id: str
    started_at: datetime | None
    ended_at: datetime | None = None
    duration: float | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class Incident:
    """A step that needs a person: failed with no retries left, with what the step reported."""

    id: str
    run_id: str
    activity_id: str
    type: str  # e.g. "failedExternalTask", "failedJob"
    message: str
    created_at: datetime | None
    state: IncidentState = IncidentState.OPEN
    ended_at: datetime | None = None
    definition_id: str = ""
    task_id: str | None = None  # the failed external task or job
    details: str | None = None  # stack trace / error details the step reported


@dataclass(frozen=True)
class Variable:
    """A typed process variable: ``type`` is the engine's type name (String, Long, Json, Date, ...)."""

    name: str
    value: Any
    type: str


@dataclass(frozen=True)
class ExternalTask:
    """A step handed to a worker, locked for it until ``lock_expires_at``."""

    id: str
    topic: str
    worker_id: str
    run_id: str
    activity_id: str
    activity_instance_id: str
    definition_key: str
    definition_id: str = ""
    business_key: str | None = None
    retries: int | None = None  # None: never failed yet
    lock_expires_at: datetime | None = None
    priority: int = 0
    error_message: str | None = None  # from the previous failed attempt
    variables: dict[str, Any] = field(default_factory=dict)
    variable_types: dict[str, str] = field(default_factory=dict)
