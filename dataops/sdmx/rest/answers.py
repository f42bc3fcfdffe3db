"""Answers of the SDMX REST endpoint: a request of `dataops.sdmx.rest.request` → media type and body.

Blocking (the source is asked through `dataops.sdmx.service`, whose parsed structures are
remembered); the server calls `answer` in a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dataops.config import Config
from dataops.errors import NotAcceptable, NotFound, UnknownDataflow
from dataops.sdmx import data_messages, history_messages, service, structure_json_writers, structure_writers
from dataops.sdmx.model import Dataflow, Dimension, Structure
from dataops.sdmx.rest.key_filters import narrowed_key
from dataops.sdmx.rest.negotiation import CONTENT_TYPES
from dataops.sdmx.rest.request import AvailabilityRequest, DataRequest, StructureRequest
from dataops.sdmx.rest.terms import Selector, Versions

# The SDMX-ML or SDMX-JSON version each negotiated structure format is written in.
_MESSAGE_VERSIONS = {"xml": "2.1", "json": "1.0", "xml30": "3.0", "json20": "2.0"}
_XML = ("xml", "xml30")


@dataclass(frozen=True)
class Answer:
    """A body and its media type; ``query_url`` is the provider URL a data answer came from.

    ``body`` is bytes, or (SDMX-ML and SDMX-JSON 2.0 data) an iterator of chunks to be sent as
    they come, so a large message is never held whole.
    """

    media_type: str
    body: bytes | Iterator[bytes]
    query_url: str | None = None


def answer(config: Config, request: DataRequest | StructureRequest | AvailabilityRequest) -> Answer:
    """The endpoint's answer to one request; `DataOpsError`s say what the source lacks or refused."""
    if isinstance(request, DataRequest):
        return _data(config, request)
    if isinstance(request, AvailabilityRequest):
        return _availability(config, request)
    if request.resource == "codelist":
        return _codelist(config, request)
    if request.resource == "dataconstraint":  # a metadata source's own constraints, SDMX-ML 3.0 only
        if request.format != "xml30":
            raise NotAcceptable("Content constraints are served as SDMX-ML 3.0 only.")
        return _structure_answer("xml30", service.constraints_ml(config, request.source, request.selector))
    if request.api == 1:
        return (
            _dataflows_v1(config, request)
            if request.resource == "dataflow"
            else _datastructure_v1(config, request)
        )
    return _structures_v2(config, request)


def flow_ref(config: Config, source: str, flow: Selector) -> str:
    """The reference of the one dataflow ``flow`` names, ``+`` resolved against the source's dataflows."""
    return flow.flow_ref(service.dataflows(config, source) if flow.rule is Versions.LATEST_STABLE else ())


def _data(config: Config, request: DataRequest) -> Answer:
    ref = flow_ref(config, request.source, request.flow)
    key = request.key
    if request.codes:
        _, dsd = service.structure(config, request.source, ref)
        dims = [d.id for d in sorted(dsd.dimensions, key=lambda d: d.position)]
        key = narrowed_key(key, dims, request.codes)
    if request.include_history:
        return _history(config, request, ref, key)
    fetched = service.fetch(
        config,
        request.source,
        ref,
        key,
        start=request.start,
        end=request.end,
        last=request.last,
        first=request.first,
        updated_after=request.updated_after,
        series_keys_only=request.series_keys_only,
        as_of=request.as_of,
    )
    body = data_messages.write(
        request.format, fetched.table, fetched.dataflow, fetched.structure, flat=request.flat
    )
    return Answer(CONTENT_TYPES[("data", request.format)], body, fetched.url)


def _history(config: Config, request: DataRequest, ref: str, key: str) -> Answer:
    dataflow, structure, versions = service.history(
        config,
        request.source,
        ref,
        key,
        start=request.start,
        end=request.end,
        updated_after=request.updated_after,
        as_of=request.as_of,
    )
    body = history_messages.write(request.format, versions, dataflow, structure, flat=request.flat)
    return Answer(CONTENT_TYPES[("data", request.format)], body)


def _availability(config: Config, request: AvailabilityRequest) -> Answer:
    ref = flow_ref(config, request.source, request.flow)
    codes = service.availability(config, request.source, ref, request.key)
    dataflow, _ = service.structure(config, request.source, ref)
    version = _MESSAGE_VERSIONS[request.format]
    if request.format in _XML:
        body = structure_writers.write_availability(codes, dataflow.agency, version, dataflow)
    else:
        body = structure_json_writers.write_availability_json(codes, dataflow, version)
    return _structure_answer(request.format, body)


