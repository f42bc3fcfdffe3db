"""Hold every request and response of the Posit Connect fake to ``contract.yaml``.

``contract.yaml`` restates the part of Posit Connect's published API reference that the target
uses (its header names the source and version). The numbered decisions there are applied here,
by number, and nowhere else; anything else that does not match is a `ContractViolation`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

CONTRACT_PATH = Path(__file__).with_name("contract.yaml")
API = "/__api__"

# (3) RFC 3339, as the reference's timestamps
_DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
# (1) the gzip magic number opens every bundle upload
_GZIP_MAGIC = b"\x1f\x8b"
# (2) statuses every operation may answer
_ANYWHERE = {401, 404}


class ContractViolation(AssertionError):
    """A request or response that Posit Connect's published API reference does not allow."""


def _to_json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema 2020-12: ``nullable`` (4), ``date-time`` (3), refs."""
    if isinstance(schema, list):
        return [_to_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in ("description", "nullable"):
            continue
        if key == "$ref":
            out["$ref"] = value.replace("#/components/schemas/", "#/$defs/")
        elif key == "properties":
            out[key] = {name: _to_json_schema(s) for name, s in value.items()}
        elif key in ("items", "additionalProperties"):
            out[key] = _to_json_schema(value)
        elif key == "format":
            if value == "date-time":
                out["pattern"] = _DATE_TIME
        else:
            out[key] = value
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    if schema.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


@dataclass
class Operation:
    """One operation of the contract."""

    method: str
    template: str
    operation_id: str
    raw: dict[str, Any]
    parameters: dict[str, dict[str, Any]]
    regex: re.Pattern[str]
    names: list[str]


class Contract:
    """The loaded contract: finds the operation of a request and checks both directions."""

    def __init__(self, path: Path = CONTRACT_PATH) -> None:
        doc = yaml.safe_load(path.read_text())
        self.defs = {name: _to_json_schema(s) for name, s in doc["components"]["schemas"].items()}
        self.operations: list[Operation] = []
        for template, item in doc["paths"].items():
            shared = {p["name"]: p for p in item.get("parameters", [])}
            names = re.findall(r"{(\w+)}", template)
            regex = re.compile("^" + API + re.sub(r"{\w+}", "([^/]+)", template) + "$")
            for method, op in item.items():
                if method == "parameters":
                    continue
                params = {**shared, **{p["name"]: p for p in op.get("parameters", [])}}
                self.operations.append(
                    Operation(method.upper(), template, op["operationId"], op, params, regex, names)
                )

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]]:
        """The operation a request path names, and its path parameters."""
        for op in self.operations:
            found = op.regex.match(path)
            if found and op.method == method:
                return op, dict(zip(op.names, found.groups(), strict=True))
        raise ContractViolation(f"{method} {path} is not an operation of the Posit Connect contract")

    def validate(self, instance: Any, schema: dict[str, Any], where: str) -> None:
        """Raise `ContractViolation` with the first error of ``instance`` against ``schema``."""
        full = {"$defs": self.defs, **_to_json_schema(schema)}
        errors = sorted(jsonschema.Draft202012Validator(full).iter_errors(instance), key=lambda e: e.path)
        if errors:
            loc = "/".join(str(p) for p in errors[0].absolute_path)
            raise ContractViolation(f"{where}: {errors[0].message} at '{loc}'")

    def check_request(self, op: Operation, query: dict[str, list[str]], body: bytes) -> Any:
        """The request's body (parsed JSON, raw bytes or None) once query and body are as declared."""
        where = f"request {op.method} {op.template}"
        for name, values in query.items():
            declared = op.parameters.get(name)
            if declared is None or declared["in"] != "query":
                raise ContractViolation(f"{where}: query parameter '{name}' is not declared")
            for value in values:
                self.validate(_typed(value, declared["schema"]), declared["schema"], where)
        content = op.raw.get("requestBody", {}).get("content", {})
        if not body:
            if op.raw.get("requestBody", {}).get("required"):
                raise ContractViolation(f"{where}: the request body is required")
            return None
        if "application/octet-stream" in content:
            if not body.startswith(_GZIP_MAGIC):  # (1)
                raise ContractViolation(f"{where}: the body is not a gzip compressed archive")
            return body
        if "application/json" not in content:
            raise ContractViolation(f"{where}: the operation takes no body")
        parsed = _json(body, where)
        self.validate(parsed, content["application/json"]["schema"], where)
        return parsed

    def check_response(self, op: Operation, status: int, content_type: str, body: bytes) -> None:
        """Raise `ContractViolation` unless status and body are what the operation declares."""
        where = f"response {status} to {op.method} {op.template}"
        declared = op.raw["responses"]
        if str(status) not in declared and status not in _ANYWHERE:
            raise ContractViolation(f"{where}: status {status} is not declared")
        if not content_type.startswith("application/json"):
            raise ContractViolation(f"{where}: content type {content_type!r} is not application/json")
        if status >= 400:  # (2)
            self.validate(_json(body, where), {"$ref": "#/components/schemas/APIError"}, where)
            return
        schema = declared[str(status)]["content"]["application/json"]["schema"]
        self.validate(_json(body, where), schema, where)


def _typed(value: str, schema: dict[str, Any]) -> Any:
    if schema.get("type") == "integer" and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def _json(body: bytes, where: str) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise ContractViolation(f"{where}: body is not JSON ({exc})") from exc
