"""The registry's artefacts as the `dataops.sdmx.model` types the rest of `dataops` reads.

A dataflow resolves to its data structure, each coded dimension to its codelist's codes and each
component to its concept's name, exactly in the versions referenced. A reference that does not
resolve is an `InvalidMetadata` naming the file, the artefact and the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dataops.errors import InvalidMetadata, NotFound, UnknownDataflow
from dataops.metadata.artefacts import (
    Artefact,
    Codelist,
    Component,
    ConceptScheme,
    Dataflow,
    DataStructure,
    Ref,
)
from dataops.sdmx import model
from dataops.sdmx.query import FlowRef

if TYPE_CHECKING:
    from dataops.metadata.registry import Registry


def find_flow(registry: Registry, flow_ref: str | FlowRef) -> Dataflow:
    """The dataflow ``flow_ref`` names (``ECB:EXR(1.0.0)``, ``ECB,EXR,1.0.0``, ``EXR``: latest version)."""
    ref = flow_ref if isinstance(flow_ref, FlowRef) else FlowRef.parse(flow_ref)
    try:
        flow = registry.get("dataflow", ref.agency, ref.id, ref.version)
    except NotFound as exc:
        raise UnknownDataflow(exc.message) from None
    assert isinstance(flow, Dataflow)
    return flow


def missing(registry: Registry, owner: Artefact, what: str, ref: Ref) -> InvalidMetadata:
    """The error for a reference of ``owner`` that the registry cannot resolve."""
    file = registry.file_of.get(owner.ref, "?")
    message = f"{what} refers to {ref}, which the registry does not hold"
    return InvalidMetadata(
        f"{file}, {owner.ref}: {message} (rule: every reference resolves).",
        details={
            "file": file,
            "artefact": str(owner.ref),
            "rule": "every reference resolves",
            "message": message,
        },
    )


def _resolve(registry: Registry, owner: Artefact, what: str, ref: Ref) -> Artefact:
    try:
        return registry.resolve(ref)
    except NotFound:
        raise missing(registry, owner, what, ref) from None


def structure_for(registry: Registry, flow_ref: str | FlowRef) -> tuple[model.Dataflow, model.Structure]:
    """The dataflow and its data structure with every codelist and concept resolved."""
    flow = find_flow(registry, flow_ref)
    if flow.structure is None:
        raise InvalidMetadata(
            f"{registry.file_of.get(flow.ref, '?')}, {flow.ref}: the dataflow names no data structure "
            "(rule: every dataflow has a structure)."
        )
    dsd = _resolve(registry, flow, "the dataflow", flow.structure)
    assert isinstance(dsd, DataStructure)
    return to_model_dataflow(flow), to_model_structure(registry, dsd)


def to_model_dataflow(flow: Dataflow) -> model.Dataflow:
    """A registry dataflow as the query model's stub."""
    s = flow.structure
    return model.Dataflow(
        id=flow.id,
        agency=flow.agency,
        version=flow.version,
        name=flow.name,
        structure_id=s.id if s else "",
        structure_agency=s.agency if s else "",
        structure_version=s.version if s else "",
    )


def _name(registry: Registry, dsd: DataStructure, comp: Component) -> str:
    if comp.concept is None:
        return comp.id
    scheme = _resolve(registry, dsd, f"component {comp.id}'s concept", comp.concept.scheme)
    assert isinstance(scheme, ConceptScheme)
    for concept in scheme.concepts:
        if concept.id == comp.concept.id:
            return concept.name
    file = registry.file_of.get(dsd.ref, "?")
    raise InvalidMetadata(
        f"{file}, {dsd.ref}: component {comp.id}'s concept {comp.concept.id} is not in {scheme.ref} "
        "(rule: every reference resolves)."
    )


def _codes(registry: Registry, dsd: DataStructure, comp: Component) -> pd.DataFrame:
    if comp.codelist is None:
        return pd.DataFrame({"id": pd.Series([], dtype=object), "name": pd.Series([], dtype=object)})
    cl = _resolve(registry, dsd, f"component {comp.id}", comp.codelist)
    assert isinstance(cl, Codelist)
    return pd.DataFrame({"id": [c.id for c in cl.codes], "name": [c.name for c in cl.codes]}, dtype=object)


def to_model_structure(registry: Registry, dsd: DataStructure) -> model.Structure:
    """A registry data structure as the query model's `Structure`, every reference resolved."""
    dim_ids = [d.id for d in dsd.dimensions]
    dims = [
        model.Dimension(
            id=d.id,
            name=_name(registry, dsd, d),
            codes=_codes(registry, dsd, d),
            position=pos,
            codelist=d.codelist.id if d.codelist else "",
        )
        for pos, d in enumerate(dsd.dimensions, start=1)
    ]
    attrs = []
    for a in dsd.attributes:
        if a.attached_to in ((), ("dataflow",)):
            level = "dataset"
        elif a.attached_to == ("observation",):
            level = "observation"
        else:
            level = "series" if set(dim_ids) <= set(a.attached_to) else "group"
        if a.codelist is not None:
            _resolve(registry, dsd, f"attribute {a.id}", a.codelist)
        attrs.append(model.Attribute(a.id, _name(registry, dsd, a), level))
    return model.Structure(
        id=dsd.id,
        agency=dsd.agency,
        version=dsd.version,
        name=dsd.name,
        dimensions=dims,
        time_dimension=dsd.time_dimension.id if dsd.time_dimension else None,
        attributes=attrs,
        primary_measure=dsd.measures[0].id if dsd.measures else "OBS_VALUE",
    )
