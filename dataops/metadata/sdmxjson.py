"""Read SDMX-JSON 2.0 structure messages into `dataops.metadata.artefacts`.

The registry reads an artefact file in SDMX-JSON 2.0 as it reads one in SDMX-ML 3.0; the existing
reader (`dataops.sdmx.readers.json_structure`) flattens a message into the query model, this one
keeps each artefact whole. References are URNs in SDMX-JSON 2.0.
"""

from __future__ import annotations

import json
from typing import Any

from dataops.errors import MalformedMessage
from dataops.metadata.artefacts import (
    DEPRECATED,
    Artefact,
    Code,
    Codelist,
    Component,
    Concept,
    ConceptRef,
    ConceptScheme,
    CubeRegion,
    DataConstraint,
    Dataflow,
    DataStructure,
    KeyValue,
    Ref,
)
from dataops.metadata.sdmxml import parse_urn

# The containers of an SDMX-JSON 2.0 structure message this reader keeps, in document order.
_CONTAINERS = (
    "codelists",
    "conceptSchemes",
    "dataStructures",
    "dataflows",
    "dataConstraints",
    "contentConstraints",
)


def is_sdmx_json_20(doc: Any) -> bool:
    """Whether a parsed JSON document is an SDMX-JSON 2.0 structure message (by its ``meta.schema``)."""
    schema = (doc.get("meta") or {}).get("schema", "") if isinstance(doc, dict) else ""
    return isinstance(schema, str) and "structure" in schema and "/2.0" in schema


def read_json_artefacts(data: bytes, what: str) -> list[Artefact]:
    """Every artefact of an SDMX-JSON 2.0 structure message; `MalformedMessage` names ``what`` otherwise."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedMessage(f"{what} is not valid JSON: {exc}") from None
    if not is_sdmx_json_20(doc):
        raise MalformedMessage(f"{what} is not an SDMX-JSON 2.0 structure message (meta.schema names none).")
    body = doc.get("data") or {}
    out: list[Artefact] = []
    for container in _CONTAINERS:
        for obj in body.get(container) or []:
            for attr in ("id", "agencyID"):
                if not obj.get(attr):
                    raise MalformedMessage(
                        f"{what}: an item of {container} has no {attr}, which SDMX requires."
                    )
            out.append(_read(container, obj, what))
    return out


def _name(obj: dict[str, Any], key: str = "name") -> str:
    names = obj.get(key + "s")
    if isinstance(names, dict) and names:
        return str(names.get("en") or next(iter(names.values())))
    return str(obj.get(key) or (obj.get("id", "") if key == "name" else ""))


def _names(obj: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    names = obj.get("names")
    return tuple((str(k), str(v)) for k, v in names.items()) if isinstance(names, dict) else ()


def _deprecated(code: dict[str, Any]) -> str:
    """The value of the code's ``DEPRECATED`` annotation (its date), or empty."""
    for note in code.get("annotations") or []:
        if isinstance(note, dict) and note.get("type") == DEPRECATED:
            return str(note.get("value") or "deprecated")
    return ""


def _ref(value: Any, what: str) -> Ref | None:
    return parse_urn(value, what)[0] if isinstance(value, str) and value else None


def _read(container: str, obj: dict[str, Any], what: str) -> Artefact:
    common = {
        "agency": obj["agencyID"],
        "id": obj["id"],
        "version": obj.get("version") or "1.0",
        "name": _name(obj),
        "description": _name(obj, "description"),
        "valid_from": obj.get("validFrom", ""),
        "valid_to": obj.get("validTo", ""),
        "names": _names(obj),
    }
    if container == "codelists":
        codes = tuple(
            Code(c.get("id", ""), _name(c), c.get("parent", ""), _names(c), _deprecated(c))
            for c in obj.get("codes") or []
        )
        return Codelist(**common, codes=codes)
    if container == "conceptSchemes":
        return ConceptScheme(
            **common,
            concepts=tuple(Concept(c.get("id", ""), _name(c), _names(c)) for c in obj.get("concepts") or []),
        )
    if container == "dataflows":
        return Dataflow(**common, structure=_ref(obj.get("structure"), what))
    if container == "dataStructures":
        return _structure(obj, common, what)
    attachment = obj.get("constraintAttachment") or {}
    refs = [_ref(u, what) for key in ("dataflows", "dataStructures") for u in attachment.get(key) or []]
    regions = tuple(
        CubeRegion(
            bool(region.get("isIncluded", region.get("include", True))),
            tuple(
                KeyValue(
                    kv.get("id", ""),
                    tuple(str(v) for v in kv.get("values") or []),
                    bool(kv.get("include", True)),
                )
                for kv in region.get("keyValues") or []
            ),
        )
        for region in obj.get("cubeRegions") or []
    )
    role = obj.get("role") or obj.get("type") or "Allowed"
    return DataConstraint(**common, role=role, attachments=tuple(r for r in refs if r), regions=regions)


def _component(comp: dict[str, Any], what: str, **extra: Any) -> Component:
    concept = parse_urn(comp["conceptIdentity"], what) if comp.get("conceptIdentity") else None
    enum = (comp.get("localRepresentation") or {}).get("enumeration")
    return Component(
        comp.get("id", ""),
        ConceptRef(concept[0], concept[1]) if concept else None,
        _ref(enum, what),
        **extra,
    )


def _structure(obj: dict[str, Any], common: dict[str, Any], what: str) -> DataStructure:
    comps = obj.get("dataStructureComponents") or {}
    groups = {g.get("id", ""): tuple(g.get("groupDimensions") or []) for g in comps.get("groups") or []}
    dim_list = comps.get("dimensionList") or {}
    dims = sorted(dim_list.get("dimensions") or [], key=lambda d: int(d.get("position") or 0))
    time = dim_list.get("timeDimension") or next(iter(dim_list.get("timeDimensions") or []), None)
    attrs = []
    for a in (comps.get("attributeList") or {}).get("attributes") or []:
        rel = a.get("attributeRelationship") or {}
        if "observation" in rel or "primaryMeasure" in rel:
            attached: tuple[str, ...] = ("observation",)
        elif rel.get("dimensions"):
            attached = tuple(rel["dimensions"])
        elif rel.get("group") in groups:
            attached = groups[rel["group"]]
        else:
            attached = ("dataflow",)
        usage = a.get("usage") or ("mandatory" if a.get("assignmentStatus") == "Mandatory" else "optional")
        attrs.append(_component(a, what, usage=usage, attached_to=attached))
    measure_list = comps.get("measureList") or {}
    measures = measure_list.get("measures") or (
        [measure_list["primaryMeasure"]] if "primaryMeasure" in measure_list else []
    )
    return DataStructure(
        **common,
        dimensions=tuple(_component(d, what) for d in dims),
        time_dimension=_component(time, what) if time else None,
        attributes=tuple(attrs),
        measures=tuple(_component(m, what) for m in measures),
    )
