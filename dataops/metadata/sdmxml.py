"""Read SDMX-ML 3.0 (and, for importing, 2.1) structure messages into `dataops.metadata.artefacts`.

The existing structure reader (`dataops.sdmx.readers.xml_structure`) flattens a message into the
query model; the registry needs each artefact whole (every reference with its version,
constraints, concept schemes), so this reader keeps them. It shares that reader's element helpers
and the same safe parser (no DTD, no entity expansion).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

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
from dataops.sdmx.readers.xml_structure import XML_LANG, child, children, local, name_of
from dataops.sdmx.xml_safety import parse_tree

_URN = re.compile(
    r"^urn:sdmx:org\.sdmx\.infomodel\.(?P<cls>[\w.]+)=(?P<agency>[^:]+):(?P<id>[^(]+)"
    r"\((?P<version>[^)]*)\)(?:\.(?P<item>.+))?$"
)
# The class names of references (2.1 ``class`` attributes, URN class) → registry kinds.
_KINDS = {
    "Codelist": "codelist",
    "ConceptScheme": "conceptscheme",
    "Concept": "conceptscheme",
    "DataStructure": "datastructure",
    "Dataflow": "dataflow",
    "DataConstraint": "dataconstraint",
    "ContentConstraint": "dataconstraint",
}
# Elements holding maintainable artefacts in a message's <Structures>, by their local names.
_READERS = ("Codelist", "ConceptScheme", "DataStructure", "Dataflow", "DataConstraint", "ContentConstraint")
_SDMX_NS = "http://www.sdmx.org/resources/sdmxml/schemas/"


def sdmx_version(root: etree._Element) -> str:
    """``3.0`` or ``2.1``, from the namespace of the message's root element."""
    ns = root.tag.partition("}")[0].lstrip("{")
    return "3.0" if ns.startswith(_SDMX_NS + "v3_0") else "2.1" if ns.startswith(_SDMX_NS + "v2_1") else ""


def read_artefacts(data: bytes, what: str) -> list[Artefact]:
    """Every maintainable artefact of a structure message, in document order.

    `MalformedMessage` names ``what`` when the bytes are not an SDMX-ML structure message or an
    artefact lacks what SDMX requires of it (an id, an agency, a version).
    """
    root = parse_tree(data, what)
    if local(root.tag) != "Structure" or not sdmx_version(root):
        raise MalformedMessage(
            f"{what} is not an SDMX-ML 2.1 or 3.0 structure message (root <{local(root.tag)}>)."
        )
    structures = child(root, "Structures")
    out: list[Artefact] = []
    for container in structures if structures is not None else []:
        for el in container:
            kind = local(el.tag)
            if kind not in _READERS:
                continue
            for attr in ("id", "agencyID"):
                if not el.get(attr):
                    raise MalformedMessage(f"{what}: a {kind} has no {attr} attribute, which SDMX requires.")
            out.append(_read(el, kind, what))
    return out


def _read(el: etree._Element, kind: str, what: str) -> Artefact:
    common: dict[str, Any] = {
        "agency": el.get("agencyID", ""),
        "id": el.get("id", ""),
        "version": el.get("version") or "1.0",
        "name": name_of(el),
        "description": _text(child(el, "Description")),
        "valid_from": el.get("validFrom", ""),
        "valid_to": el.get("validTo", ""),
        "names": names_of(el),
    }
    if kind == "Codelist":
        codes = tuple(
            Code(c.get("id", ""), name_of(c), _ref_id(child(c, "Parent")), names_of(c), _deprecated(c))
            for c in children(el, "Code")
        )
        return Codelist(**common, codes=codes)
    if kind == "ConceptScheme":
        return ConceptScheme(
            **common,
            concepts=tuple(
                Concept(c.get("id", ""), name_of(c), names_of(c)) for c in children(el, "Concept")
            ),
        )
    if kind == "Dataflow":
        return Dataflow(**common, structure=reference(child(el, "Structure"), what))
    if kind == "DataStructure":
        return _data_structure(el, common, what)
    return _constraint(el, common, what)


def names_of(el: etree._Element) -> tuple[tuple[str, str], ...]:
    """Every ``(language, name)`` of an element, in document order."""
    return tuple((n.get(XML_LANG, "en"), (n.text or "").strip()) for n in children(el, "Name"))


def _deprecated(code: etree._Element) -> str:
    """The value of the code's ``DEPRECATED`` annotation (its date), or empty."""
    notes = child(code, "Annotations")
    for note in children(notes, "Annotation") if notes is not None else []:
        if _text(child(note, "AnnotationType")) == DEPRECATED:
            return _text(child(note, "AnnotationValue")) or "deprecated"
    return ""


