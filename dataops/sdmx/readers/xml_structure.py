"""SDMX-ML 2.1 and 3.0 structure messages: dataflows, data structures and codelists."""

from __future__ import annotations

import re

import pandas as pd
from lxml import etree

from dataops.errors import MalformedMessage
from dataops.sdmx.model import Attribute, Dataflow, Dimension, Structure, StructureMessage
from dataops.sdmx.readers.codes import CodelistIndex, attribute_level
from dataops.sdmx.xml_safety import parse_tree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_URN = re.compile(r"=(?P<agency>[^:]+):(?P<id>[^(]+)\((?P<version>[^)]*)\)(?:\.(?P<item>.+))?$")


def local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local(c.tag) == name]


def child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if local(c.tag) == name), None)


def descendants(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el.iter() if local(c.tag) == name]


def name_of(el: etree._Element, lang: str = "en") -> str:
    """The element's ``Name`` in ``lang`` (else the first one, else its id)."""
    names = children(el, "Name")
    for n in names:
        if n.get(XML_LANG) == lang:
            return (n.text or "").strip()
    return (names[0].text or "").strip() if names else el.get("id", "")


def reference(el: etree._Element | None) -> dict[str, str]:
    """A reference given either as a ``<Ref .../>`` child (2.1) or as URN text (3.0)."""
    if el is None:
        return {}
    ref = child(el, "Ref")
    if ref is not None:
        return {
            "agency": ref.get("agencyID", ""),
            "id": ref.get("id", ""),
            "version": ref.get("version", ""),
            "parent": ref.get("maintainableParentID", ""),
        }
    urn = child(el, "URN")
    text = (urn.text if urn is not None else el.text) or ""
    m = _URN.search(text.strip())
    if not m:
        return {"id": text.strip()} if text.strip() else {}
    if m.group("item"):
        return {"agency": m["agency"], "parent": m["id"], "version": m["version"], "id": m["item"]}
    return {"agency": m["agency"], "id": m["id"], "version": m["version"]}


def read_xml_structure(data: bytes, what: str) -> StructureMessage:
    """Read a structure message already known to be SDMX-ML 2.1 or 3.0."""
    root = parse_tree(data, what)
    if local(root.tag) != "Structure":
        raise MalformedMessage(f"{what} is not an SDMX-ML structure message (root <{local(root.tag)}>).")
    index = CodelistIndex()
    for cl in descendants(root, "Codelist"):
        rows = [(c.get("id", ""), name_of(c)) for c in children(cl, "Code")]
        index.add(
            cl.get("agencyID", ""),
            cl.get("id", ""),
            cl.get("version", ""),
            pd.DataFrame(rows, columns=["id", "name"]),
        )
    concepts: dict[tuple[str, str], str] = {}
    for scheme in descendants(root, "ConceptScheme"):
        for concept in children(scheme, "Concept"):
            name = name_of(concept)
            concepts[(scheme.get("id", ""), concept.get("id", ""))] = name
            concepts.setdefault(("", concept.get("id", "")), name)
    message = StructureMessage(codelists=index.as_dict())
    for flow in descendants(root, "Dataflow"):
        if flow.get("id") is None:
            continue
        ref = reference(child(flow, "Structure"))
        message.dataflows.append(
            Dataflow(
                id=flow.get("id", ""),
                agency=flow.get("agencyID", ""),
                version=flow.get("version", ""),
                name=name_of(flow),
                structure_id=ref.get("id", ""),
                structure_agency=ref.get("agency", ""),
                structure_version=ref.get("version", ""),
            )
        )
    for dsd in descendants(root, "DataStructure"):
        message.structures.append(_structure(dsd, index, concepts))
    return message


def _concept_name(el: etree._Element, concepts: dict[tuple[str, str], str]) -> str:
    ref = reference(child(el, "ConceptIdentity"))
    cid = ref.get("id") or el.get("id") or ""
    return concepts.get((ref.get("parent", ""), cid)) or concepts.get(("", cid)) or el.get("id") or ""


def _structure(dsd: etree._Element, index: CodelistIndex, concepts: dict[tuple[str, str], str]) -> Structure:
    dims: list[Dimension] = []
    time_dim = None
    dim_list = next(iter(descendants(dsd, "DimensionList")), None)
    if dim_list is not None:
        for pos, el in enumerate(c for c in dim_list if local(c.tag) in ("Dimension", "TimeDimension")):
            if local(el.tag) == "TimeDimension":
                time_dim = el.get("id", "TIME_PERIOD")
                continue
            enum = reference(next(iter(descendants(el, "Enumeration")), None))
            dims.append(
                Dimension(
                    id=el.get("id", ""),
                    name=_concept_name(el, concepts),
                    codes=index.codes(enum),
                    position=int(el.get("position") or pos + 1),
                    codelist=enum.get("id", ""),
                )
            )
    dim_ids = [d.id for d in dims]
    attrs = []
    for el in descendants(dsd, "Attribute"):
        rel = child(el, "AttributeRelationship")
        kinds = [local(c.tag) for c in rel] if rel is not None else []
        related = (
            [reference(c).get("id") or (c.text or "").strip() for c in rel if local(c.tag) == "Dimension"]
            if rel is not None
            else []
        )
        attrs.append(
            Attribute(
                el.get("id", ""),
                _concept_name(el, concepts),
                attribute_level(kinds, related, dim_ids, time_dim),
                # SDMX-ML 2.1 says assignmentStatus="Mandatory", 3.0 usage="mandatory".
                (el.get("assignmentStatus") or el.get("usage") or "").lower() == "mandatory",
            )
        )
    measure = next(iter(descendants(dsd, "PrimaryMeasure") + descendants(dsd, "Measure")), None)
    return Structure(
        id=dsd.get("id", ""),
        agency=dsd.get("agencyID", ""),
        version=dsd.get("version", ""),
        name=name_of(dsd),
        dimensions=sorted(dims, key=lambda d: d.position),
        time_dimension=time_dim,
        attributes=attrs,
        primary_measure=measure.get("id", "OBS_VALUE") if measure is not None else "OBS_VALUE",
    )
