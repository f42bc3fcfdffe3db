"""Hold every request and response of the GitLab fake to GitLab's published OpenAPI v3 subset.

The subset lives in ``../shared/gitlab-openapi/openapi-v3-subset.yaml``. Its README lists where
that document differs from the live API; each difference is handled here explicitly, by number,
and nowhere else:

1. non-standard ``type`` values are mapped (``Boolean``, ``DateTime``, ``Array``, ``[String]``,
   ``API::Entities::Ci::PipelineBasic``);
2. path parameters missing from ``parameters`` are taken from the path template;
3. list endpoints declare one object: the response is validated as an array of it;
4. nested collections and scalars typed wrongly are corrected in `SCHEMA_OVERRIDES`, and the
   fields the live API sends as ``null`` are listed in `NULLABLE`;
5. the job log is plain text (`TEXT_RESPONSES`);
6. file endpoints: `FILE_SCHEMA` is the live JSON body, ``/raw`` returns bytes;
7. create-commit: the JSON body (`COMMIT_REQUEST_SCHEMA`) and ``201 Created``;
9. error bodies: ``{"message": ...}`` or ``{"error": ...}``; 401/404/429/500/503 may answer any
   operation because GitLab's authentication, lookups, rate limiter and front end apply everywhere.

Anything else that does not match the document is a `SpecViolation`.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import yaml

SPEC_PATH = Path(__file__).resolve().parents[4] / "shared" / "gitlab-openapi" / "openapi-v3-subset.yaml"

DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"


class SpecViolation(AssertionError):
    """A request or response that GitLab's published contract does not allow."""


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _array_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": schema}


# (4) Live types of fields the document types wrongly. Only fields the fake sends are listed.
_MR_LIVE = {
    "assignees": _array_of(_ref("APIEntitiesUserBasic")),
    "reviewers": _array_of(_ref("APIEntitiesUserBasic")),
    "labels": _array_of({"type": "string"}),
    "draft": {"type": "boolean"},
    "work_in_progress": {"type": "boolean"},
    "has_conflicts": {"type": "boolean"},
    "user_notes_count": {"type": "integer"},
    "merge_when_pipeline_succeeds": {"type": "boolean"},
    "source_project_id": {"type": "integer"},
    "target_project_id": {"type": "integer"},
    "should_remove_source_branch": {"type": ["boolean", "null"]},
    "force_remove_source_branch": {"type": "boolean"},
    "squash": {"type": "boolean"},
}
SCHEMA_OVERRIDES: dict[str, dict[str, Any]] = {
    "APIEntitiesMergeRequest": _MR_LIVE,
    "APIEntitiesMergeRequestBasic": _MR_LIVE,
    "APIEntitiesMergeRequestApprovals": {
        "approved_by": _array_of({"type": "object", "properties": {"user": _ref("APIEntitiesUserBasic")}})
    },
    "APIEntitiesProjectWithAccess": {
        "permissions": {
            "type": "object",
            "properties": {
                "project_access": {"type": ["object", "null"]},
                "group_access": {"type": ["object", "null"]},
            },
            "additionalProperties": False,
        }
    },
    "TestReportSummaryEntity": {"test_suites": _array_of(_ref("TestSuiteSummaryEntity"))},
}

# (4) Fields that the live API sends as null while the document has no ``nullable``.
NULLABLE: dict[str, set[str]] = {
    "APIEntitiesMergeRequest": {
        "merged_by",
        "merge_user",
        "merged_at",
        "closed_by",
        "closed_at",
        "assignee",
        "milestone",
        "merge_commit_sha",
        "squash_commit_sha",
        "merge_after",
        "prepared_at",
        "merge_error",
        "pipeline",
        "head_pipeline",
        "description",
    },
    "APIEntitiesMergeRequestBasic": {
        "merged_by",
        "merge_user",
        "merged_at",
        "closed_by",
        "closed_at",
        "assignee",
        "milestone",
        "merge_commit_sha",
        "squash_commit_sha",
        "description",
    },
    "APIEntitiesCommit": {"trailers", "extended_trailers"},
    "APIEntitiesCommitDetail": {"trailers", "extended_trailers", "last_pipeline", "status"},
    "APIEntitiesProjectWithAccess": {"description", "readme_url", "avatar_url", "license_url"},
    "APIEntitiesUserBasic": {"avatar_url", "public_email"},
    "APIEntitiesUserPublic": {"avatar_url", "public_email"},
    "APIEntitiesCiPipelineBasic": {"source"},
    "APIEntitiesCiJob": {"started_at", "finished_at", "duration", "queued_duration", "coverage", "erased_at"},
    "APIEntitiesCiPipeline": {"started_at", "finished_at", "duration", "queued_duration", "coverage"},
    "APIEntitiesCiPipelineWithMetadata": {
        "started_at",
        "finished_at",
        "duration",
        "queued_duration",
        "coverage",
    },
}