def _text(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _ref_id(el: etree._Element | None) -> str:
    """The id an element names: a 2.1 ``<Ref id=…>`` child or 3.0 text (the URN's last part)."""
    if el is None:
        return ""
    ref = child(el, "Ref")
    if ref is not None:
        return ref.get("id", "")
    text = _text(el)
    return text.rpartition(".")[2] if text.startswith("urn:") else text


def reference(el: etree._Element | None, what: str) -> Ref | None:
    """The maintainable artefact an element refers to (2.1 ``<Ref>`` / ``<URN>``, 3.0 URN text)."""
    found = _reference(el, what)
    return found[0] if found else None


def _reference(el: etree._Element | None, what: str) -> tuple[Ref, str] | None:
    """``(artefact, item id)``: the item is the concept of a concept reference, else ``""``."""
    if el is None:
        return None
    ref = child(el, "Ref")
    if ref is not None:
        cls = ref.get("class", "")
        if cls == "Concept":
            parent = Ref(
                "conceptscheme",
                ref.get("agencyID", ""),
                ref.get("maintainableParentID", ""),
                ref.get("maintainableParentVersion") or "1.0",
            )
            return parent, ref.get("id", "")
        kind = _KINDS.get(cls or local(el.tag), "")
        return Ref(kind, ref.get("agencyID", ""), ref.get("id", ""), ref.get("version") or "1.0"), ""
    urn = child(el, "URN")
    return parse_urn(_text(urn if urn is not None else el), what, f"<{local(el.tag)}>")


def parse_urn(text: str, what: str, where: str = "a reference") -> tuple[Ref, str]:
    """``(artefact, item id)`` of an SDMX URN (the item: a concept's id, else ``""``)."""
    match = _URN.match(text.strip())
    if not match:
        raise MalformedMessage(f"{what}: {text!r} in {where} is not an SDMX URN.")
    kind = _KINDS.get(match["cls"].rpartition(".")[2], "")
    if not kind:
        raise MalformedMessage(
            f"{what}: the URN {text} names a {match['cls']}, which the registry does not hold."
        )
    return Ref(kind, match["agency"], match["id"], match["version"]), match["item"] or ""


def _concept(el: etree._Element, what: str) -> ConceptRef | None:
    found = _reference(child(el, "ConceptIdentity"), what)
    return ConceptRef(found[0], found[1]) if found else None


def _codelist(el: etree._Element, what: str) -> Ref | None:
    rep = child(el, "LocalRepresentation")
    return reference(child(rep, "Enumeration"), what) if rep is not None else None


def _data_structure(el: etree._Element, common: dict, what: str) -> DataStructure:
    comps = child(el, "DataStructureComponents")
    if comps is None:
        raise MalformedMessage(f"{what}: the data structure {common['id']} has no DataStructureComponents.")
    groups = {
        g.get("id", ""): tuple(
            _ref_id(child(gd, "DimensionReference")) for gd in children(g, "GroupDimension")
        )
        for g in children(comps, "Group")
    }
    dims: list[tuple[int, Component]] = []
    time_dim = None
    dim_list = child(comps, "DimensionList")
    for pos, d in enumerate(dim_list if dim_list is not None else [], start=1):
        comp = Component(d.get("id", ""), _concept(d, what), _codelist(d, what))
        if local(d.tag) == "TimeDimension":
            time_dim = comp
        elif local(d.tag) == "Dimension":
            dims.append((int(d.get("position") or pos), comp))
    attrs = []
    attr_list = child(comps, "AttributeList")
    for a in children(attr_list, "Attribute") if attr_list is not None else []:
        usage = a.get("usage") or ("mandatory" if a.get("assignmentStatus") == "Mandatory" else "optional")
        attached = _attachment(child(a, "AttributeRelationship"), groups)
        attrs.append(Component(a.get("id", ""), _concept(a, what), _codelist(a, what), usage, attached))
    measure_list = child(comps, "MeasureList")
    measures = [
        Component(m.get("id", ""), _concept(m, what), _codelist(m, what))
        for m in (measure_list if measure_list is not None else [])
        if local(m.tag) in ("Measure", "PrimaryMeasure")
    ]
    return DataStructure(
        **common,
        dimensions=tuple(c for _, c in sorted(dims, key=lambda pc: pc[0])),
        time_dimension=time_dim,
        attributes=tuple(attrs),
        measures=tuple(measures),
    )


def _attachment(rel: etree._Element | None, groups: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """``("dataflow",)``, ``("observation",)`` or the dimension ids an attribute attaches to."""
    if rel is None:
        return ("dataflow",)
    kinds = [local(c.tag) for c in rel]
    if {"Observation", "PrimaryMeasure"} & set(kinds):
        return ("observation",)
    dims = tuple(_ref_id(c) for c in rel if local(c.tag) == "Dimension")
    if dims:
        return dims
    for c in rel:
        if local(c.tag) in ("Group", "AttachmentGroup") and _ref_id(c) in groups:
            return groups[_ref_id(c)]
    return ("dataflow",)


def _constraint(el: etree._Element, common: dict, what: str) -> DataConstraint:
    attachment = child(el, "ConstraintAttachment")
    refs = [reference(c, what) for c in (attachment if attachment is not None else [])]
    regions = tuple(
        CubeRegion(
            region.get("include", "true") == "true",
            tuple(
                KeyValue(
                    kv.get("id", ""),
                    tuple(_text(v) for v in children(kv, "Value")),
                    kv.get("include", "true") == "true",
                )
                for kv in children(region, "KeyValue")
            ),
        )
        for region in children(el, "CubeRegion")
    )
    return DataConstraint(
        **common,
        role=el.get("role") or el.get("type") or "Allowed",
        attachments=tuple(r for r in refs if r is not None),
        regions=regions,
    )
