"""The organisation's own SDMX artefacts, as the registry holds them: one maintainable artefact each.

These keep what `dataops.sdmx.model` flattens away (the version of every reference, constraints,
concept schemes), so that two versions of an artefact can be compared and written back unchanged.
`dataops.metadata.registry` turns them into the `dataops.sdmx.model` types the rest of `dataops` uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

URN_PREFIX = "urn:sdmx:org.sdmx.infomodel."

# kind → the URN's ``package.Class``; the kinds are also the registry's folder names.
URN_CLASSES = {
    "codelist": "codelist.Codelist",
    "conceptscheme": "conceptscheme.ConceptScheme",
    "datastructure": "datastructure.DataStructure",
    "dataflow": "datastructure.Dataflow",
    "dataconstraint": "registry.DataConstraint",
}
KINDS = tuple(URN_CLASSES)


@dataclass(frozen=True, order=True)
class Ref:
    """A reference to one version of a maintainable artefact: ``kind`` is one of `KINDS`."""

    kind: str
    agency: str
    id: str
    version: str

    @property
    def urn(self) -> str:
        """The SDMX URN, e.g. ``urn:sdmx:org.sdmx.infomodel.codelist.Codelist=ECB:CL_FREQ(1.0)``."""
        return f"{URN_PREFIX}{URN_CLASSES[self.kind]}={self.agency}:{self.id}({self.version})"

    @property
    def key(self) -> tuple[str, str, str]:
        """What every version of the artefact shares: kind, agency, id."""
        return (self.kind, self.agency, self.id)

    def __str__(self) -> str:
        return f"{self.kind} {self.agency}:{self.id}({self.version})"


Names = tuple[tuple[str, str], ...]  # (language, text) pairs, in the order the file gives them


def primary_language(names: Names) -> str:
    """The language ``name`` stands for: English when there is an English name, else the first."""
    langs = [lang for lang, _ in names]
    return "en" if "en" in langs or not langs else langs[0]


def synced(names: Names, name: str) -> Names:
    """``names`` with the primary language's text set to ``name`` (so editing ``name`` is enough)."""
    if not names:
        return names
    primary = primary_language(names)
    return tuple((lang, name if lang == primary else text) for lang, text in names)


class _Named:
    """Keeps ``names`` in step with ``name`` whenever an object is built (also by `dataclasses.replace`)."""

    name: str
    names: Names

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", synced(self.names, self.name))


@dataclass(frozen=True)
class Code(_Named):
    """A code of a codelist (``parent``: the id of its parent code, for hierarchical codelists).

    ``name`` is its English name (else its first); ``names`` every language's, when read from a file.
    ``deprecated``: the date (ISO) from which the code should no longer be used, or empty. SDMX 3.0
    gives a code no validity of its own (validFrom/validTo belong to versionable artefacts), so it
    travels as the code's annotation of type `DEPRECATED`, its date the annotation's value.
    """

    id: str
    name: str
    parent: str = ""
    names: Names = ()
    deprecated: str = ""


DEPRECATED = "DEPRECATED"  # the AnnotationType of a code's deprecation (SDMX leaves types to their creator)


@dataclass(frozen=True)
class Concept(_Named):
    """A concept of a concept scheme."""

    id: str
    name: str
    names: Names = ()


@dataclass(frozen=True)
class ConceptRef:
    """A component's concept: concept ``id`` in the concept scheme ``scheme``."""

    scheme: Ref
    id: str


@dataclass(frozen=True)
class Component:
    """A dimension, attribute or measure of a data structure.

    ``codelist`` is the enumeration of its values (None: not coded). For attributes, ``usage`` is
    ``mandatory`` or ``optional`` and ``attached_to`` says where values attach: ``dataflow``,
    ``observation``, or the dimension ids of a series or group.
    """

    id: str
    concept: ConceptRef | None = None
    codelist: Ref | None = None
    usage: str = "optional"
    attached_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Artefact(_Named):
    """What every maintainable artefact has: agency, id, version, a name (``names``: in every language
    the file gave), an optional validity period."""

    kind: ClassVar[str] = ""
    agency: str
    id: str
    version: str
    name: str
    description: str = ""
    valid_from: str = ""
    valid_to: str = ""
    names: Names = ()

    @property
    def ref(self) -> Ref:
        """The reference to this very version."""
        return Ref(self.kind, self.agency, self.id, self.version)

    def references(self) -> list[Ref]:
        """The other artefacts this one refers to."""
        return []


@dataclass(frozen=True)
class Codelist(Artefact):
    kind: ClassVar[str] = "codelist"
    codes: tuple[Code, ...] = ()

    def code_ids(self) -> list[str]:
        """The ids of the codes, in order."""
        return [c.id for c in self.codes]


@dataclass(frozen=True)
class ConceptScheme(Artefact):
    kind: ClassVar[str] = "conceptscheme"
    concepts: tuple[Concept, ...] = ()


@dataclass(frozen=True)
class DataStructure(Artefact):
    """Dimensions in key order (the time dimension apart), attributes and measures."""

    kind: ClassVar[str] = "datastructure"
    dimensions: tuple[Component, ...] = ()
    time_dimension: Component | None = None
    attributes: tuple[Component, ...] = ()
    measures: tuple[Component, ...] = ()

    def components(self) -> list[Component]:
        """Every component: dimensions, time dimension, attributes, measures."""
        time = [self.time_dimension] if self.time_dimension else []
        return [*self.dimensions, *time, *self.attributes, *self.measures]

    def references(self) -> list[Ref]:
        out: list[Ref] = []
        for comp in self.components():
            if comp.concept is not None:
                out.append(comp.concept.scheme)
            if comp.codelist is not None:
                out.append(comp.codelist)
        return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Dataflow(Artefact):
    kind: ClassVar[str] = "dataflow"
    structure: Ref | None = None

    def references(self) -> list[Ref]:
        return [self.structure] if self.structure else []


@dataclass(frozen=True)
class KeyValue:
    """The values of one dimension in a cube region (``include``: listed values are in, else out)."""

    id: str
    values: tuple[str, ...]
    include: bool = True


@dataclass(frozen=True)
class CubeRegion:
    include: bool
    key_values: tuple[KeyValue, ...]


@dataclass(frozen=True)
class DataConstraint(Artefact):
    """An allowed (or actual) content constraint attached to dataflows or data structures."""

    kind: ClassVar[str] = "dataconstraint"
    role: str = "Allowed"
    attachments: tuple[Ref, ...] = ()
    regions: tuple[CubeRegion, ...] = field(default=())

    def references(self) -> list[Ref]:
        return list(self.attachments)


ARTEFACT_TYPES: dict[str, type[Artefact]] = {
    t.kind: t for t in (Codelist, ConceptScheme, DataStructure, Dataflow, DataConstraint)
}
