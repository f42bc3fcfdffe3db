"""The requests the SDMX REST endpoint answers, built from a path's segments, its query and ``Accept``.

Each ``*_v1``/``*_v2`` function takes the segments of one route (``None`` for one left out), the query
parameters (one value each) and the ``Accept`` header, and returns a typed request; whatever a client
can get wrong without the source being asked is an `InvalidInput` or `NotAcceptable` raised here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from dataops.errors import InvalidInput
from dataops.sdmx.rest import negotiation
from dataops.sdmx.rest.key_filters import Filters, plain_key
from dataops.sdmx.rest.terms import ANY, ONE_AT_A_TIME, References, Selector

ARTEFACT_TYPES = ("dataflow", "datastructure", "codelist", "dataconstraint")


@dataclass(frozen=True)
class DataRequest:
    """Observations of one dataflow under a key (``all`` or positions with ``+``-separated codes)."""

    source: str
    flow: Selector
    key: str
    format: str
    start: str | None = None
    end: str | None = None
    last: int | None = None
    first: int | None = None
    updated_after: str | None = None
    series_keys_only: bool = False
    codes: Mapping[str, frozenset[str]] = field(default_factory=dict)  # 2.x ``c[DIM]``, not yet in the key
    flat: bool = False  # ``dimensionAtObservation=AllDimensions``: observations not grouped in series
    as_of: str | None = None  # 2.x ``asOf``: the data as they were then (store sources keep vintages)
    include_history: bool = False  # ``includeHistory=true``: one dataset per past version (store sources)


@dataclass(frozen=True)
class StructureRequest:
    """Dataflows, data structures or codelists; ``api`` 1 answers SDMX 2.1 / SDMX-JSON 1.0, 2 SDMX 3.0 / 2.0."""

    source: str
    resource: str
    selector: Selector
    references: References
    format: str
    api: int


@dataclass(frozen=True)
class AvailabilityRequest:
    """The codes with data under a key of one dataflow, as an actual constraint."""

    source: str
    flow: Selector
    key: str
    format: str
    api: int


def data_v1(
    source: str,
    flow: str,
    key: str | None = None,
    provider: str | None = None,
    *,
    query: Mapping[str, str],
    accept: str,
) -> DataRequest:
    """``data/{flowRef}[/{key}[/{provider}]]``: the flow as ``EXR``, ``ECB,EXR`` or ``ECB,EXR,1.0``."""
    _any_provider(provider)
    start, end = _nonempty(query, "startPeriod"), _nonempty(query, "endPeriod")
    return _data(negotiation.DATA_1, source, _flow_ref_v1(flow), plain_key(key), query, accept, start, end)


def data_v2(
    source: str,
    agency: str,
    resource: str,
    version: str | None = None,
    key: str | None = None,
    *,
    query: Mapping[str, str],
    accept: str,
) -> DataRequest:
    """``data/dataflow/{agency}/{id}[/{version}[/{key}]]`` with ``c[...]`` filters."""
    for name in ("attributes", "measures"):
        value = query.get(name, "all")
        if value not in ("all", "dsd"):
            raise InvalidInput(f"{name} must be 'all' or 'dsd' here, not {value!r}.")
    if "," in (key or ""):
        raise InvalidInput(ONE_AT_A_TIME)
    flow = Selector.parse(agency, resource, version)
    flow.require_one_flow()
    filters = Filters.parse(query)
    request = _data(
        negotiation.DATA_2,
        source,
        flow,
        plain_key(key),
        query,
        accept,
        filters.start,
        filters.end,
        filters.codes,
    )
    return replace(request, as_of=as_of(query, request.updated_after))


def as_of(query: Mapping[str, str], updated_after: str | None) -> str | None:
    """REST 2.x ``asOf`` (an xs:dateTime), refused when ``updatedAfter`` is later, as the standard asks."""
    from dataops.store.vintages import parse_instant

    text = _nonempty(query, "asOf")
    if text is None:
        return None
    moment = parse_instant(text)
    if moment is None:
        raise InvalidInput(f"asOf must be a date-time such as 2026-11-30T12:00:00Z, not {text!r}.")
    since = parse_instant(updated_after) if updated_after else None
    if since is not None and since > moment:
        raise InvalidInput(f"updatedAfter ({updated_after}) is later than asOf ({text}).")
    return text


def dataflow_v1(
    source: str,
    agency: str | None = None,
    resource: str | None = None,
    version: str | None = None,
    *,
    query: Mapping[str, str],
    accept: str,
) -> StructureRequest:
    """``dataflow[/{agency}[/{id}[/{version}]]]``."""
    return _structure(source, "dataflow", Selector.parse(agency, resource, version), query, accept, 1)


def datastructure_v1(
    source: str,
    agency: str,
    resource: str,
    version: str | None = None,
    *,
    query: Mapping[str, str],
    accept: str,
) -> StructureRequest:
    """``datastructure/{agency}/{id}[/{version}]``: one data structure."""
    return _one_v1(source, "datastructure", "data structure", agency, resource, version, query, accept)


def codelist_v1(
    source: str,
    agency: str,
    resource: str,
    version: str | None = None,
    *,
    query: Mapping[str, str],
    accept: str,
) -> StructureRequest:
    """``codelist/{agency}/{id}[/{version}]``: one codelist."""
    return _one_v1(source, "codelist", "codelist", agency, resource, version, query, accept)


def _one_v1(
    source: str,
    kind: str,
    noun: str,
    agency: str,
    resource: str,
    version: str | None,
    query: Mapping[str, str],
    accept: str,
) -> StructureRequest:
    """A 1.x structure path that must name exactly one artefact."""
    request = _structure(source, kind, Selector.parse(agency, resource, version), query, accept, 1)
    if request.selector.one_id is None:
        raise InvalidInput(f"Name one {noun}: {kind}/{{agency}}/{{id}}/{{version}}.")
    return request


def structure_v2(
    source: str,
    kind: str,
    agency: str | None = None,
    resource: str | None = None,
    version: str | None = None,
    *,
    query: Mapping[str, str],
    accept: str,
) -> StructureRequest:
    """``structure/{type}[/{agency}[/{id}[/{version}]]]`` for the types in `ARTEFACT_TYPES`."""
    if kind not in ARTEFACT_TYPES:
        raise InvalidInput(
            f"This endpoint serves the structure types {', '.join(ARTEFACT_TYPES)}, not {kind!r}."
        )
    request = _structure(source, kind, Selector.parse(agency, resource, version), query, accept, 2)
    if kind == "codelist":
        if request.selector.one_id is None:
            raise InvalidInput("Name one codelist: structure/codelist/{agency}/{id}/{version}.")
        if request.references.parents:
            raise InvalidInput(
                "Codelists are served without the data structures that use them; ask for "
                "structure/datastructure/... with references=children."
            )
    return request


def availableconstraint_v1(
    source: str,
    flow: str,
    key: str | None = None,
    provider: str | None = None,
    *,
    query: Mapping[str, str],
    accept: str,
) -> AvailabilityRequest:
    """``availableconstraint/{flowRef}[/{key}[/{provider}[/{component}]]]``."""
    _any_provider(provider)
    return _availability(source, _flow_ref_v1(flow), key, query, accept, 1)


def availability_v2(
    source: str,
    agency: str,
    resource: str,
    version: str,
    key: str | None = None,
    *,
    query: Mapping[str, str],
    accept: str,
) -> AvailabilityRequest:
    """``availability/dataflow/{agency}/{id}/{version}[/{key}[/{component}]]``."""
    flow = Selector.parse(agency, resource, version)
    flow.require_one_flow()
    return _availability(source, flow, key, query, accept, 2)


def whole_number(query: Mapping[str, str], name: str, lowest: int) -> int | None:
    """A whole-number query parameter (``None`` when absent or empty), or `InvalidInput` naming it."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if not raw.strip().isdigit() or int(raw) < lowest:
        raise InvalidInput(f"The parameter {name} must be a whole number of at least {lowest}, not {raw!r}.")
    return int(raw)


