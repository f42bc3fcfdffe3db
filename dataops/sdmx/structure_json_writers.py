"""Write dataflows, data structures, codelists and availability as SDMX-JSON structure messages.

SDMX-JSON 1.0 (SDMX 2.1 information model) serves the REST 1.x resources and SDMX-JSON 2.0.0
(SDMX 3.0) the REST 2.x ``availability`` resource. They are built from the same model objects as
the SDMX-ML writers in `structure_writers`, with the same codelist and concept scheme ids, so a
client sees one structure whatever format it asks for.
"""

from __future__ import annotations

import json
from typing import Any

from dataops.errors import InvalidInput
from dataops.sdmx.availability import Availability
from dataops.sdmx.model import Attribute, Dataflow, Dimension, Structure
from dataops.sdmx.structure_writers import coded_codelists, codelist_id, concept_scheme_id
from dataops.sdmx.writers import message_header

_SCHEMA = "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/structure-message/tools/schemas"
SCHEMAS = {
    "1.0": f"{_SCHEMA}/1.0/sdmx-json-structure-schema.json",
    "2.0": f"{_SCHEMA}/2.0.0/sdmx-json-structure-schema.json",
}
_URN = "urn:sdmx:org.sdmx.infomodel."
_VERSIONS = ("1.0", "2.0")
# The annotation FMR and pysdmx use to carry series and observation counts on an actual constraint.
METRICS_TYPE = "sdmx_metrics"


def _named(id_: str, name: str) -> dict[str, Any]:
    return {"id": id_, "name": name, "names": {"en": name}}


def _maintainable(id_: str, agency: str, version: str, name: str) -> dict[str, Any]:
    return {**_named(id_, name), "agencyID": agency, "version": version}


def _message(version: str, data: dict[str, list[dict[str, Any]]]) -> bytes:
    if version not in _VERSIONS:
        raise InvalidInput(f"SDMX-JSON structure messages are written as 1.0 or 2.0, not {version!r}.")
    meta = {"schema": SCHEMAS[version], **message_header(), "contentLanguages": ["en"]}
    return json.dumps({"meta": meta, "data": data}, separators=(",", ":"), ensure_ascii=False).encode()


def dataflow_urn(flow: Dataflow) -> str:
    """The URN of a dataflow."""
    return f"{_URN}datastructure.Dataflow={flow.agency}:{flow.id}({flow.version})"


def structure_urn(agency: str, dsd_id: str, version: str) -> str:
    """The URN of a data structure definition."""
    return f"{_URN}datastructure.DataStructure={agency}:{dsd_id}({version})"


def _codelist_urn(agency: str, cl_id: str) -> str:
    return f"{_URN}codelist.Codelist={agency}:{cl_id}(1.0)"


def _concept_urn(dsd: Structure, concept: str) -> str:
    return f"{_URN}conceptscheme.Concept={dsd.agency}:{concept_scheme_id(dsd)}(1.0).{concept}"


def write_dataflows_json(flows: list[Dataflow], version: str = "1.0") -> bytes:
    """An SDMX-JSON structure message listing dataflows with their DSD references."""
    return _message(version, {"dataflows": [_dataflow(f) for f in flows]})


def _dataflow(f: Dataflow) -> dict[str, Any]:
    item = _maintainable(f.id, f.agency, f.version, f.name or f.id)
    if f.structure_id:
        item["structure"] = structure_urn(
            f.structure_agency or f.agency, f.structure_id, f.structure_version or "1.0"
        )
    return item


def write_structure_json(dsd: Structure, children: bool = True, version: str = "1.0") -> bytes:
    """A DSD, with its codelists and a concept scheme of its components when ``children``."""
    return write_structures_json([dsd], children, version)


def write_structures_json(
    dsds: list[Structure], children: bool = True, version: str = "1.0", flows: list[Dataflow] | None = None
) -> bytes:
    """DSDs (each once), with their codelists and concept schemes when ``children``, and ``flows``."""
    unique = list({(d.agency, d.id, d.version): d for d in dsds}.values())
    data: dict[str, list[dict[str, Any]]] = {}
    if flows:
        data["dataflows"] = [_dataflow(f) for f in flows]
    if children:
        coded = {(d.agency, cl_id): dim for d in unique for cl_id, dim in coded_codelists(d)}
        if coded:
            data["codelists"] = [_codelist(agency, cl_id, dim) for (agency, cl_id), dim in coded.items()]
        data["conceptSchemes"] = [_concept_scheme(d) for d in unique]
    if unique:
        data["dataStructures"] = [_data_structure(d, version) for d in unique]
    return _message(version, data)


def write_codelists_json(agency: str, codelists: list[tuple[str, Dimension]], version: str = "1.0") -> bytes:
    """Codelists ``(id, dimension holding the codes)`` in one structure message."""
    return _message(version, {"codelists": [_codelist(agency, cl_id, dim) for cl_id, dim in codelists]})


