"""The files of a promotion as bytes, before any cleaning: what a plan is built from.

Collecting needs the user's filesystem (the notebook's local imports are found next to it), so the
user's own server or kernel collects; building the plan (clean, export, scan, diff) needs only these
bytes, so the DataOps hub service can build it from what the user's side sends (`to_json` /
`from_json`). Every path is relative to the folder the user works in, POSIX-style.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from dataops.errors import InvalidInput, NotFound
from dataops.promotion.clean import read_notebook
from dataops.promotion.imports import local_imports
from dataops.promotion.metadata import metadata_destination

PROMOTABLE = (".ipynb", ".py", ".bpmn", ".R")
CANNOT_PROMOTE = "{name} cannot be promoted: choose a notebook, a Python step module or a .bpmn file."
# Metadata files promote from their place in the registry's layout; elsewhere the sentence says where.
MISPLACED_METADATA = (
    "{name} cannot be promoted from here: an artefact file is promoted from metadata/<kind>s/ "
    "(e.g. metadata/codelists/ECB+CL_FREQ+1.0.0.xml) and a process configuration from "
    "processes/<key>.toml or processes/<key>.schema.json."
)


def refusal(rel: str) -> str:
    """The sentence refusing ``rel`` as the file a promotion is about."""
    name = PurePosixPath(rel).name
    metadata_like = name.endswith((".xml", ".json", ".toml"))
    return (MISPLACED_METADATA if metadata_like else CANNOT_PROMOTE).format(name=name)


def promotable(rel: str) -> bool:
    """Can ``rel`` be the file a promotion is about (a notebook, step, process, artefact or configuration)?"""
    return PurePosixPath(rel).suffix in PROMOTABLE or metadata_destination(rel) is not None


# A review carries files a person wrote; far larger input is a mistake or an attack on the service.
MAX_INPUT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class PlanInput:
    """The file to promote (``source``), the local modules it imports and the extra files, as bytes."""

    source: str
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> content, source included
    modules: tuple[str, ...] = ()  # local modules the notebook imports (under the notebook's folder)
    extras: tuple[str, ...] = ()  # extra files the user added

    def check(self) -> PlanInput:
        """This input when every path is a safe relative path and present in ``files``, else `InvalidInput`."""
        for rel in (self.source, *self.modules, *self.extras):
            safe_relative(rel)
            if rel not in self.files:
                raise InvalidInput(f"The review names {rel} but does not carry its content.")
        if not promotable(self.source):
            raise InvalidInput(refusal(self.source))
        folder = PurePosixPath(self.source).parent
        for module in self.modules:
            if folder != PurePosixPath(".") and folder not in PurePosixPath(module).parents:
                raise InvalidInput(f"The local module {module} is not inside the notebook's folder {folder}.")
        if sum(len(b) for b in self.files.values()) > MAX_INPUT_BYTES:
            raise InvalidInput(
                f"The files to promote are larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB together."
            )
        return self

    def to_json(self) -> dict[str, Any]:
        """``{"source", "modules", "extras", "files": {path: base64}}`` for the service's review call."""
        return {
            "source": self.source,
            "modules": list(self.modules),
            "extras": list(self.extras),
            "files": {rel: base64.b64encode(data).decode() for rel, data in self.files.items()},
        }

    @classmethod
    def from_json(cls, body: Any) -> PlanInput:
        """The input a review request carries, checked (`InvalidInput` saying what is wrong)."""
        if not isinstance(body, dict) or not isinstance(body.get("source"), str):
            raise InvalidInput("A review needs 'source' (the file to promote) and 'files' (their content).")
        files, modules, extras = body.get("files"), body.get("modules", []), body.get("extras", [])
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            raise InvalidInput("'files' must map each path to its content in base64.")
        if not all(isinstance(x, list) and all(isinstance(p, str) for p in x) for x in (modules, extras)):
            raise InvalidInput("'modules' and 'extras' must be lists of paths.")
        try:
            decoded = {str(k): base64.b64decode(v, validate=True) for k, v in files.items()}
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(f"A file's content is not valid base64: {exc}") from exc
        return cls(body["source"], decoded, tuple(modules), tuple(extras)).check()


def safe_relative(rel: str) -> str:
    """``rel`` when it is a relative POSIX path without ``..``, else `InvalidInput`."""
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or ".." in path.parts or "\\" in rel:
        raise InvalidInput(f"{rel!r} must be a path relative to the folder you work in (no '..').")
    return rel


def collect_input(root: Path, source: str, extra_files: list[str] | tuple[str, ...] = ()) -> PlanInput:
    """Read ``source`` (relative to ``root``), the local modules a notebook imports and ``extra_files``.

    `InvalidInput` for a path outside ``root`` or a file kind that cannot be promoted, `NotFound` for
    a missing file.
    """
    root = root.resolve()
    main = inside(root, source)
    rel = main.relative_to(root).as_posix()
    files = {rel: main.read_bytes()}
    modules: list[str] = []
    if main.suffix == ".ipynb":
        for module in local_imports(read_notebook(main), main.parent):
            mrel = module.relative_to(root).as_posix()
            inside(root, mrel)  # the file itself, links resolved: a linked __init__.py may point outside
            files[mrel] = module.read_bytes()
            modules.append(mrel)
    elif not promotable(rel):
        raise InvalidInput(refusal(rel))
    extras: list[str] = []
    for item in extra_files:
        path = inside(root, item)
        erel = path.relative_to(root).as_posix()
        if erel not in files:
            files[erel] = path.read_bytes()
            extras.append(erel)
    return PlanInput(rel, files, tuple(modules), tuple(extras))


def inside(root: Path, relative: str) -> Path:
    """``root / relative`` resolved, when it is a file under ``root`` (`InvalidInput`, `NotFound`)."""
    path = (root / relative).resolve()
    if root.resolve() not in path.parents:
        raise InvalidInput(f"{relative} is outside the folder this server works in.")
    if not path.is_file():
        raise NotFound(f"There is no file {relative} to promote.")
    return path