def _flow_ref_v1(text: str) -> Selector:
    # ``ECB,EXR,1.0`` spells the segments of a 2.x path; ``EXR`` and ``ECB:EXR(1.0)`` go to the
    # provider's reference syntax as they are.
    parts = text.split(",")
    if len(parts) in (2, 3):
        return Selector.parse(parts[0], parts[1], parts[2] if len(parts) == 3 else None)
    return Selector(ids=(text,))


def _any_provider(provider: str | None) -> None:
    if provider is not None and provider not in ANY:
        raise InvalidInput(f"Data provider {provider!r} is not supported; use 'all'.")


def _nonempty(query: Mapping[str, str], name: str) -> str | None:
    return query.get(name) or None


def _data(
    offer: negotiation.Offer,
    source: str,
    flow: Selector,
    key: str,
    query: Mapping[str, str],
    accept: str,
    start: str | None,
    end: str | None,
    codes: Mapping[str, frozenset[str]] | None = None,
) -> DataRequest:
    fmt = negotiation.choose(offer, accept, query.get("format"))
    detail = query.get("detail", "full")
    if detail not in ("full", "serieskeysonly"):
        raise InvalidInput(f"detail must be 'full' or 'serieskeysonly', not {detail!r}.")
    at_observation = query.get("dimensionAtObservation", "TIME_PERIOD")
    if at_observation not in ("TIME_PERIOD", "AllDimensions"):
        raise InvalidInput("dimensionAtObservation must be TIME_PERIOD or AllDimensions here.")
    if query.get("includeHistory", "false") not in ("true", "false"):
        raise InvalidInput(f"includeHistory must be true or false, not {query['includeHistory']!r}.")
    include_history = query.get("includeHistory") == "true"
    if include_history:
        from dataops.sdmx.history_messages import check_format

        if query.get("lastNObservations") or query.get("firstNObservations"):
            raise InvalidInput(
                "includeHistory=true answers whole versions: leave out firstNObservations and lastNObservations."
            )
        check_format(fmt)
        if detail != "full":
            raise InvalidInput("includeHistory=true answers observations: use it with detail=full.")
    return DataRequest(
        source,
        flow,
        key,
        fmt,
        start=start,
        end=end,
        last=whole_number(query, "lastNObservations", 1),
        first=whole_number(query, "firstNObservations", 1),
        updated_after=_nonempty(query, "updatedAfter"),
        series_keys_only=detail == "serieskeysonly",
        codes=codes or {},
        flat=at_observation == "AllDimensions",
        include_history=include_history,
    )


def _structure(
    source: str, resource: str, selector: Selector, query: Mapping[str, str], accept: str, api: int
) -> StructureRequest:
    fmt = negotiation.choose(
        negotiation.STRUCTURE_1 if api == 1 else negotiation.STRUCTURE_2, accept, query.get("format")
    )
    references = References.parse(query.get("references", "none"))
    return StructureRequest(source, resource, selector, references, fmt, api)


def _availability(
    source: str, flow: Selector, key: str | None, query: Mapping[str, str], accept: str, api: int
) -> AvailabilityRequest:
    fmt = negotiation.choose(
        negotiation.STRUCTURE_1 if api == 1 else negotiation.STRUCTURE_2, accept, query.get("format")
    )
    mode = query.get("mode", "available")
    if mode != "available":
        raise InvalidInput(f"Only mode=available is supported here, not {mode!r}.")
    return AvailabilityRequest(source, flow, plain_key(key), fmt, api)
