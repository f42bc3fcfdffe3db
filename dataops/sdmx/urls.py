"""SDMX REST URLs for 1.x (SDMX 2.1) and 2.x (SDMX 3.0) endpoints: pure functions, no I/O."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from dataops.sdmx.query import DataQuery, FlowRef
from dataops.sdmx.sources import Source


def _join(source: Source, *segments: str) -> str:
    return source.url.rstrip("/") + "/" + "/".join(quote(s, safe="@$+,*~:") for s in segments)


def _flow_id(source: Source, flow: FlowRef) -> str:
    # Eurostat stores flow ids in upper case and is tolerant of case; normalise for cache hits.
    return flow.id.upper() if source.quirks.case_insensitive_ids else flow.id


def _agency(source: Source, flow: FlowRef, v2: bool) -> str:
    agency = flow.agency or (source.agency if source.agency != "all" else "")
    return agency or ("*" if v2 else "all")


def dataflows_url(source: Source) -> httpx.URL:
    """All dataflows of the source's agency, as stubs."""
    if source.rest_version == 2:
        return httpx.URL(
            _join(source, "structure", "dataflow", _agency(source, FlowRef("x"), True), "*", "~"),
            params={"detail": "allstubs"},
        )
    return httpx.URL(
        _join(source, "dataflow", _agency(source, FlowRef("x"), False), "all", "latest"),
        params={"detail": "allstubs"},
    )


def dataflow_url(source: Source, flow: FlowRef) -> httpx.URL:
    """One dataflow, with its reference to the data structure."""
    if source.rest_version == 2:
        return httpx.URL(
            _join(
                source,
                "structure",
                "dataflow",
                _agency(source, flow, True),
                _flow_id(source, flow),
                flow.version or "~",
            )
        )
    return httpx.URL(
        _join(
            source, "dataflow", _agency(source, flow, False), _flow_id(source, flow), flow.version or "latest"
        )
    )


def structure_url(source: Source, agency: str, dsd_id: str, version: str) -> httpx.URL:
    """A data structure definition with its codelists and concepts (``references=children``)."""
    if source.rest_version == 2:
        path = _join(source, "structure", "datastructure", agency or "*", dsd_id, version or "~")
    else:
        path = _join(source, "datastructure", agency or "all", dsd_id, version or "latest")
    return httpx.URL(path, params={"references": "children"})


def availability_url(source: Source, flow: FlowRef, key: str) -> httpx.URL:
    """The codes that have data under ``key`` in each dimension (``mode=available``)."""
    if source.rest_version == 2:
        path = _join(
            source,
            "availability",
            "dataflow",
            _agency(source, flow, True),
            _flow_id(source, flow),
            flow.version or "~",
            key,
            "*",
        )
    else:
        path = _join(source, "availableconstraint", _flow_ref_1(source, flow), key, "all", "all")
    return httpx.URL(path, params={"mode": "available"})


def data_url(source: Source, query: DataQuery, time_dimension: str | None = "TIME_PERIOD") -> httpx.URL:
    """The data query URL with key, periods, observation limits and detail."""
    params: dict[str, str] = {}
    if source.rest_version == 2:
        path = _join(
            source,
            "data",
            "dataflow",
            _agency(source, query.flow, True),
            _flow_id(source, query.flow),
            query.flow.version or "~",
            query.key.to_rest(2),
        )
        bounds = [f"ge:{query.start}"] if query.start else []
        bounds += [f"le:{query.end}"] if query.end else []
        if bounds:
            params[f"c[{time_dimension or 'TIME_PERIOD'}]"] = "+".join(bounds)
        if query.series_keys_only:
            params.update(attributes="none", measures="none")
    else:
        path = _join(source, "data", _flow_ref_1(source, query.flow), query.key.to_rest(1))
        if query.start:
            params["startPeriod"] = query.start
        if query.end:
            params["endPeriod"] = query.end
        if query.series_keys_only:
            params["detail"] = "serieskeysonly"
    if query.last:
        params["lastNObservations"] = str(query.last)
    if query.first:
        params["firstNObservations"] = str(query.first)
    if query.updated_after:
        params["updatedAfter"] = query.updated_after
    return httpx.URL(path, params=params)


def _flow_ref_1(source: Source, flow: FlowRef) -> str:
    flow_id = _flow_id(source, flow)
    if flow.agency or flow.version:
        return f"{flow.agency or 'all'},{flow_id},{flow.version or 'latest'}"
    return flow_id