def _dataflows_v1(config: Config, request: StructureRequest) -> Answer:
    named = request.selector
    picked = named.pick(service.dataflows(config, request.source))
    if named.ids and not picked:
        raise UnknownDataflow(f"The source {request.source} has no dataflow {','.join(named.ids)!r}.")
    if request.format == "xml":
        return _structure_answer("xml", structure_writers.write_dataflows_ml(picked))
    return _structure_answer("json", structure_json_writers.write_dataflows_json(picked))


def _datastructure_v1(config: Config, request: StructureRequest) -> Answer:
    _, dsds = _structures_named(config, request.source, request.selector)
    if not dsds:
        raise NotFound(
            f"The source {request.source} has no data structure {request.selector.one_id!r} in use by a dataflow."
        )
    children = request.references.children
    if request.format == "xml":
        return _structure_answer("xml", structure_writers.write_structure_ml(dsds[0], children))
    return _structure_answer("json", structure_json_writers.write_structure_json(dsds[0], children))


def _structures_v2(config: Config, request: StructureRequest) -> Answer:
    named, references = request.selector, request.references
    found: list[Dataflow] | list[Structure]
    if request.resource == "dataflow":
        flows = named.pick(service.dataflows(config, request.source))
        # A dataflow's children are its data structure only; its descendants add codelists and concepts.
        dsds = [_structure_of(config, request.source, f) for f in flows] if references.children else []
        children, found = references.descendants, flows
    else:
        using, dsds = _structures_named(config, request.source, named)
        kept = {(d.agency, d.id, d.version) for d in dsds}
        flows = [f for f, d in using if (d.agency, d.id, d.version) in kept] if references.parents else []
        children, found = references.children, dsds
    if named.ids and not found:
        raise NotFound(
            f"The source {request.source} has no {request.resource} {','.join(named.ids)!r} "
            f"in version {named.version_label}."
        )
    version = _MESSAGE_VERSIONS[request.format]
    if request.format in _XML:
        body = structure_writers.write_structures_ml(dsds, children, version, flows)
    else:
        body = structure_json_writers.write_structures_json(dsds, children, version, flows)
    return _structure_answer(request.format, body)


def _codelist(config: Config, request: StructureRequest) -> Answer:
    named = request.selector
    cl_id = named.one_id
    if not named.admits("1.0"):
        # Codelists are published once, as version 1.0, beside the structures that use them.
        raise NotFound(f"The codelist {cl_id} of the source {request.source} exists in version 1.0 only.")
    owner, dim = _find_codelist(config, request.source, named)
    found_id = structure_writers.codelist_id(dim)  # the id named: `_find_codelist` matched on it
    version = _MESSAGE_VERSIONS[request.format]
    if request.format in _XML:
        body = structure_writers.write_codelists_ml(owner, [(found_id, dim)], version)
    else:
        body = structure_json_writers.write_codelists_json(owner, [(found_id, dim)], version)
    return _structure_answer(request.format, body)


def _structure_answer(fmt: str, body: bytes) -> Answer:
    return Answer(CONTENT_TYPES[("structure", fmt)], body)


def _structure_of(config: Config, source: str, flow: Dataflow) -> Structure:
    return service.structure(config, source, f"{flow.agency}:{flow.id}({flow.version})")[1]


def _structures_named(
    config: Config, source: str, named: Selector
) -> tuple[list[tuple[Dataflow, Structure]], list[Structure]]:
    """The data structures named (found through the dataflows that use them, whose structures only
    are loaded), each once, with every (dataflow, structure) pair looked at."""
    using = [
        f
        for f in service.dataflows(config, source)
        if named.names_id(f.structure_id) and named.names_agency(f.structure_agency or f.agency)
    ]
    both = [(f, _structure_of(config, source, f)) for f in using]
    once: dict[tuple[str, str, str], Structure] = {}
    for dsd in named.pick(d for _, d in both):
        once.setdefault((dsd.agency, dsd.id, dsd.version), dsd)
    return both, list(once.values())


def _find_codelist(config: Config, source: str, named: Selector) -> tuple[str, Dimension]:
    """The agency of the structure and the dimension that hold the codelist named."""
    for flow in service.dataflows(config, source):
        dsd = _structure_of(config, source, flow)
        if not named.names_agency(dsd.agency):
            continue
        for dim in dsd.dimensions:
            if len(dim.codes) and structure_writers.codelist_id(dim) == named.one_id:
                return dsd.agency, dim
    raise NotFound(f"No data structure of the source {source} uses a codelist {named.one_id!r}.")