# (3) Operations whose live answer is a JSON array of the declared object.
LIST_OPERATIONS = {
    "getApiV4ProjectsIdMergeRequests",
    "getApiV4ProjectsIdPipelines",
    "getApiV4ProjectsIdPipelinesPipelineIdJobs",
    "getApiV4ProjectsIdRepositoryBranches",
    "getApiV4ProjectsIdProtectedBranches",
    "getApiV4ProjectsIdEnvironments",
    "getApiV4ProjectsIdDeployments",
}

# (5), (6) Operations whose success body is not JSON.
TEXT_RESPONSES = {"getApiV4ProjectsIdJobsJobIdTrace", "getApiV4ProjectsIdRepositoryFilesFilePathRaw"}

# (6) The live body of GET .../repository/files/{file_path}.
FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "file_name",
        "file_path",
        "size",
        "encoding",
        "content",
        "ref",
        "blob_id",
        "commit_id",
        "last_commit_id",
    ],
    "properties": {
        "file_name": {"type": "string"},
        "file_path": {"type": "string"},
        "size": {"type": "integer"},
        "encoding": {"enum": ["base64"]},
        "content": {"type": "string"},
        "content_sha256": {"type": "string"},
        "ref": {"type": "string"},
        "blob_id": {"type": "string"},
        "commit_id": {"type": "string"},
        "last_commit_id": {"type": "string"},
        "execute_filemode": {"type": "boolean"},
    },
    "additionalProperties": False,
}
JSON_BODY_OVERRIDES = {"getApiV4ProjectsIdRepositoryFilesFilePath": FILE_SCHEMA}

