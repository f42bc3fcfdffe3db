"""Camunda 7 REST operations, written once for the blocking and the async client.

Each operation is a generator: it yields `Request` objects, receives each reply's decoded body
(JSON, text or ``None``) and returns the result. `dataops.workflows.camunda` drives them over
``httpx.Client`` or ``httpx.AsyncClient``, so no request logic is duplicated.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from dataops.errors import InvalidInput, NotFound
from dataops.workflows import bpmn
from dataops.workflows import camunda_codec as codec
from dataops.workflows.models import (
    Activity,
    Deployment,
    Incident,
    ProcessDefinition,
    RunPage,
    RunStatus,
    Variable,
)

PAGE = 500  # rows per request when an operation reads everything (timelines, variables)


@dataclass(frozen=True)
class Request:
    """One call to the engine; ``what`` names it in error messages ("starting process 'x'")."""

    method: str
    path: str
    what: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    files: Sequence[tuple[str, tuple[str, bytes, str]]] | None = None
    data: Mapping[str, str] | None = None
    expect: str = "json"  # "json", "text" or "none"
    timeout: float | None = None  # overrides the client's (long polling)


Op = Generator[Request, Any, Any]

# The engine's ids (UUIDs, ``key:version:uuid`` definition ids, numeric ids) and BPMN process keys.
_ENGINE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,254}$")


def segment(value: object, what: str = "id") -> str:
    """One path segment of an engine URL: an id of the engine's shape, percent-encoded.

    Ids come from requests (``workflows/runs/<id>/cancel``); one carrying ``/`` or ``..`` must never
    turn into another engine resource, so anything else is refused with `InvalidInput`.
    """
    text = str(value)
    if not _ENGINE_ID.match(text):
        raise InvalidInput(f"{text!r} is not a valid {what}: engine ids are letters, digits and _ . : -")
    return quote(text, safe=":")


def version() -> Op:
    body = yield Request("GET", "/version", "asking the engine for its version")
    return str(body.get("version", ""))


# -- definitions -------------------------------------------------------------------------------


def definitions(latest_only: bool = True) -> Op:
    out: list[ProcessDefinition] = []
    first = 0
    while True:
        params = {"sortBy": "key", "sortOrder": "asc", "firstResult": first, "maxResults": PAGE}
        if latest_only:
            params["latestVersion"] = "true"
        page = yield Request("GET", "/process-definition", "listing process definitions", params=params)
        out.extend(codec.definition(d) for d in page)
        if len(page) < PAGE:
            return sorted(out, key=lambda d: (d.key, d.version))
        first += PAGE


def definition(key: str, version: int | None = None) -> Op:
    if version is None:
        dto = yield Request(
            "GET", f"/process-definition/key/{segment(key, 'process key')}", f"looking up process '{key}'"
        )
        return codec.definition(dto)
    found = yield Request(
        "GET",
        "/process-definition",
        f"looking up version {version} of process '{key}'",
        params={"key": key, "version": version},
    )
    if not found:
        raise NotFound(f"Process '{key}' has no version {version}.")
    return codec.definition(found[0])


def definition_xml(definition_id: str) -> Op:
    body = yield Request(
        "GET",
        f"/process-definition/{segment(definition_id, 'process definition id')}/xml",
        "reading the BPMN of a process",
    )
    return str(body.get("bpmn20Xml", ""))


def start_form(key: str) -> Op:
    found = yield from definition(key)
    xml = yield from definition_xml(found.id)
    return bpmn.start_form(xml.encode(), found.resource or key)


def publish(resources: Mapping[str, bytes], name: str, changed_only: bool) -> Op:
    """Publish the BPMN files as one engine deployment (the engine's own term and endpoint)."""
    keys = [key for file, content in resources.items() for key in bpmn.process_ids(content, file)]
    data = {
        "deployment-name": name,
        "deployment-source": "dataops",
        "enable-duplicate-filtering": "true",
        "deploy-changed-only": "true" if changed_only else "false",
    }
    files = [(file, (file, content, "application/xml")) for file, content in resources.items()]
    body = yield Request(
        "POST", "/deployment/create", f"publishing {', '.join(resources)}", data=data, files=files
    )
    published = [codec.definition(d) for d in (body.get("deployedProcessDefinitions") or {}).values()]
    fresh = {d.key for d in published}
    # Unchanged files get no new version: report the version already running for them.
    for key in keys:
        if key not in fresh:
            published.append((yield from definition(key)))
    return Deployment(
        id=body["id"],
        name=body.get("name") or name,
        deployed_at=codec.parse_time(body.get("deploymentTime")),
        definitions=sorted(published, key=lambda d: d.key),
    )


# -- runs ----------------------------------------------------------------------------------------


def start(key: str, variables: Mapping[str, Any] | None, business_key: str | None) -> Op:
    payload: dict[str, Any] = {"variables": codec.encode_variables(variables)}
    if business_key:
        payload["businessKey"] = business_key
    created = yield Request(
        "POST",
        f"/process-definition/key/{segment(key, 'process key')}/start",
        f"starting process '{key}'",
        json=payload,
    )
    return (yield from run(created["id"]))


_STATUS_FILTERS: dict[RunStatus, dict[str, Any]] = {
    # "running" includes runs waiting on an incident: both are active in the engine.
    RunStatus.RUNNING: {"active": True},
    RunStatus.INCIDENT: {"unfinished": True, "withIncidents": True, "incidentStatus": "open"},
    RunStatus.SUSPENDED: {"suspended": True},
    RunStatus.COMPLETED: {"completed": True},
    RunStatus.CANCELLED: {"externallyTerminated": True},
}


def runs(
    definition_key: str | None = None,
    status: RunStatus | None = None,
    business_key: str | None = None,
    ids: Sequence[str] | None = None,
    started_after: datetime | None = None,
    started_before: datetime | None = None,
    first: int = 0,
    max_results: int = 50,
) -> Op:
    query: dict[str, Any] = {"sorting": [{"sortBy": "startTime", "sortOrder": "desc"}]}
    if definition_key:
        query["processDefinitionKey"] = definition_key
    if business_key:
        query["processInstanceBusinessKey"] = business_key
    if ids is not None:
        if not ids:
            return RunPage(items=[], total=0, first=first, max_results=max_results)
        query["processInstanceIds"] = list(ids)
    if started_after:
        query["startedAfter"] = codec.format_time(started_after)
    if started_before:
        query["startedBefore"] = codec.format_time(started_before)
    if status is not None:
        query.update(_STATUS_FILTERS[RunStatus(status)])
    rows = yield Request(
        "POST",
        "/history/process-instance",
        "listing runs",
        params={"firstResult": first, "maxResults": max_results},
        json=query,
    )
    count = yield Request("POST", "/history/process-instance/count", "counting runs", json=query)
    stuck = yield from _with_open_incidents([r["id"] for r in rows if r.get("state") == "ACTIVE"])
    items = [codec.run(r, has_open_incident=r["id"] in stuck) for r in rows]
    return RunPage(items=items, total=int(count["count"]), first=first, max_results=max_results)


def _with_open_incidents(run_ids: list[str]) -> Op:
    if not run_ids:
        return set()
    rows = yield Request(
        "POST",
        "/history/process-instance",
        "checking runs for incidents",
        json={"processInstanceIds": run_ids, "withIncidents": True, "incidentStatus": "open"},
    )
    return {r["id"] for r in rows}


def run(run_id: str) -> Op:
    dto = yield Request(
        "GET", f"/history/process-instance/{segment(run_id, 'run id')}", f"looking up run {run_id}"
    )
    stuck: set[str] = set()
    end_activity = None
    if dto.get("state") == "ACTIVE":
        stuck = yield from _with_open_incidents([run_id])
    elif dto.get("endTime"):
        ends = yield Request(
            "GET",
            "/history/activity-instance",
            f"reading how run {run_id} ended",
            params={"processInstanceId": run_id, "activityType": "noneEndEvent", "finished": "true"},
        )
        end_activity = ends[-1]["activityId"] if ends else None
    return codec.run(dto, has_open_incident=run_id in stuck, end_activity_id=end_activity)


def activities(run_id: str) -> Op:
    out: list[Activity] = []
    first = 0
    query = {
        "processInstanceId": run_id,
        # occurrence breaks ties between activities started in the same millisecond
        "sorting": [
            {"sortBy": "startTime", "sortOrder": "asc"},
            {"sortBy": "occurrence", "sortOrder": "asc"},
        ],
    }
    while True:
        page = yield Request(
            "POST",
            "/history/activity-instance",
            f"reading the timeline of run {run_id}",
            params={"firstResult": first, "maxResults": PAGE},
            json=query,
        )
        out.extend(codec.activity(a) for a in page)
        if len(page) < PAGE:
            return out
        first += PAGE


def variables(run_id: str) -> Op:
    out: list[Variable] = []
    first = 0
    while True:
        page = yield Request(
            "GET",
            "/history/variable-instance",
            f"reading the variables of run {run_id}",
            params={
                "processInstanceId": run_id,
                "deserializeValues": "false",
                "sortBy": "variableName",
                "sortOrder": "asc",
                "firstResult": first,
                "maxResults": PAGE,
            },
        )
        out.extend(
            Variable(name=v["name"], value=codec.decode_value(v), type=str(v.get("type", "")))
            for v in page
            # process-scope variables only; a step's local variables stay with the step
            if v.get("activityInstanceId") in (None, run_id)
        )
        if len(page) < PAGE:
            return out
        first += PAGE


def incidents(run_id: str | None, include_resolved: bool) -> Op:
    params: dict[str, Any] = {"sortBy": "createTime", "sortOrder": "asc"}
    if run_id:
        params["processInstanceId"] = run_id
    if not include_resolved:
        params["open"] = "true"
    rows = yield Request("GET", "/history/incident", "reading incidents", params=params)
    out: list[Incident] = []
    for dto in rows:
        details = yield from _incident_details(dto)
        out.append(codec.incident(dto, details))
    return out


def _incident_details(dto: Mapping[str, Any]) -> Op:
    """The stack trace or error details the failed step left (``None`` if the engine kept none)."""
    log_id = dto.get("historyConfiguration")
    kind = dto.get("incidentType")
    if not log_id:
        return None
    if kind == "failedExternalTask":
        path = f"/history/external-task-log/{segment(log_id)}/error-details"
    elif kind == "failedJob":
        path = f"/history/job-log/{segment(log_id)}/stacktrace"
    else:
        return None
    text = yield Request("GET", path, "reading the error details of an incident", expect="text")
    return text


def retry(run_id: str, incident_id: str | None) -> Op:
    segment(run_id, "run id")
    rows = yield Request(
        "GET", "/incident", f"reading the incidents of run {run_id}", params={"processInstanceId": run_id}
    )
    if incident_id is not None:
        rows = [r for r in rows if r["id"] == incident_id]
        if not rows:
            raise NotFound(f"Run {run_id} has no open incident {incident_id}.")
    count = 0
    for row in rows:
        task = row.get("configuration")
        if row.get("incidentType") == "failedExternalTask":
            yield Request(
                "PUT",
                f"/external-task/{segment(task)}/retries",
                "retrying a failed step",
                json={"retries": 1},
                expect="none",
            )
        elif row.get("incidentType") == "failedJob":
            yield Request(
                "PUT",
                f"/job/{segment(task)}/retries",
                "retrying a failed job",
                json={"retries": 1},
                expect="none",
            )
        else:
            continue
        count += 1
    return count


def cancel(run_id: str, reason: str) -> Op:
    if reason:
        # The engine's delete call takes no reason; a variable keeps it in the run's history.
        yield Request(
            "PUT",
            f"/process-instance/{segment(run_id, 'run id')}/variables/cancel_reason",
            f"cancelling run {run_id}",
            json={"type": "String", "value": reason},
            expect="none",
        )
    yield Request(
        "DELETE",
        f"/process-instance/{segment(run_id, 'run id')}",
        f"cancelling run {run_id}",
        params={"failIfNotExists": "true"},
        expect="none",
    )
    return None
