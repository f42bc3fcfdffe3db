"""The SDMX REST client (1.x and 2.x): dataflows, structures, availability and data as Arrow.

Structures go through the disk cache; data streams from the socket into the readers, so memory
follows the size of the result rather than the size of the message.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pyarrow as pa

from dataops.errors import DataOpsError, MalformedMessage, NoData, UnknownDataflow
from dataops.sdmx import media, series_keys, urls
from dataops.sdmx.async_delivery import async_ticket, unzip_if_zipped, wait_until_ready
from dataops.sdmx.availability import Availability, parse_availability
from dataops.sdmx.cache import StructureCache
from dataops.sdmx.config import DataConfig
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.memo import STRUCTURES, StructureMemo
from dataops.sdmx.model import Dataflow, Structure, StructureMessage
from dataops.sdmx.provider_errors import footer_error
from dataops.sdmx.query import DataQuery, FlowRef
from dataops.sdmx.sources import Source
from dataops.sdmx.transport import Transport

_HEAD = 64 * 1024


@dataclass
class DataResult:
    """A data answer: the Arrow table and where it came from."""

    table: pa.Table
    url: str


class SdmxClient:
    """One REST source. Use as a context manager or call `close`."""

    def __init__(
        self,
        source: Source,
        config: DataConfig | None = None,
        *,
        transport: Transport | None = None,
        cache: StructureCache | None = None,
        memo: StructureMemo | None = None,
    ) -> None:
        self.source = source
        self.config = config or DataConfig()
        self.transport = transport or Transport(source, self.config)
        self.cache = (
            cache if cache is not None else StructureCache(self.config.cache_path, self.config.cache_ttl)
        )
        self.memo = memo if memo is not None else STRUCTURES

    def __enter__(self) -> SdmxClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool."""
        self.transport.close()

    def probe(self) -> int:
        """The HTTP status the source's base URL answers with now, through the transport (retries,
        size guard; the body is not read). Refusals raise as every request's do, with the status
        in their ``details``; no answer at all is `ProviderDown`."""
        with self.transport.stream(httpx.URL(self.source.url), "*/*", "source status") as response:
            return response.status_code

    # -- structures ---------------------------------------------------------------------------

    def dataflows(self) -> list[Dataflow]:
        """Every dataflow the source lists (stubs: id, agency, version, name)."""
        return self._structure_message(urls.dataflows_url(self.source), "dataflow list").dataflows

    def dataflow(self, flow: FlowRef | str) -> Dataflow:
        """One dataflow with its structure reference; `UnknownDataflow` when the source lacks it."""
        flow = FlowRef.parse(flow) if isinstance(flow, str) else flow
        message = self._structure_message(urls.dataflow_url(self.source, flow), "dataflow")
        fold = self.source.quirks.case_insensitive_ids
        for candidate in message.dataflows:
            if candidate.id == flow.id or (fold and candidate.id.lower() == flow.id.lower()):
                return candidate
        raise UnknownDataflow(f"{self.source.name} has no dataflow {flow.id!r}.")

    def structure(self, flow: FlowRef | str) -> tuple[Dataflow, Structure]:
        """The dataflow and its data structure with codelists (``references=children``)."""
        dataflow = self.dataflow(flow)
        if not dataflow.structure_id:
            raise MalformedMessage(
                f"{self.source.name} described dataflow {dataflow.id} without naming its data structure."
            )
        url = urls.structure_url(
            self.source,
            dataflow.structure_agency or dataflow.agency,
            dataflow.structure_id,
            dataflow.structure_version,
        )
        message = self._structure_message(url, "structure")
        for candidate in message.structures:
            if candidate.id == dataflow.structure_id:
                return dataflow, candidate
        if len(message.structures) == 1:
            # Some providers (and the SDMX 3.0 samples) answer a DSD query with a DSD under another id;
            # it is still the one answer to the query we made for this dataflow.
            return dataflow, message.structures[0]
        raise MalformedMessage(
            f"{self.source.name} answered the structure query without the structure {dataflow.structure_id}. "
            f"Query: {url}"
        )

    def _structure_message(self, url: httpx.URL, kind: str) -> StructureMessage:
        from dataops.sdmx.readers import read_structure

        accept = media.STRUCTURE_FORMATS[self.source.rest_version]
        body = self._cached_get(url, accept, kind)

        def parse() -> StructureMessage:
            try:
                return read_structure(body)
            except DataOpsError as exc:
                raise _with_url(exc, str(url)) from exc

        digest = hashlib.sha256(body).digest()
        return self.memo.recall((self.source.id, self.source.url, str(url), accept), digest, parse)

    def _cached_get(self, url: httpx.URL, accept: str, kind: str) -> bytes:
        key = str(url)
        entry = self.cache.get(key, accept)
        if entry is not None and self.cache.is_fresh(entry):
            return entry.body
        headers = entry.conditional_headers() if entry else None
        reply = self.transport.get(url, accept, kind, headers=headers)
        if reply.status == 304 and entry is not None:
            return self.cache.renew(key, accept, entry).body
        self.cache.put(
            key, accept, reply.content, reply.headers.get("ETag"), reply.headers.get("Last-Modified")
        )
        return reply.content

    # -- availability and data ---------------------------------------------------------------

    def availability(self, flow: FlowRef | str, key: SeriesKey) -> Availability:
        """Codes that have data in each dimension under ``key`` (501 if the provider cannot say)."""
        flow = FlowRef.parse(flow) if isinstance(flow, str) else flow
        rest_key = key.to_rest(self.source.rest_version)
        url = urls.availability_url(self.source, flow, rest_key)
        reply = self.transport.get(url, media.STRUCTURE_FORMATS[self.source.rest_version], "availability")
        return parse_availability(reply.content, str(key), reply.url)

    def data_url(self, query: DataQuery, structure: Structure | None = None) -> str:
        """The URL `data` would request."""
        return str(
            urls.data_url(self.source, query, structure.time_dimension if structure else "TIME_PERIOD")
        )

    def data(self, query: DataQuery, structure: Structure | None = None) -> DataResult:
        """Run a data query and read the answer into Arrow (columns: dims, time, OBS_VALUE, attributes).

        With ``series_keys_only`` the table has one row per series (dimension columns only). A
        provider's asynchronous answer (Eurostat's footer with a key) is polled until the data is ready.
        """
        url = urls.data_url(self.source, query, structure.time_dimension if structure else "TIME_PERIOD")
        keys_only = query.series_keys_only and structure is not None
        if keys_only:
            accept = series_keys.ACCEPT[self.source.rest_version]
        else:
            accept = media.data_accept(self.source.rest_version, self.source.quirks.data_formats)
        ticket = None
        with self.transport.stream(url, accept, "data") as response:
            chunks = self.transport.limited(response)
            head, chunks = _peek(chunks, _HEAD)
            # A footer-only reply (Eurostat's "too large, fetch later") is small; data never is footer-only.
            if _small(head):
                body = b"".join(head)
                ticket = async_ticket(body, self.source) if self.source.quirks.async_large else None
                footer = footer_error(body, str(url), self.source.name) if ticket is None else None
                if footer is not None:
                    raise footer
            if ticket is None:
                return DataResult(
                    self._read(itertools.chain(head, chunks), structure, keys_only, url), str(url)
                )
        wait_until_ready(
            ticket,
            lambda status_url: (
                self.transport.get(status_url, "application/xml", "asynchronous status").content
            ),
            self.config,
            self.source.name,
            str(url),
            sleep=self.transport.sleep,
        )
        reply = self.transport.get(httpx.URL(ticket.data_url), accept, "data")
        body = unzip_if_zipped(reply.content, self.config.max_bytes, ticket.data_url)
        return DataResult(self._read(iter([body]), structure, keys_only, url), str(url))

    def _read(
        self, chunks: Iterator[bytes], structure: Structure | None, keys_only: bool, url: httpx.URL
    ) -> pa.Table:
        from dataops.sdmx.readers import read_data

        try:
            if keys_only:
                assert structure is not None  # `data` asks for keys only when it has the structure
                return series_keys.read_series_keys(chunks, structure, str(url))
            return read_data(chunks, structure, max_bytes=self.config.max_bytes)
        except (NoData, MalformedMessage) as exc:
            raise _with_url(exc, str(url)) from exc


def _peek(chunks: Iterator[bytes], size: int) -> tuple[list[bytes], Iterator[bytes]]:
    """Read chunks until ``size`` bytes are buffered (or the body ends)."""
    head: list[bytes] = []
    total = 0
    for chunk in chunks:
        head.append(chunk)
        total += len(chunk)
        if total >= size:
            break
    return head, chunks


def _small(head: list[bytes]) -> bool:
    return sum(map(len, head)) < _HEAD


def _with_url(exc: DataOpsError, url: str) -> DataOpsError:
    """The same kind of error, its sentence ending with the query URL (once)."""
    if url in exc.message:
        return exc
    details = exc.details if isinstance(exc.details, dict) else {"reader": exc.details}
    return type(exc)(f"{exc.message} Query: {url}", details={**details, "url": url})