# (7) The documented JSON form of POST .../repository/commits.
COMMIT_REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["branch", "commit_message", "actions"],
    "properties": {
        "branch": {"type": "string", "minLength": 1},
        "commit_message": {"type": "string", "minLength": 1},
        "start_branch": {"type": "string"},
        "start_sha": {"type": "string"},
        "start_project": {"type": ["integer", "string"]},
        "author_email": {"type": "string"},
        "author_name": {"type": "string"},
        "stats": {"type": "boolean"},
        "force": {"type": "boolean"},
        "actions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["action", "file_path"],
                "properties": {
                    "action": {"enum": ["create", "delete", "move", "update", "chmod"]},
                    "file_path": {"type": "string", "minLength": 1},
                    "previous_path": {"type": "string"},
                    "content": {"type": "string"},
                    "encoding": {"enum": ["text", "base64"]},
                    "last_commit_id": {"type": "string"},
                    "execute_filemode": {"type": "boolean"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
REQUEST_BODY_OVERRIDES = {"postApiV4ProjectsIdRepositoryCommits": COMMIT_REQUEST_SCHEMA}
EXTRA_SUCCESS = {"postApiV4ProjectsIdRepositoryCommits": {201}}

# (9) Statuses any operation may answer, and the shape of an error body. 404 is not in the README's
# list: every operation under /projects/{id} answers it for an unknown project or item (GitLab's
# find_project!/not_found!), yet several (the file endpoints among them) declare only 200.
GENERIC_ERRORS = {401, 404, 429, 500, 503}
ERROR_SCHEMA = {
    "type": "object",
    "anyOf": [{"required": ["message"]}, {"required": ["error"]}],
    "properties": {"message": {"type": ["string", "object", "array"]}, "error": {"type": "string"}},
}

_TYPE_MAP = {"Boolean": "boolean", "Array": "array"}


def convert(schema: Any, *, strict: bool) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema (2020-12), with the type mapping of item 1."""
    if isinstance(schema, list):
        return [convert(s, strict=strict) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("description", "example", "examples", "x-ms-enum"):
            continue
        if key == "$ref":
            out["$ref"] = value.replace("#/components/schemas/", "#/$defs/")
        elif key == "type":
            out.update(_convert_type(value))
        elif key == "properties":
            out["properties"] = {k: convert(v, strict=strict) for k, v in value.items()}
        elif key in ("items", "allOf", "oneOf", "anyOf", "not", "additionalProperties"):
            out[key] = convert(value, strict=strict)
        elif key == "format" and value == "binary":
            continue
        else:
            out[key] = value
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def _convert_type(value: str) -> dict[str, Any]:
    if value == "DateTime":
        return {"type": "string", "pattern": DATE_TIME}
    if value == "[String]":
        return {"type": "array", "items": {"type": "string"}}
    if value == "API::Entities::Ci::PipelineBasic":
        return {"$ref": "#/$defs/APIEntitiesCiPipelineBasic"}
    return {"type": _TYPE_MAP.get(value, value)}


@dataclass
class Operation:
    """One documented operation."""

    method: str
    template: str
    operation_id: str
    raw: dict[str, Any]
    regex: re.Pattern[str]
    names: list[str]


class Spec:
    """The loaded document: matches requests to operations and validates both directions."""

    def __init__(self, path: Path = SPEC_PATH) -> None:
        doc = yaml.safe_load(path.read_text())
        defs = {name: convert(s, strict=True) for name, s in doc["components"]["schemas"].items()}
        for name, fields in SCHEMA_OVERRIDES.items():
            defs[name]["properties"].update(copy.deepcopy(fields))
        for name, fields in NULLABLE.items():
            props = defs[name]["properties"]
            for field in fields:
                props[field] = {"anyOf": [props[field], {"type": "null"}]}
        self.defs = defs
        self.operations: list[Operation] = []
        for template, ops in doc["paths"].items():
            names = re.findall(r"{(\w+)}", template)
            pattern = "^" + re.sub(r"{\w+}", "([^/]+)", template) + "$"
            for method, op in ops.items():
                if method == "parameters":
                    continue
                self.operations.append(
                    Operation(method.upper(), template, op["operationId"], op, re.compile(pattern), names)
                )

    def match(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]]:
        """The operation for a request path (still percent-encoded) and its decoded path params."""
        for op in self.operations:
            m = op.regex.match(raw_path)
            if m and op.method == method:
                # (2) names come from the template, so undeclared path params are still typed below
                return op, {n: unquote(v) for n, v in zip(op.names, m.groups(), strict=True)}
        raise SpecViolation(f"{method} {raw_path} is not an operation of the GitLab OpenAPI subset")

    def _validate(self, instance: Any, schema: dict[str, Any], where: str) -> None:
        full = {"$defs": self.defs, **schema}
        errors = sorted(jsonschema.Draft202012Validator(full).iter_errors(instance), key=lambda e: e.path)
        if errors:
            first = errors[0]
            loc = "/".join(str(p) for p in first.absolute_path)
            raise SpecViolation(f"{where}: {first.message} at '{loc}'")

    def check_request(
        self, op: Operation, path_params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> None:
        """Raise `SpecViolation` unless params and JSON body are what the operation declares."""
        declared = {p["name"]: p for p in op.raw.get("parameters", [])}
        where = f"request {op.method} {op.template}"
        for name, value in path_params.items():
            schema = declared.get(name, {}).get("schema", {"type": "string"})
            self._check_param(name, value, schema, where)
        for p in declared.values():
            if p["in"] == "query" and p.get("required") and p["name"] not in query:
                raise SpecViolation(f"{where}: required query parameter '{p['name']}' is missing")
        for name, values in query.items():
            p = declared.get(name)
            if p is None or p["in"] != "query":
                raise SpecViolation(f"{where}: query parameter '{name}' is not declared")
            for value in values:
                self._check_param(name, value, p.get("schema", {}), where)
        body_schema = REQUEST_BODY_OVERRIDES.get(op.operation_id)
        if body_schema is None and "requestBody" in op.raw:
            content = op.raw["requestBody"].get("content", {})
            if "application/json" in content:
                body_schema = convert(content["application/json"]["schema"], strict=True)
        if body is not None:
            if body_schema is None:
                raise SpecViolation(f"{where}: the operation takes no JSON body")
            self._validate(body, body_schema, where)
        elif op.raw.get("requestBody", {}).get("required") and body_schema is not None:
            raise SpecViolation(f"{where}: the request body is required")

    def _check_param(self, name: str, value: str, schema: dict[str, Any], where: str) -> None:
        options = schema.get("oneOf", [schema])
        for option in options:
            typed = _coerce(value, convert(option, strict=False))
            if typed is not _INVALID:
                try:
                    self._validate(typed, convert(option, strict=False), where)
                    return
                except SpecViolation:
                    continue
        raise SpecViolation(f"{where}: parameter '{name}'={value!r} does not match {schema}")

    def check_response(self, op: Operation, status: int, content_type: str, body: bytes) -> None:
        """Raise `SpecViolation` unless status, content type and body are what the operation declares."""
        where = f"response {status} to {op.method} {op.template}"
        responses = op.raw.get("responses", {})
        declared = {int(code) for code in responses} | EXTRA_SUCCESS.get(op.operation_id, set())
        if status not in declared and status not in GENERIC_ERRORS and status >= 400:
            # 403/404/409/... still need a declaration or the generic list
            raise SpecViolation(f"{where}: status {status} is not declared")
        if status not in declared and status < 400:
            raise SpecViolation(f"{where}: success status {status} is not declared")
        if status >= 400:
            self._validate(_json(body, where), ERROR_SCHEMA, where)
            return
        if op.operation_id in TEXT_RESPONSES:
            return
        schema = JSON_BODY_OVERRIDES.get(op.operation_id)
        if schema is None:
            reply = responses.get(str(status)) or responses.get(str(min(int(c) for c in responses)))
            content = (reply or {}).get("content", {})
            if "application/json" not in content:
                raise SpecViolation(f"{where}: the operation declares no JSON body")
            schema = convert(content["application/json"]["schema"], strict=True)
        if not content_type.startswith("application/json"):
            raise SpecViolation(f"{where}: content type {content_type!r} is not application/json")
        if op.operation_id in LIST_OPERATIONS:
            schema = _array_of(schema)
        self._validate(_json(body, where), schema, where)


_INVALID = object()


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        return int(value) if re.fullmatch(r"-?\d+", value) else _INVALID
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, _INVALID)
    if kind == "array":
        return [value]
    if kind == "object":
        return _INVALID
    return value


def _json(body: bytes, where: str) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise SpecViolation(f"{where}: body is not JSON ({exc})") from exc
