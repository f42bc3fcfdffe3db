"""Steps: plain Python functions registered by topic, loaded from a folder users maintain
(``.R`` files of the folder register R functions the same way: `dataops.workflows.r_steps`).

A step declares the process variables it needs as parameters and returns a dict of output
variables (or None)::

    from dataops.workflows import step, BpmnError

    @step("fetch")
    def fetch(flow: str, period: str) -> dict:
        ...
        return {"rows": 1234}

A parameter called ``task`` receives the `Task` (ids, business key, all variables); one called
``config`` receives the configuration of the deployed process version (``processes/<key>.toml``,
see `dataops.metadata.processes`; ``{}`` when the process has none); ``**kwargs`` receives every
variable. Raising `BpmnError` takes the process's error path instead of failing.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataops.errors import ConfigError, InvalidInput


class BpmnError(Exception):  # noqa: N818 — the BPMN name users know
    """Raise in a step to throw the BPMN error ``code`` (caught by a boundary event) instead of failing."""

    def __init__(self, code: str, message: str = "", variables: dict[str, Any] | None = None) -> None:
        super().__init__(message or code)
        self.code = code
        self.message = message
        self.variables = variables or {}


class MissingVariable(InvalidInput):
    """The run has no value for a variable the step declares without a default."""

    code = "missing_variable"


@dataclass(frozen=True)
class Task:
    """What a step may know about the task it runs."""

    id: str
    topic: str
    run_id: str
    activity_id: str = ""
    activity_instance_id: str = ""
    business_key: str | None = None
    process_definition_key: str = ""
    retries: int | None = None
    worker: str = ""
    step_version: str = ""
    variables: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    config_version: str = ""  # ``<process key> <version>`` of ``config``; empty when there is none


@dataclass(frozen=True)
class Step:
    """A registered step and its retry policy (None: the worker's defaults)."""

    topic: str
    fn: Callable[..., Any]
    retries: int | None = None
    retry_timeout_s: float | None = None

    @property
    def variable_names(self) -> list[str] | None:
        """The variables to fetch with the task (None: all, because the step takes ``**kwargs``)."""
        params = inspect.signature(self.fn).parameters.values()
        if any(p.kind is p.VAR_KEYWORD for p in params):
            return None
        return [p.name for p in params if p.name not in ("task", "config")]

    def call(self, task: Task) -> dict[str, Any]:
        """Run the function with its parameters bound from the task's variables; returns outputs."""
        kwargs: dict[str, Any] = {}
        params = inspect.signature(self.fn).parameters
        for name, p in params.items():
            if p.kind is p.VAR_KEYWORD:
                kwargs.update({k: v for k, v in task.variables.items() if k not in params})
            elif name == "task":
                kwargs[name] = task
            elif name == "config":
                kwargs[name] = task.config
            elif name in task.variables:
                kwargs[name] = task.variables[name]
            elif p.default is p.empty:
                raise MissingVariable(
                    f"The step for topic '{self.topic}' needs the process variable '{name}', "
                    "which this run does not have."
                )
        result = self.fn(**kwargs)
        if result is None:
            return {}
        if not isinstance(result, dict):
            raise TypeError(
                f"The step for topic '{self.topic}' returned {type(result).__name__}; "
                "a step returns a dict of output variables or None."
            )
        return result


class Registry:
    """Steps by topic."""

    def __init__(self) -> None:
        self.steps: dict[str, Step] = {}
        self.origins: dict[str, str] = {}

    def add(self, step_: Step) -> None:
        """Register ``step_``; a topic registered twice by different functions is a configuration error."""
        origin = f"{step_.fn.__module__}.{step_.fn.__qualname__}"
        if step_.topic in self.steps and self.origins[step_.topic] != origin:
            raise ConfigError(
                f"The topic '{step_.topic}' is registered twice: "
                f"by {self.origins[step_.topic]} and by {origin}."
            )
        self.steps[step_.topic] = step_
        self.origins[step_.topic] = origin

    def get(self, topic: str) -> Step:
        """The step for ``topic``."""
        return self.steps[topic]

    @property
    def topics(self) -> list[str]:
        """Registered topics, sorted."""
        return sorted(self.steps)


default_registry = Registry()
_collecting: Registry | None = None
_load_lock = threading.Lock()


def step(
    topic: str,
    *,
    retries: int | None = None,
    retry_timeout_s: float | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register the function as the step for ``topic`` (the function itself is unchanged)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        target = _collecting if _collecting is not None else default_registry
        target.add(Step(topic, fn, retries, retry_timeout_s))
        return fn

    return register


class _FreshLoader(importlib.machinery.SourceFileLoader):
    # Compile from source every time: a promoted file may differ from its cached bytecode while
    # keeping the same size and mtime second, which would make Python run the old version.
    def get_code(self, fullname: str) -> Any:
        return compile(self.get_data(self.path), self.path, "exec", dont_inherit=True)


class _FolderFinder(importlib.abc.MetaPathFinder):
    """Finds modules in the steps folder after every other finder (like appending to sys.path)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        roots = [str(self.root)] if path is None else [p for p in path if Path(p).is_relative_to(self.root)]
        if not roots:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, roots)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        path = spec.loader.path  # the spec's origin, as a string
        return importlib.util.spec_from_file_location(
            fullname,
            path,
            loader=_FreshLoader(fullname, path),
            submodule_search_locations=spec.submodule_search_locations,
        )


@contextlib.contextmanager
def _collect_into(registry: Registry) -> Iterator[None]:
    global _collecting
    with _load_lock:
        _collecting = registry
        try:
            yield
        finally:
            _collecting = None


class StepsFolder:
    """The steps in a folder (usually a git checkout), reloaded when its content or commit changes.

    ``topics`` maps extra topics to ``"module:function"`` paths importable from the folder or
    the environment. ``version`` is the folder's git commit (``+dirty`` with local edits), or a
    content hash when it is not a git checkout.
    """

    def __init__(self, path: Path | str, topics: dict[str, str] | None = None, *, commit: str = "") -> None:
        """``commit``: the git commit the folder's files come from, when it is an exported commit
        rather than a checkout (it then names the version)."""
        self.path = Path(path).expanduser().resolve()
        self.commit = commit
        if not self.path.is_dir():
            raise ConfigError(f"The steps folder {self.path} does not exist.")
        self.topics = dict(topics or {})
        self.registry = Registry()
        self.version = ""
        self.load_error: str | None = None
        self._fingerprint: tuple = ()
        self._finder = _FolderFinder(self.path)
        sys.meta_path.append(self._finder)

    def close(self) -> None:
        """Stop resolving imports from the folder."""
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self._finder)

    def reopen(self) -> None:
        """Resolve imports from the folder again (after `close`)."""
        if self._finder not in sys.meta_path:
            sys.meta_path.append(self._finder)

    def refresh(self) -> bool:
        """Reload when the folder changed; True when a new version is now active.

        A version that fails to import leaves the previous one active and says why in
        ``load_error``, so a bad promotion does not stop production that is running.
        """
        fingerprint = self._scan()
        if fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        registry = Registry()
        try:
            self._purge()
            with _collect_into(registry):
                for name in self._module_names():
                    importlib.import_module(name)
                # imported here: r_steps builds on this module's Step
                from dataops.workflows import r_steps

                for r_file in r_steps.r_files(self.path):
                    for r_step in r_steps.load_steps(r_file):
                        registry.add(r_step)
                for topic, target in self.topics.items():
                    registry.add(Step(topic, _resolve(topic, target)))
        except Exception as exc:  # any import-time error of user code
            self.load_error = f"The steps in {self.path} failed to load: {type(exc).__name__}: {exc}"
            if not self.version:
                raise ConfigError(self.load_error) from exc
            return False
        self.registry = registry
        self.version = self._version()
        self.load_error = None
        return True

    def _module_names(self) -> list[str]:
        names = []
        for entry in sorted(self.path.iterdir()):
            if entry.name.startswith((".", "_", "test_")):
                continue
            if entry.suffix == ".py" and entry.is_file():
                names.append(entry.stem)
            elif entry.is_dir() and (entry / "__init__.py").is_file():
                names.append(entry.name)
        return names

    def _purge(self) -> None:
        # Modules loaded from this folder, or from any steps folder under the same names.
        for name, module in list(sys.modules.items()):
            origin = getattr(module, "__file__", None)
            if (origin and Path(origin).is_relative_to(self.path)) or isinstance(
                getattr(module, "__loader__", None), _FreshLoader
            ):
                del sys.modules[name]
        importlib.invalidate_caches()

    def _files(self) -> list[Path]:
        return sorted(
            p
            for pattern in ("*.py", "*.R")
            for p in self.path.rglob(pattern)
            if not any(part in (".git", "__pycache__") for part in p.parts)
        )

    def _scan(self) -> tuple:
        stats = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in self._files())
        return (stats, self.commit or _git(self.path, "rev-parse", "HEAD"))

    def _version(self) -> str:
        if self.commit:
            return self.commit[:12]
        commit = _git(self.path, "rev-parse", "HEAD")
        if commit:
            dirty = _git(self.path, "status", "--porcelain", "--", ".")
            return commit[:12] + ("+dirty" if dirty else "")
        digest = hashlib.sha1(usedforsecurity=False)
        for p in self._files():
            digest.update(str(p.relative_to(self.path)).encode())
            digest.update(p.read_bytes())
        return "files-" + digest.hexdigest()[:12]


def _git(path: Path, *args: str) -> str:
    try:
        out = subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _resolve(topic: str, target: str) -> Callable[..., Any]:
    module_name, _, attr = target.partition(":")
    if not attr:
        raise ConfigError(f"The step for topic '{topic}' must be given as 'module:function', not '{target}'.")
    fn = getattr(importlib.import_module(module_name), attr, None)
    if not callable(fn):
        raise ConfigError(f"The step for topic '{topic}' names {target}, which is not a function.")
    return fn
