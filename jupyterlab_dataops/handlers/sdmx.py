"""The Data panel's API under ``dataops/api/sdmx/``: sources, dataflows, structure, availability, data.

Thin handlers over `dataops.sdmx.service`; provider calls and parsing run in a worker thread so
the event loop stays free. Data answers are Arrow IPC streams unless JSON is asked for.
"""

from __future__ import annotations

import asyncio
import io
import json
import math
from typing import Any, overload

import pyarrow as pa
import pyarrow.compute as pc
from tornado import web

from dataops.config import Config
from dataops.errors import InvalidInput
from dataops.redaction import public, public_url
from dataops.sdmx import media, service
from dataops.sdmx.model import Dataflow, Structure
from dataops.sdmx.sources import Source, get_source, list_sources
from jupyterlab_dataops.handlers.base import DataOpsHandler

_SOURCE = r"(?P<source>[^/]+)"
_FLOW = r"(?P<flow>[^/]+)"


class SdmxHandler(DataOpsHandler):
    """Shared helpers: the effective configuration and integer query parameters."""

    def sdmx_config(self) -> Config:
        """The configuration with the server's overrides applied."""
        return self.dataops.data.config()

    @overload
    def int_argument(self, name: str, default: int, lowest: int = 0) -> int: ...
    @overload
    def int_argument(self, name: str, default: None, lowest: int = 0) -> int | None: ...
    def int_argument(self, name: str, default: int | None, lowest: int = 0) -> int | None:
        """A whole-number query parameter, or a 400 that names it."""
        raw = self.get_query_argument(name, None)
        if raw is None or raw == "":
            return default
        if not raw.strip().isdigit() or int(raw) < lowest:
            raise InvalidInput(
                f"The parameter {name} must be a whole number of at least {lowest}, not {raw!r}."
            )
        return int(raw)


def source_json(source: Source) -> dict[str, Any]:
    """A source as the panel sees it (never any credential)."""
    return {
        "id": source.id,
        "name": source.name,
        "url": source.url,
        "api": source.api,
        "description": source.description,
        "preset": source.preset,
        "availability": source.quirks.availability if source.api != "files" else True,
    }


def dataflow_json(flow: Dataflow) -> dict[str, Any]:
    """A dataflow with its structure reference."""
    return {
        "id": flow.id,
        "agency": flow.agency,
        "version": flow.version,
        "name": flow.name,
        "structure_id": flow.structure_id,
    }


def structure_json(flow: Dataflow, dsd: Structure) -> dict[str, Any]:
    """Dimensions in DSD order with their codes, the time dimension and the attributes."""
    return {
        "dataflow": dataflow_json(flow),
        "id": dsd.id,
        "agency": dsd.agency,
        "version": dsd.version,
        "name": dsd.name,
        "time_dimension": dsd.time_dimension,
        "dimensions": [
            {
                "id": d.id,
                "name": d.name,
                "position": i,
                "codes": [
                    {"id": str(c), "name": str(n)}
                    for c, n in zip(d.codes["id"], d.codes["name"], strict=False)
                ]
                if len(d.codes)
                else [],
            }
            for i, d in enumerate(dsd.dimensions)
        ],
        "attributes": [{"id": a.id, "name": a.name, "level": a.level} for a in dsd.attributes],
    }


class SourcesHandler(SdmxHandler):
    """``GET sdmx/sources``: configured sources first, then the presets."""

    @web.authenticated
    def get(self) -> None:
        """List sources."""
        self.write_json({"sources": [source_json(s) for s in list_sources(self.sdmx_config())]})


class SourceStatusHandler(SdmxHandler):
    """``GET sdmx/sources/{id}/status``: is the source reachable right now?"""

    @web.authenticated
    async def get(self, source: str) -> None:
        """Answer ``{"id", "reachable", "message", "latency_ms"}``."""
        status = await asyncio.to_thread(service.source_status, self.sdmx_config(), source)
        self.write_json(status.to_json())


class DataflowsHandler(SdmxHandler):
    """``GET sdmx/sources/{id}/dataflows?search=&offset=&limit=``."""

    @web.authenticated
    async def get(self, source: str) -> None:
        """One page of the source's dataflows matching ``search``."""
        offset = self.int_argument("offset", 0)
        limit = self.int_argument("limit", 100, lowest=1)
        config = self.sdmx_config()
        resolved = get_source(config, source)
        flows = await self._all_flows(config, resolved)
        hits = service.search_dataflows(flows, self.get_query_argument("search", None))
        self.write_json(
            {
                "source": resolved.id,
                "total": len(hits),
                "offset": offset,
                "limit": limit,
                "dataflows": [dataflow_json(f) for f in hits[offset : offset + limit]],
            }
        )

    async def _all_flows(self, config: Config, source: Source) -> list[Dataflow]:
        # The panel searches as the user types: the data service keeps the parsed list a few minutes.
        return await self.dataops.data.dataflows(
            source, lambda: asyncio.to_thread(service.dataflows, config, source)
        )


