"""What the JupyterLab metadata editors ask of a working copy: artefacts as JSON, a preview of an edit
(its changes and the version SDMX versioning calls for), saving it, and its diff against a branch.

An edit is the whole artefact as JSON (`artefact_json`), sent back changed; its ``version`` is the
version it was edited from. Saving gives it the proposed version (the latest held, raised by the
bump its change needs) and writes it as a new file with `dataops.metadata.save`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dataops.errors import InvalidInput
from dataops.metadata.affected import Counter, affected, refuse_removal
from dataops.metadata.artefacts import (
    Artefact,
    Code,
    Codelist,
    CubeRegion,
    DataConstraint,
    Dataflow,
    KeyValue,
    Ref,
)
from dataops.metadata.registry import Registry, artefact_path
from dataops.metadata.save import proposed_version, save
from dataops.metadata.structures import find_flow
from dataops.metadata.versioning import Diff, diff

EDITABLE = ("dataconstraint", "codelist")


def artefact_json(art: Artefact, file: str = "") -> dict[str, Any]:
    """``art`` as JSON: its fields (references as ``{kind, agency, id, version}``), ``kind`` and ``file``."""
    body = dataclasses.asdict(art)
    for code in body.get("codes", []) if isinstance(art, Codelist) else []:
        if not code["deprecated"]:
            del code["deprecated"]  # a code carries ``deprecated`` (its date) only when it is
    return {"kind": art.kind, "file": file or artefact_path(art.ref), **body}


def summary_json(art: Artefact, file: str) -> dict[str, Any]:
    """The line of an artefact in a listing: kind, agency, id, version, name, file."""
    return {
        "kind": art.kind,
        "agency": art.agency,
        "id": art.id,
        "version": art.version,
        "name": art.name,
        "file": file,
    }


def listing(registry: Registry) -> dict[str, Any]:
    """Every artefact version of the folder, the keys of its process configurations, and the broken
    rules of files that could not be read."""
    from dataops.metadata.processes import config_keys  # processes imports the registry too

    return {
        "artefacts": [summary_json(a, registry.file_of[a.ref]) for a in registry.artefacts()],
        "processes": config_keys(registry),
        "problems": [p.sentence for p in registry.problems],
    }


def artefact_from_json(body: Any) -> Artefact:
    """The constraint or codelist an editor sends (`artefact_json`'s shape); `InvalidInput` saying
    which field is wrong."""
    if not isinstance(body, dict):
        raise InvalidInput("'artefact' must be an object with the artefact's fields.")
    kind = body.get("kind")
    if kind not in EDITABLE:
        raise InvalidInput(f"Only {' and '.join(EDITABLE)} artefacts can be edited here, not {kind!r}.")
    common: dict[str, Any] = {
        "agency": _text(body, "agency", required=True),
        "id": _text(body, "id", required=True),
        "version": _text(body, "version", required=True),
        "name": _text(body, "name"),
        "description": _text(body, "description"),
        "valid_from": _text(body, "valid_from"),
        "valid_to": _text(body, "valid_to"),
        "names": _names(body.get("names", [])),
    }
    if common["valid_from"] and common["valid_to"] and common["valid_to"] < common["valid_from"]:
        raise InvalidInput(
            f"The validity period ends ({common['valid_to']}) before it starts ({common['valid_from']})."
        )
    if kind == "codelist":
        codes = [_code(c) for c in _list(body, "codes")]
        seen = [c.id for c in codes]
        dupes = sorted({i for i in seen if seen.count(i) > 1})
        if dupes:
            raise InvalidInput(
                f"The codelist holds code {', '.join(dupes)} twice; each code id is listed once."
            )
        return Codelist(**common, codes=tuple(codes))
    regions = tuple(
        CubeRegion(
            bool(r.get("include", True)),
            tuple(
                KeyValue(
                    _text(kv, "id", required=True), _strings(kv, "values"), bool(kv.get("include", True))
                )
                for kv in _list(r, "key_values")
            ),
        )
        for r in _list(body, "regions")
    )
    return DataConstraint(
        **common,
        role=_text(body, "role") or "Allowed",
        attachments=tuple(_ref(r) for r in _list(body, "attachments")),
        regions=regions,
    )


def constraint_form(registry: Registry, flow_ref: str) -> dict[str, Any]:
    """What the Constraints editor shows for dataflow ``flow_ref``: each dimension with its codes,
    and the latest allowed constraint attached to the flow (a new one to start from when none is)."""
    flow = find_flow(registry, flow_ref)
    assert isinstance(flow, Dataflow)
    _, structure = registry.structure_for(f"{flow.agency}:{flow.id}({flow.version})")
    dimensions = [
        {
            "id": d.id,
            "name": d.name,
            "codes": [
                {"id": str(i), "name": str(n)} for i, n in zip(d.codes["id"], d.codes["name"], strict=False)
            ],
        }
        for d in structure.dimensions
        if len(d.codes)
    ]
    attached = [
        c
        for c in registry.artefacts("dataconstraint")
        if isinstance(c, DataConstraint) and c.role == "Allowed" and flow.ref in c.attachments
    ]
    if attached:
        latest = registry.versions("dataconstraint", attached[-1].agency, attached[-1].id)[-1]
        constraint = artefact_json(latest, registry.file_of[latest.ref])
    else:
        fresh = DataConstraint(
            flow.agency,
            f"{flow.id}_CONSTRAINTS",
            "1.0.0",
            f"Allowed content of {flow.id}",
            attachments=(flow.ref,),
            regions=(CubeRegion(True, ()),),
        )
        constraint = {**artefact_json(fresh), "file": ""}
    return {
        "dataflow": summary_json(flow, registry.file_of[flow.ref]),
        "dimensions": dimensions,
        "constraint": constraint,
    }


def preview(registry: Registry, edited: Artefact, counter: Counter | None = None) -> dict[str, Any]:
    """The edit's changes against the latest version held and the version SDMX versioning calls for
    (``proposed_version`` equals the latest version when nothing changed); ``affected``: the stored
    series (counted by ``counter``) holding each code the edit takes away."""
    held = registry.versions(edited.kind, edited.agency, edited.id)
    if not held:
        return {
            "base_version": None,
            "proposed_version": edited.version,
            "changes": [],
            "required": None,
            "affected": [],
        }
    latest = held[-1]
    d = diff(latest, dataclasses.replace(edited, version=latest.version))
    return {
        "base_version": latest.version,
        "proposed_version": proposed_version(registry, edited),
        **_changes(d),
        "affected": [a.to_json() for a in affected(registry, edited, counter)],
    }


def save_edit(folder: Path | str, edited: Artefact, counter: Counter | None = None) -> dict[str, Any]:
    """Write the edit under ``folder`` as the version SDMX versioning calls for; `InvalidInput` when
    it changes nothing or removes a code stored series (counted by ``counter``) still use, naming
    them; `InvalidMetadata` (from `save`) when the file would break a rule."""
    registry = Registry.open(folder) if Path(folder).is_dir() else Registry({}, str(folder))
    shown = preview(registry, edited)
    if shown["base_version"] is not None and not shown["changes"]:
        raise InvalidInput(
            f"{edited.kind} {edited.agency}:{edited.id} is unchanged from version {shown['base_version']}; "
            "nothing was saved."
        )
    refuse_removal(affected(registry, edited, counter), edited)
    art = dataclasses.replace(edited, version=shown["proposed_version"])
    path = save(folder, art, registry)
    return {**shown, "version": art.version, "file": artefact_path(art.ref), "path": str(path)}


def against_branch(branch_files: Mapping[str, bytes], origin: str, edited: Artefact) -> dict[str, Any]:
    """The changes from the latest version of ``edited``'s artefact in a deployment branch (its
    ``metadata/`` files) to ``edited``; ``branch_version`` None when the branch has no version yet."""
    branch = Registry(dict(branch_files), origin)
    held = branch.versions(edited.kind, edited.agency, edited.id)
    if not held:
        return {"branch": origin, "branch_version": None, "changes": [], "required": None, "problem": ""}
    d = diff(held[-1], edited)
    return {"branch": origin, "branch_version": held[-1].version, **_changes(d), "problem": d.problem()}


def _changes(d: Diff) -> dict[str, Any]:
    return {
        "changes": [{"what": c.what, "bump": c.bump.name.lower()} for c in d.changes],
        "required": d.required.name.lower() if d.required else None,
    }


def _text(body: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = body.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(f"'{key}' must be {'non-empty ' if required else ''}text.")
    return value.strip()


def _list(body: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidInput(f"'{key}' must be a list of objects.")
    return value


def _strings(body: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidInput(f"'{key}' must be a list of codes.")
    return tuple(value)


def _names(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value
    ):
        raise InvalidInput("'names' must be a list of [language, text] pairs.")
    return tuple((lang, text) for lang, text in value)


def _code(body: dict[str, Any]) -> Code:
    code_id = _text(body, "id", required=True)
    deprecated = _text(body, "deprecated")
    if deprecated and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", deprecated):
        raise InvalidInput(f"Code {code_id} is deprecated from {deprecated!r}; give a date as 2026-12-31.")
    return Code(
        code_id, _text(body, "name"), _text(body, "parent"), _names(body.get("names", [])), deprecated
    )


def _ref(body: dict[str, Any]) -> Ref:
    kind = _text(body, "kind", required=True)
    if kind not in ("dataflow", "datastructure"):
        raise InvalidInput(f"A constraint is attached to dataflows or data structures, not {kind!r}.")
    return Ref(
        kind,
        _text(body, "agency", required=True),
        _text(body, "id", required=True),
        _text(body, "version", required=True),
    )
