"""SDMX-JSON 1.0 and 2.0 structure messages: dataflows, data structures and codelists."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from dataops.sdmx.model import Attribute, Dataflow, Dimension, Structure, StructureMessage
from dataops.sdmx.readers.codes import CodelistIndex, attribute_level
from dataops.sdmx.readers.json_data import load_json, raise_errors
from dataops.sdmx.readers.sniff import unsupported

_URN = re.compile(r"=(?P<agency>[^:]+):(?P<id>[^(]+)\((?P<version>[^)]*)\)(?:\.(?P<item>.+))?$")


def _name(obj: dict[str, Any], lang: str = "en") -> str:
    names = obj.get("names")
    if isinstance(names, dict) and names:
        return names.get(lang) or next(iter(names.values()))
    name = obj.get("name")
    if isinstance(name, dict):
        return name.get(lang) or next(iter(name.values()), "")
    return name or obj.get("id", "")


def _ref(value: Any) -> dict[str, str]:
    """A reference given as a URN string or as an object with id/agencyID/version."""
    if isinstance(value, dict):
        return {
            "agency": value.get("agencyID", ""),
            "id": value.get("id", ""),
            "version": value.get("version", ""),
        }
    m = _URN.search(value or "")
    if not m:
        return {}
    if m.group("item"):
        return {"agency": m["agency"], "parent": m["id"], "version": m["version"], "id": m["item"]}
    return {"agency": m["agency"], "id": m["id"], "version": m["version"]}


def read_json_structure(data: bytes, what: str) -> StructureMessage:
    """Read an SDMX-JSON structure message (dataStructures, dataflows, codelists, conceptSchemes)."""
    doc = load_json(data, what)
    if not isinstance(doc, dict):
        raise unsupported(what, "is JSON but not an SDMX-JSON message")
    raise_errors(doc, what)
    body = doc.get("data", doc)
    if not isinstance(body, dict) or not ({"dataStructures", "dataflows", "codelists"} & set(body)):
        raise unsupported(what, "is JSON but not an SDMX-JSON structure message")
    index = CodelistIndex()
    for cl in body.get("codelists") or []:
        rows = [(c.get("id", ""), _name(c)) for c in cl.get("codes") or []]
        frame = pd.DataFrame(rows, columns=["id", "name"])
        index.add(cl.get("agencyID", ""), cl.get("id", ""), cl.get("version", ""), frame)
    concepts: dict[tuple[str, str], str] = {}
    for scheme in body.get("conceptSchemes") or []:
        for concept in scheme.get("concepts") or []:
            concepts[(scheme.get("id", ""), concept.get("id", ""))] = _name(concept)
            concepts.setdefault(("", concept.get("id", "")), _name(concept))
    message = StructureMessage(codelists=index.as_dict())
    for flow in body.get("dataflows") or []:
        ref = _ref(flow.get("structure"))
        if not ref:
            link: dict[str, Any] = next(
                (x for x in flow.get("links") or [] if x.get("rel") == "structure"), {}
            )
            ref = _ref(link.get("urn"))
        message.dataflows.append(
            Dataflow(
                id=flow.get("id", ""),
                agency=flow.get("agencyID", ""),
                version=flow.get("version", ""),
                name=_name(flow),
                structure_id=ref.get("id", ""),
                structure_agency=ref.get("agency", ""),
                structure_version=ref.get("version", ""),
            )
        )
    for dsd in body.get("dataStructures") or []:
        message.structures.append(_structure(dsd, index, concepts))
    return message


def _concept(comp: dict[str, Any], concepts: dict[tuple[str, str], str]) -> str:
    ref = _ref(comp.get("conceptIdentity"))
    cid = ref.get("id") or comp.get("id", "")
    return concepts.get((ref.get("parent", ""), cid)) or concepts.get(("", cid)) or comp.get("id", "")


def _structure(dsd: dict[str, Any], index: CodelistIndex, concepts: dict[tuple[str, str], str]) -> Structure:
    comps = dsd.get("dataStructureComponents") or {}
    dim_list = comps.get("dimensionList") or {}
    dims = []
    for pos, d in enumerate(dim_list.get("dimensions") or []):
        enum = _ref((d.get("localRepresentation") or {}).get("enumeration"))
        codes = index.codes(enum)
        dims.append(
            Dimension(
                d.get("id", ""),
                _concept(d, concepts),
                codes,
                int(d.get("position") or pos + 1),
                codelist=enum.get("id", ""),
            )
        )
    time_dims = dim_list.get("timeDimensions") or (
        [dim_list["timeDimension"]] if "timeDimension" in dim_list else []
    )
    time_dim = time_dims[0].get("id", "TIME_PERIOD") if time_dims else None
    dim_ids = [d.id for d in dims]
    attrs = []
    for a in (comps.get("attributeList") or {}).get("attributes") or []:
        rel = a.get("attributeRelationship") or {}
        related = rel.get("dimensions") or []
        kinds = list(rel) + (["group"] if rel.get("attachmentGroups") else [])
        attrs.append(
            Attribute(
                a.get("id", ""),
                _concept(a, concepts),
                attribute_level(kinds, related, dim_ids, time_dim),
                # SDMX-JSON 1.0 says assignmentStatus "Mandatory", 2.0 usage "mandatory".
                str(a.get("assignmentStatus") or a.get("usage") or "").lower() == "mandatory",
            )
        )
    measures = (comps.get("measureList") or {}).get("measures") or [
        (comps.get("measureList") or {}).get("primaryMeasure") or {}
    ]
    return Structure(
        id=dsd.get("id", ""),
        agency=dsd.get("agencyID", ""),
        version=dsd.get("version", ""),
        name=_name(dsd),
        dimensions=sorted(dims, key=lambda d: d.position),
        time_dimension=time_dim,
        attributes=attrs,
        primary_measure=(measures[0] or {}).get("id", "OBS_VALUE") if measures else "OBS_VALUE",
    )
