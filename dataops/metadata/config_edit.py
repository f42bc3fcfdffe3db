"""The Process configuration form: a process's JSON Schema and current values, and saving new values.

Saving writes ``processes/<key>.toml`` only when the new values meet the schema (the same check as
`load_config`, so the pipeline will accept the file), and only under a new version when the values
changed: a released configuration never changes in place.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from dataops.errors import InvalidInput, InvalidMetadata, NotFound
from dataops.metadata.check import RELEASED
from dataops.metadata.processes import load_config
from dataops.metadata.registry import PROCESSES_DIR, Problem, Registry
from dataops.metadata.save import next_version
from dataops.metadata.versioning import Bump, Version


def config_form(registry: Registry, key: str) -> dict[str, Any]:
    """Process ``key``'s schema, current version and values (read even when they break the schema;
    ``problem`` then says how), and the version a change would get (``next_version``, a minor bump)."""
    file, schema_file = _files(key)
    if file not in registry.files:
        raise NotFound(f"The folder {registry.origin} has no configuration for process {key} ({file}).")
    try:
        schema = json.loads(registry.files[schema_file]) if schema_file in registry.files else {}
    except ValueError:
        schema = {}
    try:
        config = load_config(registry, key)
        version, values, problem = config.version, config.values, ""
    except InvalidMetadata as exc:
        problem = exc.message
        try:
            values = tomllib.loads(registry.files[file].decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            values = {}
        version = str(values.pop("version", ""))
    return {
        "key": key,
        "file": file,
        "schema_file": schema_file,
        "schema": schema,
        "version": version,
        "values": values,
        "next_version": _bumped(version),
        "problem": problem,
    }


def save_config(folder: Path | str, key: str, values: Any, version: str = "") -> dict[str, Any]:
    """Write ``values`` as process ``key``'s configuration under ``folder`` with ``version`` (empty:
    the current version raised by a minor bump). `InvalidMetadata` names the rule when the values break
    the schema or change under the released version; nothing is written then."""
    if not isinstance(values, dict):
        raise InvalidInput("'values' must be an object: the configuration's parameters.")
    if "version" in values:
        raise InvalidInput("'version' is given on its own, not among the values.")
    registry = Registry.open(folder)
    current = config_form(registry, key)
    file = current["file"]
    version = version.strip() or current["next_version"] or "1.0.0"
    Version.parse(version)  # InvalidInput for a malformed version
    if values == current["values"] and version == current["version"]:
        raise InvalidInput(f"The configuration of process {key} is unchanged; nothing was saved.")
    if version == current["version"] and not Version.parse(version).extension:
        problem = Problem(
            file,
            f"configuration of process {key}",
            RELEASED,
            f"its values changed but it keeps version {version}",
        )
        raise InvalidMetadata(
            problem.sentence, details={"file": file, "rule": RELEASED, "message": problem.message}
        )
    try:
        text = tomli_w.dumps({"version": version, **values})
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"The values cannot be written as TOML: {exc}") from None
    load_config(Registry({**registry.files, file: text.encode()}, registry.origin), key)  # the schema
    (Path(folder) / file).write_text(text, encoding="utf-8")
    return {"key": key, "file": file, "version": version}


def _files(key: str) -> tuple[str, str]:
    if not key or "/" in key or key.startswith("."):
        raise InvalidInput(f"{key!r} is not the key of a process.")
    return f"{PROCESSES_DIR}/{key}.toml", f"{PROCESSES_DIR}/{key}.schema.json"


def _bumped(version: str) -> str:
    try:
        return next_version(version, Bump.MINOR)
    except InvalidInput:
        return ""
