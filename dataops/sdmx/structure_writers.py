"""Write dataflows, data structures, codelists and availability as SDMX-ML 2.1 (and 3.0 availability)
messages.

They serve the standard SDMX REST endpoint's ``dataflow``, ``datastructure``, ``codelist`` and
``availableconstraint`` / ``availability`` resources from the parsed model, whatever the source.
"""

from __future__ import annotations

from lxml import etree

from dataops.sdmx.availability import Availability
from dataops.sdmx.model import Dataflow, Dimension, Structure
from dataops.sdmx.writers import SENDER, _header

NS = {
    "2.1": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/",
    "3.0": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/",
}
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class _Message:
    """A ``<mes:Structure>`` message under construction."""

    def __init__(self, version: str = "2.1") -> None:
        ns = NS[version]
        self.mes, self.str, self.com = ns + "message", ns + "structure", ns + "common"
        self.root = etree.Element(
            f"{{{self.mes}}}Structure", nsmap={"mes": self.mes, "str": self.str, "com": self.com}
        )
        header = etree.SubElement(self.root, f"{{{self.mes}}}Header")
        head = _header()
        etree.SubElement(header, f"{{{self.mes}}}ID").text = head["id"]
        etree.SubElement(header, f"{{{self.mes}}}Test").text = "false"
        etree.SubElement(header, f"{{{self.mes}}}Prepared").text = head["prepared"]
        etree.SubElement(header, f"{{{self.mes}}}Sender", id=SENDER)
        self.structures = etree.SubElement(self.root, f"{{{self.mes}}}Structures")

    def el(self, parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{self.str}}}{tag}", {k: v for k, v in attrs.items() if v})

    def name(self, parent: etree._Element, text: str) -> None:
        etree.SubElement(parent, f"{{{self.com}}}Name", {_LANG: "en"}).text = text

    def ref(self, parent: etree._Element, **attrs: str) -> None:
        etree.SubElement(parent, "Ref", {k: v for k, v in attrs.items() if v})

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")


def write_dataflows_ml_21(flows: list[Dataflow]) -> bytes:
    """An SDMX-ML 2.1 structure message listing dataflows (with their DSD references)."""
    m = _Message()
    container = m.el(m.structures, "Dataflows")
    for f in flows:
        el = m.el(
            container,
            "Dataflow",
            id=f.id,
            agencyID=f.agency,
            version=f.version,
            urn=f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={f.agency}:{f.id}({f.version})",
        )
        m.name(el, f.name)
        if f.structure_id:
            m.ref(
                m.el(el, "Structure"),
                id=f.structure_id,
                agencyID=f.structure_agency or f.agency,
                version=f.structure_version or "1.0",
                package="datastructure",
                **{"class": "DataStructure"},
            )
    return m.bytes()


def codelist_id(dim: Dimension) -> str:
    """The id of a dimension's codelist (``CL_<dimension>`` when the DSD did not name it)."""
    return dim.codelist or f"CL_{dim.id}"


def coded_codelists(dsd: Structure) -> list[tuple[str, Dimension]]:
    """Each codelist of a DSD once, with the first dimension that holds its codes.

    Dimensions may share a codelist (ECB's CURRENCY and CURRENCY_DENOM both use CL_CURRENCY).
    """
    found: dict[str, Dimension] = {}
    for dim in dsd.dimensions:
        if len(dim.codes):
            found.setdefault(codelist_id(dim), dim)
    return list(found.items())


def concept_scheme_id(dsd: Structure) -> str:
    """The concept scheme written beside a DSD."""
    return f"{dsd.id}_CONCEPTS"