def write_availability_json(answer: Availability, dataflow: Dataflow, version: str = "1.0") -> bytes:
    """An actual constraint attached to ``dataflow`` listing the codes with data per dimension.

    1.0 writes it under ``contentConstraints`` (``type: Actual``), 2.0 under ``dataConstraints``
    (``role: Actual``); series and observation counts travel as ``sdmx_metrics`` annotations.
    """
    constraint = _maintainable("AVAILABILITY", dataflow.agency, "1.0", "Availability")
    annotations = [
        {"id": kind, "title": str(value), "type": METRICS_TYPE}
        for kind, value in (("series_count", answer.series_count), ("obs_count", answer.obs_count))
        if value is not None
    ]
    if annotations:
        constraint["annotations"] = annotations
    constraint["constraintAttachment"] = {"dataflows": [dataflow_urn(dataflow)]}
    key_values = []
    for dim_id, codes in answer.codes.items():
        entry: dict[str, Any] = {"id": dim_id}
        if codes:  # the 2.0 schema wants at least one value; no codes means no data under the key
            entry["values"] = list(codes) if version == "1.0" else [{"value": c} for c in codes]
        key_values.append(entry)
    region: dict[str, Any] = {"isIncluded": True} if version == "1.0" else {"include": True}
    if key_values:
        region["keyValues"] = key_values
    constraint["cubeRegions"] = [region]
    if version == "1.0":
        constraint["type"] = "Actual"
        return _message(version, {"contentConstraints": [constraint]})
    constraint["role"] = "Actual"
    return _message(version, {"dataConstraints": [constraint]})


def _codelist(agency: str, cl_id: str, dim: Dimension) -> dict[str, Any]:
    item = _maintainable(cl_id, agency, "1.0", f"Codes of {dim.name or dim.id}")
    item["codes"] = [
        _named(code, name)
        for code, name in zip(dim.codes["id"].astype(str), dim.codes["name"].astype(str), strict=False)
    ]
    return item


def _concept_scheme(dsd: Structure) -> dict[str, Any]:
    item = _maintainable(concept_scheme_id(dsd), dsd.agency, "1.0", f"Concepts of {dsd.name or dsd.id}")
    named = [(d.id, d.name) for d in dsd.dimensions] + [(a.id, a.name) for a in dsd.attributes]
    if dsd.time_dimension:
        named.append((dsd.time_dimension, "Time period"))
    named.append((dsd.primary_measure, "Observation value"))
    item["concepts"] = [_named(cid, name or cid) for cid, name in dict(named).items()]
    return item


def _data_structure(dsd: Structure, version: str) -> dict[str, Any]:
    ordered = sorted(dsd.dimensions, key=lambda d: d.position)
    dims = []
    for pos, dim in enumerate(ordered, start=1):
        d: dict[str, Any] = {"id": dim.id, "position": pos, "conceptIdentity": _concept_urn(dsd, dim.id)}
        if version == "1.0":
            d["type"] = "Dimension"
        if len(dim.codes):
            d["localRepresentation"] = {"enumeration": _codelist_urn(dsd.agency, codelist_id(dim))}
        dims.append(d)
    dim_list: dict[str, Any] = {"id": "DimensionDescriptor", "dimensions": dims}
    if dsd.time_dimension:
        time: dict[str, Any] = {
            "id": dsd.time_dimension,
            "conceptIdentity": _concept_urn(dsd, dsd.time_dimension),
        }
        text = {"textType": "ObservationalTimePeriod"}
        if version == "1.0":
            time.update(
                position=len(ordered) + 1, type="TimeDimension", localRepresentation={"textFormat": text}
            )
            dim_list["timeDimensions"] = [time]
        else:
            time["localRepresentation"] = {"format": text}
            dim_list["timeDimension"] = time
    measure = {"id": dsd.primary_measure, "conceptIdentity": _concept_urn(dsd, dsd.primary_measure)}
    components: dict[str, Any] = {
        "dimensionList": dim_list,
        "measureList": (
            {"id": "MeasureDescriptor", "primaryMeasure": measure}
            if version == "1.0"
            else {"id": "MeasureDescriptor", "measures": [measure]}
        ),
    }
    if dsd.attributes:
        components["attributeList"] = {
            "id": "AttributeDescriptor",
            "attributes": [_attribute(dsd, ordered, a, version) for a in dsd.attributes],
        }
    item = _maintainable(dsd.id, dsd.agency, dsd.version, dsd.name or dsd.id)
    item["dataStructureComponents"] = components
    return item


def _attribute(dsd: Structure, ordered: list[Dimension], attr: Attribute, version: str) -> dict[str, Any]:
    if attr.level == "observation":
        rel: dict[str, Any] = (
            {"primaryMeasure": dsd.primary_measure} if version == "1.0" else {"observation": {}}
        )
    elif attr.level in ("group", "series") and ordered:
        # As in the SDMX-ML writer: the model keeps no group's own dimensions, so a group
        # attribute is related to the sibling group (every dimension but the first, the frequency).
        related = ordered[1:] if attr.level == "group" and len(ordered) > 1 else ordered
        rel = {"dimensions": [d.id for d in related]}
    else:
        rel = {"none": {}} if version == "1.0" else {"dataflow": {}}
    out: dict[str, Any] = {"id": attr.id, "conceptIdentity": _concept_urn(dsd, attr.id)}
    if version == "1.0":
        out["assignmentStatus"] = "Conditional"
    else:
        out["usage"] = "optional"
    out["attributeRelationship"] = rel
    return out
