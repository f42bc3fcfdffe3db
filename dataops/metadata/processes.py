"""Process configurations: ``processes/<key>.toml``, checked against ``processes/<key>.schema.json``.

A configuration carries its own ``version`` (``MAJOR.MINOR.PATCH``) beside the parameters, sources,
thresholds and schedule of process ``<key>``; the JSON Schema that ships with the process checks
everything but ``version``. Workers hand the configuration of the deployed version to each step
(`dataops.workflows.worker`), and the run log names that version.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the environment

from dataops.errors import InvalidInput, InvalidMetadata, NotFound
from dataops.metadata.registry import PROCESSES_DIR, Problem, Registry
from dataops.metadata.versioning import Version

SCHEMA_RULE = "a process configuration meets the JSON Schema that ships with the process"


@dataclass(frozen=True)
class ProcessConfig:
    """One process's configuration: ``values`` (without ``version``), its version and its file."""

    key: str
    version: str
    values: dict[str, Any] = field(default_factory=dict)
    file: str = ""

    @property
    def label(self) -> str:
        """``<key> <version>``, as log records name it."""
        return f"{self.key} {self.version}"


def config_keys(registry: Registry) -> list[str]:
    """The keys of the processes that have a configuration file."""
    prefix = PROCESSES_DIR + "/"
    return sorted(
        n[len(prefix) : -5]
        for n in registry.files
        if n.startswith(prefix) and n.endswith(".toml") and "/" not in n[len(prefix) :]
    )


def _problem(file: str, key: str, rule: str, message: str) -> InvalidMetadata:
    problem = Problem(file, f"configuration of process {key}", rule, message)
    return InvalidMetadata(problem.sentence, details={"file": file, "rule": rule, "message": message})


def load_config(registry: Registry, key: str) -> ProcessConfig:
    """The configuration of process ``key``, checked; `InvalidMetadata` names file, process and rule."""
    file = f"{PROCESSES_DIR}/{key}.toml"
    schema_file = f"{PROCESSES_DIR}/{key}.schema.json"
    if file not in registry.files:
        raise NotFound(f"The registry {registry.origin} has no configuration for process {key} ({file}).")
    try:
        doc = tomllib.loads(registry.files[file].decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _problem(file, key, "configurations are valid TOML", str(exc)) from None
    version = doc.pop("version", None)
    if not isinstance(version, str):
        raise _problem(
            file, key, "a configuration names its version", 'there is no version = "MAJOR.MINOR.PATCH" line'
        )
    try:
        Version.parse(version)
    except InvalidInput as exc:
        raise _problem(file, key, "a configuration names its version", exc.message) from None
    if schema_file not in registry.files:
        raise _problem(file, key, SCHEMA_RULE, f"{schema_file} is missing")
    try:
        schema = json.loads(registry.files[schema_file])
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
    except (ValueError, jsonschema.SchemaError) as exc:
        message = f"{schema_file} is not a valid JSON Schema: {getattr(exc, 'message', exc)}"
        raise _problem(file, key, SCHEMA_RULE, message) from None
    errors = sorted(validator_class(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.absolute_path) or "the configuration"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        message = f"{where}: {first.message}{more}, against {schema_file}"
        raise _problem(file, key, SCHEMA_RULE, message)
    return ProcessConfig(key, version, doc, file)


class ProcessConfigs:
    """The configurations in a deployment folder, re-read when a file under ``processes/`` changes.

    Workers ask `for_process` before each task: a promoted configuration reaches them between
    tasks. A configuration that breaks its schema keeps the previous one in force and says why.
    """

    def __init__(self, folder: Path | str | Callable[[], Path]) -> None:
        """``folder``: the deployment folder, or a function giving the one in use now (a worker that
        follows a branch serves each commit from a folder of its own)."""
        self._folder = folder
        self._fingerprint: tuple = ()
        self._registry: Registry | None = None
        self._good: dict[str, ProcessConfig] = {}
        self.errors: dict[str, str] = {}

    @property
    def folder(self) -> Path:
        """The deployment folder whose ``processes/`` is read."""
        return self._folder() if callable(self._folder) else Path(self._folder).expanduser()

    def _scan(self) -> tuple:
        root = self.folder / PROCESSES_DIR
        if not root.is_dir():
            return ()
        # The files' bytes, not their times: a promotion may rewrite a file within one timestamp tick.
        return tuple((p.name, p.read_bytes()) for p in sorted(root.glob("*")) if p.is_file())

    def for_process(self, key: str) -> ProcessConfig | None:
        """The configuration in force for process ``key`` (None when the process has none)."""
        fingerprint = self._scan()
        if fingerprint != self._fingerprint or self._registry is None:
            self._fingerprint = fingerprint
            # Only processes/ is read: a worker needs no codelists.
            files = {f"{PROCESSES_DIR}/{name}": data for name, data in fingerprint}
            self._registry = Registry(files, str(self.folder))
            self._checked: set[str] = set()
            self.errors = {}
        if key not in self._checked:
            self._checked.add(key)
            if f"{PROCESSES_DIR}/{key}.toml" in self._registry.files:
                try:
                    self._good[key] = load_config(self._registry, key)
                except InvalidMetadata as exc:
                    self.errors[key] = exc.message
            else:
                self._good.pop(key, None)
        return self._good.get(key)