def write_structure_ml_21(dsd: Structure, children: bool = True) -> bytes:
    """A DSD, with its codelists and a concept scheme of its components when ``children``."""
    m = _Message()
    if children:
        _codelists(m, dsd.agency, coded_codelists(dsd))
        _concepts(m, dsd)
    container = m.el(m.structures, "DataStructures")
    el = m.el(container, "DataStructure", id=dsd.id, agencyID=dsd.agency, version=dsd.version)
    m.name(el, dsd.name or dsd.id)
    components = m.el(el, "DataStructureComponents")
    dims = m.el(components, "DimensionList", id="DimensionDescriptor")
    for pos, dim in enumerate(sorted(dsd.dimensions, key=lambda d: d.position), start=1):
        d = m.el(dims, "Dimension", id=dim.id, position=str(pos))
        _concept_ref(m, d, dsd, dim.id)
        if len(dim.codes):
            rep = m.el(m.el(d, "LocalRepresentation"), "Enumeration")
            m.ref(
                rep,
                id=codelist_id(dim),
                agencyID=dsd.agency,
                version="1.0",
                package="codelist",
                **{"class": "Codelist"},
            )
    if dsd.time_dimension:
        t = m.el(dims, "TimeDimension", id=dsd.time_dimension, position=str(len(dsd.dimensions) + 1))
        _concept_ref(m, t, dsd, dsd.time_dimension)
        m.el(m.el(t, "LocalRepresentation"), "TextFormat", textType="ObservationalTimePeriod")
    if dsd.attributes:
        attrs = m.el(components, "AttributeList", id="AttributeDescriptor")
        for attr in dsd.attributes:
            a = m.el(attrs, "Attribute", id=attr.id, assignmentStatus="Conditional")
            _concept_ref(m, a, dsd, attr.id)
            rel = m.el(a, "AttributeRelationship")
            if attr.level == "observation":
                m.ref(m.el(rel, "PrimaryMeasure"), id=dsd.primary_measure)
            elif attr.level in ("group", "series"):
                # The model keeps no group's own dimensions: a group attribute is written for the
                # SDMX sibling group (every dimension but the first, the frequency), as ECB does.
                ordered = sorted(dsd.dimensions, key=lambda d: d.position)
                for dim in ordered[1:] if attr.level == "group" and len(ordered) > 1 else ordered:
                    m.ref(m.el(rel, "Dimension"), id=dim.id)
            else:
                m.el(rel, "None")
    measures = m.el(components, "MeasureList", id="MeasureDescriptor")
    _concept_ref(m, m.el(measures, "PrimaryMeasure", id=dsd.primary_measure), dsd, dsd.primary_measure)
    return m.bytes()


def write_codelists_ml_21(agency: str, codelists: list[tuple[str, Dimension]]) -> bytes:
    """Codelists ``(id, dimension holding the codes)`` in one structure message."""
    m = _Message()
    _codelists(m, agency, codelists)
    return m.bytes()


def _codelists(m: _Message, agency: str, codelists: list[tuple[str, Dimension]]) -> None:
    if not codelists:
        return
    container = m.el(m.structures, "Codelists")
    for cl_id, dim in codelists:
        cl = m.el(container, "Codelist", id=cl_id, agencyID=agency, version="1.0")
        m.name(cl, f"Codes of {dim.name or dim.id}")
        for code, name in zip(dim.codes["id"].astype(str), dim.codes["name"].astype(str), strict=False):
            m.name(m.el(cl, "Code", id=code), name)


def _concepts(m: _Message, dsd: Structure) -> None:
    scheme = m.el(
        m.el(m.structures, "Concepts"),
        "ConceptScheme",
        id=concept_scheme_id(dsd),
        agencyID=dsd.agency,
        version="1.0",
    )
    m.name(scheme, f"Concepts of {dsd.name or dsd.id}")
    named = [(d.id, d.name) for d in dsd.dimensions] + [(a.id, a.name) for a in dsd.attributes]
    if dsd.time_dimension:
        named.append((dsd.time_dimension, "Time period"))
    named.append((dsd.primary_measure, "Observation value"))
    for cid, name in dict(named).items():
        m.name(m.el(scheme, "Concept", id=cid), name or cid)


def _concept_ref(m: _Message, parent: etree._Element, dsd: Structure, concept: str) -> None:
    m.ref(
        m.el(parent, "ConceptIdentity"),
        id=concept,
        maintainableParentID=concept_scheme_id(dsd),
        maintainableParentVersion="1.0",
        agencyID=dsd.agency,
        package="conceptscheme",
        **{"class": "Concept"},
    )


def write_availability(answer: Availability, agency: str, version: str = "2.1") -> bytes:
    """An actual constraint (2.1 ``ContentConstraint``, 3.0 ``DataConstraint``) listing codes with data."""
    m = _Message(version)
    tag = "ContentConstraint" if version == "2.1" else "DataConstraint"
    el = m.el(
        m.el(m.structures, "Constraints"),
        tag,
        id="AVAILABILITY",
        agencyID=agency,
        version="1.0",
        role="Actual",
    )
    annotations = etree.SubElement(el, f"{{{m.com}}}Annotations")
    for kind in ("series_count", "obs_count"):
        value = getattr(answer, kind)
        if value is not None:
            ann = etree.SubElement(annotations, f"{{{m.com}}}Annotation")
            etree.SubElement(ann, f"{{{m.com}}}AnnotationTitle").text = str(value)
            etree.SubElement(ann, f"{{{m.com}}}AnnotationType").text = kind
    if len(annotations) == 0:
        el.remove(annotations)
    m.name(el, "Availability")
    region = m.el(el, "CubeRegion", include="true")
    for dim_id, codes in answer.codes.items():
        kv = m.el(region, "KeyValue", id=dim_id)
        for code in codes:
            etree.SubElement(kv, f"{{{m.com}}}Value").text = code
    return m.bytes()
