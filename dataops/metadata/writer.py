"""Write one artefact as an SDMX-ML 3.0 structure message: the registry's file format.

The output is the same bytes for the same artefact (a header without a clock, one element per
line), so a file in ``metadata/`` changes only where the artefact did and a review diff shows
just that change. `dataops.sdmx.structure_writers` writes what a source serves (the flattened
query model); this writer keeps every reference's version, constraints and concept schemes.
"""

from __future__ import annotations

import re

from lxml import etree

from dataops.errors import InvalidInput
from dataops.metadata.artefacts import (
    DEPRECATED,
    Artefact,
    Codelist,
    Component,
    ConceptScheme,
    DataConstraint,
    Dataflow,
    DataStructure,
    Names,
)
from dataops.sdmx.writers import SENDER

_V3 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/"
_MES, _STR, _COM = _V3 + "message", _V3 + "structure", _V3 + "common"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONTAINERS = {
    "codelist": "Codelists",
    "conceptscheme": "ConceptSchemes",
    "datastructure": "DataStructures",
    "dataflow": "Dataflows",
    "dataconstraint": "DataConstraints",
}
# A fixed preparation time: the file then depends on the artefact only, never on when it was saved.
PREPARED = "1970-01-01T00:00:00Z"


def _s(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{_STR}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        el.text = text
    return el


def _names(el: etree._Element, art_name: str, description: str = "", names: Names = ()) -> None:
    for lang, text in names or (("en", art_name),):
        etree.SubElement(el, f"{{{_COM}}}Name", {_LANG: lang}).text = text
    if description:
        etree.SubElement(el, f"{{{_COM}}}Description", {_LANG: "en"}).text = description


def write_artefact(art: Artefact) -> bytes:
    """``art`` alone in an SDMX-ML 3.0 structure message (UTF-8, indented, deterministic)."""
    return write_artefacts([art], f"{art.id}_{art.version}")


def write_artefacts(arts: list[Artefact], message_id: str = "") -> bytes:
    """Artefacts of one kind in one SDMX-ML 3.0 structure message (what the REST endpoint serves)."""
    kinds = {a.kind for a in arts}
    if len(kinds) != 1:
        raise InvalidInput(f"One message holds artefacts of one kind here, not {sorted(kinds) or 'none'}.")
    root = etree.Element(f"{{{_MES}}}Structure", nsmap={"mes": _MES, "str": _STR, "com": _COM})
    header = etree.SubElement(root, f"{{{_MES}}}Header")
    message_id = re.sub(r"[^A-Za-z0-9_@$-]", "_", message_id or "DATAOPS")
    etree.SubElement(header, f"{{{_MES}}}ID").text = message_id
    etree.SubElement(header, f"{{{_MES}}}Test").text = "false"
    etree.SubElement(header, f"{{{_MES}}}Prepared").text = PREPARED
    etree.SubElement(header, f"{{{_MES}}}Sender", id=SENDER)
    container = _s(etree.SubElement(root, f"{{{_MES}}}Structures"), _CONTAINERS[kinds.pop()])
    for art in arts:
        _artefact(container, art)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _artefact(container: etree._Element, art: Artefact) -> None:
    tag = {"dataconstraint": "DataConstraint"}.get(art.kind, type(art).__name__)
    attrs = {
        "urn": art.ref.urn,
        "agencyID": art.agency,
        "id": art.id,
        "version": art.version,
        "validFrom": art.valid_from,
        "validTo": art.valid_to,
    }
    if isinstance(art, DataConstraint):
        attrs["role"] = art.role
    el = _s(container, tag, **attrs)
    _names(el, art.name or art.id, art.description, art.names)
    if isinstance(art, Codelist):
        for code in art.codes:
            c = _s(el, "Code", id=code.id)
            if code.deprecated:
                note = etree.SubElement(
                    etree.SubElement(c, f"{{{_COM}}}Annotations"), f"{{{_COM}}}Annotation"
                )
                etree.SubElement(note, f"{{{_COM}}}AnnotationType").text = DEPRECATED
                etree.SubElement(note, f"{{{_COM}}}AnnotationValue").text = code.deprecated
            _names(c, code.name or code.id, names=code.names)
            if code.parent:
                _s(c, "Parent", code.parent)
    elif isinstance(art, ConceptScheme):
        for concept in art.concepts:
            _names(_s(el, "Concept", id=concept.id), concept.name or concept.id, names=concept.names)
    elif isinstance(art, Dataflow):
        if art.structure is not None:
            _s(el, "Structure", art.structure.urn)
    elif isinstance(art, DataStructure):
        _data_structure(el, art)
    elif isinstance(art, DataConstraint):
        _constraint(el, art)


def _component(parent: etree._Element, tag: str, comp: Component, **attrs: str) -> etree._Element:
    el = _s(parent, tag, id=comp.id, **attrs)
    if comp.concept is not None:
        _s(
            el,
            "ConceptIdentity",
            f"{comp.concept.scheme.urn.replace('ConceptScheme=', 'Concept=')}.{comp.concept.id}",
        )
    if comp.codelist is not None:
        _s(_s(el, "LocalRepresentation"), "Enumeration", comp.codelist.urn)
    return el


def _data_structure(el: etree._Element, dsd: DataStructure) -> None:
    comps = _s(el, "DataStructureComponents")
    dims = _s(comps, "DimensionList", id="DimensionDescriptor")
    for pos, dim in enumerate(dsd.dimensions, start=1):
        _component(dims, "Dimension", dim, position=str(pos))
    if dsd.time_dimension is not None:
        t = _component(dims, "TimeDimension", dsd.time_dimension)
        _s(_s(t, "LocalRepresentation"), "TextFormat", textType="ObservationalTimePeriod")
    if dsd.attributes:
        attrs = _s(comps, "AttributeList", id="AttributeDescriptor")
        for attr in dsd.attributes:
            a = _component(attrs, "Attribute", attr, usage=attr.usage)
            rel = _s(a, "AttributeRelationship")
            if attr.attached_to in ((), ("dataflow",)):
                _s(rel, "Dataflow")
            elif attr.attached_to == ("observation",):
                _s(rel, "Observation")
            else:
                for dim_id in attr.attached_to:
                    _s(rel, "Dimension", dim_id)
    if dsd.measures:
        measures = _s(comps, "MeasureList", id="MeasureDescriptor")
        for measure in dsd.measures:
            _component(measures, "Measure", measure)


def _constraint(el: etree._Element, con: DataConstraint) -> None:
    if con.attachments:
        attachment = _s(el, "ConstraintAttachment")
        for ref in con.attachments:
            _s(attachment, {"dataflow": "Dataflow", "datastructure": "DataStructure"}[ref.kind], ref.urn)
    for region in con.regions:
        r = _s(el, "CubeRegion", include="true" if region.include else "false")
        for kv in region.key_values:
            k = _s(r, "KeyValue", id=kv.id, **({} if kv.include else {"include": "false"}))
            for value in kv.values:
                _s(k, "Value", value)