class StructureHandler(SdmxHandler):
    """``GET sdmx/sources/{id}/dataflows/{flow}/structure``."""

    @web.authenticated
    async def get(self, source: str, flow: str) -> None:
        """The dataflow's dimensions (with codes) and attributes."""
        dataflow, dsd = await asyncio.to_thread(service.structure, self.sdmx_config(), source, flow)
        self.write_json(structure_json(dataflow, dsd))


class AvailabilityHandler(SdmxHandler):
    """``GET sdmx/sources/{id}/dataflows/{flow}/availability?key=``."""

    @web.authenticated
    async def get(self, source: str, flow: str) -> None:
        """Codes that still have data in each dimension under the key."""
        key = self.get_query_argument("key", "")
        answer = await asyncio.to_thread(service.availability, self.sdmx_config(), source, flow, key)
        self.write_json(answer.to_json())


class DataHandler(SdmxHandler):
    """``GET sdmx/sources/{id}/dataflows/{flow}/data?key=&start=&end=&last=&limit=&format=&as_of=``
    (``as_of``: a store source's vintage, by name or point in time)."""

    @web.authenticated
    async def get(self, source: str, flow: str) -> None:
        """Observations of at most ``limit`` series, as Arrow IPC (default) or JSON."""
        limit = self.int_argument("limit", self.dataops.data.preview_max_series, lowest=1)
        last = self.int_argument("last", None, lowest=1)
        fmt = self._format()
        fetched = await asyncio.to_thread(
            service.fetch,
            self.sdmx_config(),
            source,
            flow,
            self.get_query_argument("key", ""),
            start=self.get_query_argument("start", None) or None,
            end=self.get_query_argument("end", None) or None,
            last=last,
            as_of=self.get_query_argument("as_of", None) or None,
        )
        table, total = first_series(fetched.table, [d.id for d in fetched.structure.dimensions], limit)
        info = {
            **fetched.provenance(),
            "series_total": total,
            "series": min(total, limit),
            "observations": table.num_rows,
            "truncated": total > limit,
        }
        self.set_header("X-DataOps-Query-Url", public_url(fetched.url))
        self.set_header("X-DataOps-Series-Total", str(total))
        self.set_header("X-DataOps-Truncated", "true" if total > limit else "false")
        if fmt == "json":
            self.write_json({**info, "columns": table.column_names, "data": table_columns(table)})
            return
        body = await asyncio.to_thread(arrow_stream, table, info)
        # APIHandler.finish would otherwise label every answer application/json.
        self.finish(body, set_content_type=media.ARROW_STREAM)

    def _format(self) -> str:
        fmt = self.get_query_argument("format", None)
        if fmt is None:
            accept = self.request.headers.get("Accept", "")
            return "json" if "application/json" in accept and media.ARROW_STREAM not in accept else "arrow"
        if fmt not in ("json", "arrow"):
            raise InvalidInput(f"format must be 'arrow' or 'json', not {fmt!r}.")
        return fmt


def first_series(table: pa.Table, dims: list[str], limit: int) -> tuple[pa.Table, int]:
    """The rows of the first ``limit`` series (in order of appearance) and the number of series."""
    present = [d for d in dims if d in table.column_names]
    if not present or table.num_rows == 0:
        return table, 1 if table.num_rows else 0
    ids = pc.binary_join_element_wise(*[pc.cast(table.column(d), pa.string()) for d in present], ".")
    unique = pc.unique(ids)
    if len(unique) <= limit:
        return table, len(unique)
    return table.filter(pc.is_in(ids, value_set=unique[:limit])), len(unique)


def table_columns(table: pa.Table) -> dict[str, list[Any]]:
    """Column-wise JSON values (NaN as null)."""
    out = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        values = col.to_pylist()
        out[name] = [None if isinstance(v, float) and math.isnan(v) else v for v in values]
    return out


def arrow_stream(table: pa.Table, info: dict[str, Any]) -> bytes:
    """An Arrow IPC stream with one dictionary per column and ``info`` as schema metadata."""
    table = table.unify_dictionaries().combine_chunks()
    metadata = {**(table.schema.metadata or {}), b"dataops": json.dumps(public(info), default=str).encode()}
    table = table.replace_schema_metadata(metadata)
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


ROUTES = [
    (r"sdmx/sources", SourcesHandler),
    (rf"sdmx/sources/{_SOURCE}/status", SourceStatusHandler),
    (rf"sdmx/sources/{_SOURCE}/dataflows", DataflowsHandler),
    (rf"sdmx/sources/{_SOURCE}/dataflows/{_FLOW}/structure", StructureHandler),
    (rf"sdmx/sources/{_SOURCE}/dataflows/{_FLOW}/availability", AvailabilityHandler),
    (rf"sdmx/sources/{_SOURCE}/dataflows/{_FLOW}/data", DataHandler),
]
