"""Write dataflows, data structures, codelists and availability as SDMX-ML 2.1 or 3.0 structure messages.

They serve the standard SDMX REST endpoint's ``dataflow``, ``datastructure``, ``codelist`` and
``availableconstraint`` resources (2.1) and its REST 2.x ``structure`` and ``availability``
resources (3.0) from the parsed model, whatever the source. The two versions differ in how they
refer to other artefacts (2.1 a ``<Ref>`` child, 3.0 URN text) and in a few element names.
"""

from __future__ import annotations

from lxml import etree

from dataops.errors import InvalidInput
from dataops.sdmx.availability import Availability
from dataops.sdmx.model import Dataflow, Dimension, Structure
from dataops.sdmx.writers import SENDER, message_header

NS = {
    "2.1": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/",
    "3.0": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/",
}
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_URN = "urn:sdmx:org.sdmx.infomodel."


class _Message:
    """A ``<mes:Structure>`` message under construction."""

    def __init__(self, version: str = "2.1") -> None:
        if version not in NS:
            raise InvalidInput(f"SDMX-ML structure messages are written as 2.1 or 3.0, not {version!r}.")
        ns = NS[version]
        self.v3 = version == "3.0"
        self.mes, self.str, self.com = ns + "message", ns + "structure", ns + "common"
        self.root = etree.Element(
            f"{{{self.mes}}}Structure", nsmap={"mes": self.mes, "str": self.str, "com": self.com}
        )
        header = etree.SubElement(self.root, f"{{{self.mes}}}Header")
        head = message_header()
        etree.SubElement(header, f"{{{self.mes}}}ID").text = head["id"]
        etree.SubElement(header, f"{{{self.mes}}}Test").text = "false"
        etree.SubElement(header, f"{{{self.mes}}}Prepared").text = head["prepared"]
        etree.SubElement(header, f"{{{self.mes}}}Sender", id=SENDER)
        self.structures = etree.SubElement(self.root, f"{{{self.mes}}}Structures")

    def el(self, parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
        """A child element; attributes that are ``None`` or empty are left out."""
        return etree.SubElement(parent, f"{{{self.str}}}{tag}", {k: v for k, v in attrs.items() if v})

    def name(self, parent: etree._Element, text: str) -> None:
        etree.SubElement(parent, f"{{{self.com}}}Name", {_LANG: "en"}).text = text

    def ref(self, parent: etree._Element, **attrs: str) -> None:
        etree.SubElement(parent, "Ref", {k: v for k, v in attrs.items() if v})

    def link(self, parent: etree._Element, tag: str, urn: str, **attrs: str) -> None:
        """A reference to another artefact: URN text in 3.0, a ``<Ref>`` with ``attrs`` in 2.1."""
        holder = self.el(parent, tag)
        if self.v3:
            holder.text = urn
        else:
            self.ref(holder, **attrs)

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")


def write_dataflows_ml(flows: list[Dataflow], version: str = "2.1") -> bytes:
    """An SDMX-ML structure message listing dataflows (with their DSD references)."""
    m = _Message(version)
    _dataflows(m, flows)
    return m.bytes()


def _dataflows(m: _Message, flows: list[Dataflow]) -> None:
    container = m.el(m.structures, "Dataflows")
    for f in flows:
        el = m.el(
            container,
            "Dataflow",
            id=f.id,
            agencyID=f.agency,
            version=f.version,
            urn=f"{_URN}datastructure.Dataflow={f.agency}:{f.id}({f.version})",
        )
        m.name(el, f.name)
        if f.structure_id:
            agency, version_ = f.structure_agency or f.agency, f.structure_version or "1.0"
            m.link(
                el,
                "Structure",
                f"{_URN}datastructure.DataStructure={agency}:{f.structure_id}({version_})",
                id=f.structure_id,
                agencyID=agency,
                version=version_,
                package="datastructure",
                **{"class": "DataStructure"},
            )


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


def write_structure_ml(dsd: Structure, children: bool = True, version: str = "2.1") -> bytes:
    """A DSD, with its codelists and a concept scheme of its components when ``children``."""
    return write_structures_ml([dsd], children, version)


def write_structures_ml(
    dsds: list[Structure], children: bool = True, version: str = "2.1", flows: list[Dataflow] | None = None
) -> bytes:
    """DSDs (each once), with their codelists and concept schemes when ``children``, and ``flows``."""
    m = _Message(version)
    unique = list({(d.agency, d.id, d.version): d for d in dsds}.values())
    # The schemas fix the order of the containers, and 2.1 and 3.0 order them differently.
    if flows and not m.v3:
        _dataflows(m, flows)
    if children:
        coded = {(d.agency, cl_id): dim for d in unique for cl_id, dim in coded_codelists(d)}
        _codelists(m, [(agency, cl_id, dim) for (agency, cl_id), dim in coded.items()])
        _concepts(m, unique)
    if flows and m.v3:
        _dataflows(m, flows)
    if unique:
        container = m.el(m.structures, "DataStructures")
        for dsd in unique:
            _data_structure(m, container, dsd)
    return m.bytes()


def _data_structure(m: _Message, container: etree._Element, dsd: Structure) -> None:
    el = m.el(container, "DataStructure", id=dsd.id, agencyID=dsd.agency, version=dsd.version)
    m.name(el, dsd.name or dsd.id)
    components = m.el(el, "DataStructureComponents")
    dims = m.el(components, "DimensionList", id="DimensionDescriptor")
    ordered = sorted(dsd.dimensions, key=lambda d: d.position)
    for pos, dim in enumerate(ordered, start=1):
        d = m.el(dims, "Dimension", id=dim.id, position=str(pos))
        _concept_ref(m, d, dsd, dim.id)
        if len(dim.codes):
            cl_id = codelist_id(dim)
            m.link(
                m.el(d, "LocalRepresentation"),
                "Enumeration",
                f"{_URN}codelist.Codelist={dsd.agency}:{cl_id}(1.0)",
                id=cl_id,
                agencyID=dsd.agency,
                version="1.0",
                package="codelist",
                **{"class": "Codelist"},
            )
    if dsd.time_dimension:
        # 3.0 gives the time dimension no position: it is always last.
        position = None if m.v3 else str(len(dsd.dimensions) + 1)
        t = m.el(dims, "TimeDimension", id=dsd.time_dimension, position=position)
        _concept_ref(m, t, dsd, dsd.time_dimension)
        m.el(m.el(t, "LocalRepresentation"), "TextFormat", textType="ObservationalTimePeriod")
    if dsd.attributes:
        attrs = m.el(components, "AttributeList", id="AttributeDescriptor")
        for attr in dsd.attributes:
            if m.v3:
                usage = {"usage": "mandatory" if attr.mandatory else "optional"}
            else:
                usage = {"assignmentStatus": "Mandatory" if attr.mandatory else "Conditional"}
            a = m.el(attrs, "Attribute", id=attr.id, **usage)
            _concept_ref(m, a, dsd, attr.id)
            _relationship(m, m.el(a, "AttributeRelationship"), dsd, ordered, attr.level)
    measures = m.el(components, "MeasureList", id="MeasureDescriptor")
    measure = m.el(measures, "Measure" if m.v3 else "PrimaryMeasure", id=dsd.primary_measure)
    _concept_ref(m, measure, dsd, dsd.primary_measure)


def _relationship(
    m: _Message, rel: etree._Element, dsd: Structure, ordered: list[Dimension], level: str
) -> None:
    if level == "observation":
        if m.v3:
            m.el(rel, "Observation")
        else:
            m.ref(m.el(rel, "PrimaryMeasure"), id=dsd.primary_measure)
    elif level in ("group", "series"):
        # The model keeps no group's own dimensions: a group attribute is written for the
        # SDMX sibling group (every dimension but the first, the frequency), as ECB does.
        for dim in ordered[1:] if level == "group" and len(ordered) > 1 else ordered:
            if m.v3:
                m.el(rel, "Dimension").text = dim.id
            else:
                m.ref(m.el(rel, "Dimension"), id=dim.id)
    else:
        m.el(rel, "Dataflow" if m.v3 else "None")


def write_codelists_ml(agency: str, codelists: list[tuple[str, Dimension]], version: str = "2.1") -> bytes:
    """Codelists ``(id, dimension holding the codes)`` in one structure message."""
    m = _Message(version)
    _codelists(m, [(agency, cl_id, dim) for cl_id, dim in codelists])
    return m.bytes()


def _codelists(m: _Message, codelists: list[tuple[str, str, Dimension]]) -> None:
    if not codelists:
        return
    container = m.el(m.structures, "Codelists")
    for agency, cl_id, dim in codelists:
        cl = m.el(container, "Codelist", id=cl_id, agencyID=agency, version="1.0")
        m.name(cl, f"Codes of {dim.name or dim.id}")
        for code, name in zip(dim.codes["id"].astype(str), dim.codes["name"].astype(str), strict=False):
            m.name(m.el(cl, "Code", id=code), name)


def _concepts(m: _Message, dsds: list[Structure]) -> None:
    container = m.el(m.structures, "ConceptSchemes" if m.v3 else "Concepts")
    for dsd in dsds:
        _concept_scheme(m, container, dsd)


def _concept_scheme(m: _Message, container: etree._Element, dsd: Structure) -> None:
    scheme = m.el(container, "ConceptScheme", id=concept_scheme_id(dsd), agencyID=dsd.agency, version="1.0")
    m.name(scheme, f"Concepts of {dsd.name or dsd.id}")
    named = [(d.id, d.name) for d in dsd.dimensions] + [(a.id, a.name) for a in dsd.attributes]
    if dsd.time_dimension:
        named.append((dsd.time_dimension, "Time period"))
    named.append((dsd.primary_measure, "Observation value"))
    for cid, name in dict(named).items():
        m.name(m.el(scheme, "Concept", id=cid), name or cid)


def _concept_ref(m: _Message, parent: etree._Element, dsd: Structure, concept: str) -> None:
    scheme = concept_scheme_id(dsd)
    m.link(
        parent,
        "ConceptIdentity",
        f"{_URN}conceptscheme.Concept={dsd.agency}:{scheme}(1.0).{concept}",
        id=concept,
        maintainableParentID=scheme,
        maintainableParentVersion="1.0",
        agencyID=dsd.agency,
        package="conceptscheme",
        **{"class": "Concept"},
    )


def write_availability(
    answer: Availability, agency: str, version: str = "2.1", dataflow: Dataflow | None = None
) -> bytes:
    """An actual constraint (2.1 ``ContentConstraint``, 3.0 ``DataConstraint``) listing codes with data,
    attached to ``dataflow`` when given."""
    m = _Message(version)
    tag = "ContentConstraint" if version == "2.1" else "DataConstraint"
    el = m.el(
        m.el(m.structures, "DataConstraints" if m.v3 else "Constraints"),
        tag,
        id="AVAILABILITY",
        agencyID=agency,
        version="1.0",
        # 2.1 names the kind of constraint ``type``, 3.0 ``role``.
        **{"role" if m.v3 else "type": "Actual"},
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
    if dataflow is not None:
        m.link(
            m.el(el, "ConstraintAttachment"),
            "Dataflow",
            f"{_URN}datastructure.Dataflow={dataflow.agency}:{dataflow.id}({dataflow.version})",
            id=dataflow.id,
            agencyID=dataflow.agency,
            version=dataflow.version,
            package="datastructure",
            **{"class": "Dataflow"},
        )
    region = m.el(el, "CubeRegion", include="true")
    # 3.0 moved a cube region's key values from the common into the structure namespace.
    ns = m.str if m.v3 else m.com
    for dim_id, codes in answer.codes.items():
        kv = etree.SubElement(region, f"{{{ns}}}KeyValue", id=dim_id)
        for code in codes:
            etree.SubElement(kv, f"{{{ns}}}Value").text = code
    return m.bytes()
