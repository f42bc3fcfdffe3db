"""What the notebook API and the server both do: resolve a source, then list, describe and fetch.

Functions take the merged `Config`, so the kernel (which loads it) and the server (which keeps
it fresh) share one code path. Everything returned is plain model objects and Arrow tables.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dataops.config import Config
from dataops.errors import DataOpsError, InvalidInput, NotFound, NotImplementedByProvider
from dataops.sdmx.availability import Availability
from dataops.sdmx.client import SdmxClient
from dataops.sdmx.config import DataConfig
from dataops.sdmx.files import FilesBackend
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.model import Dataflow, Structure
from dataops.sdmx.query import DataQuery, FlowRef
from dataops.sdmx.readers import table_metadata
from dataops.sdmx.sources import Source, get_source

if TYPE_CHECKING:
    from dataops.sdmx.history_messages import DataSetVersion
    from dataops.sdmx.rest.terms import Selector


@dataclass
class Fetched:
    """A data answer with its provenance (what ``df.attrs["sdmx"]`` records)."""

    table: pa.Table
    source: Source
    dataflow: Dataflow
    structure: Structure
    query: DataQuery
    url: str
    retrieved_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    vintage: dict | None = None  # a store source's vintage read (`dataops.store.vintages.Vintage`)

    def provenance(self) -> dict:
        """Source, flow, key, structure, URL and retrieval time as JSON-ready values."""
        s = self.structure
        return {
            "source": self.source.id,
            "flow": f"{self.dataflow.agency}:{self.dataflow.id}({self.dataflow.version})",
            "key": str(self.query.key),
            "structure": f"{s.agency}:{s.id}({s.version})",
            "url": self.url,
            "retrieved_at": self.retrieved_at,
            "dimensions": [d.id for d in s.dimensions],
            "time_dimension": s.time_dimension,
            "start": self.query.start,
            "end": self.query.end,
            "last": self.query.last,
            "read_path": table_metadata(self.table).get("read_path"),
            **({"vintage": self.vintage} if self.vintage is not None else {}),
        }


def open_backend(config: Config, source: str | Source, as_of: object = None) -> Any:
    """The client for a REST source, the reader of a ``files`` source, a ``metadata`` registry, or
    the store (read at ``as_of``, a vintage name or point in time; only store sources keep vintages)."""
    resolved = get_source(config, source)
    data_config = DataConfig.from_config(config)
    if resolved.api == "store":
        from dataops.store.config import StoreConfig
        from dataops.store.reading import StoreBackend

        return StoreBackend(resolved, data_config, StoreConfig.from_config(config), as_of)
    if as_of is not None:
        raise InvalidInput(
            f"as_of reads a vintage, which only store sources keep; {resolved.id} is a {resolved.api} source."
        )
    if resolved.api == "files":
        return FilesBackend(resolved, data_config)
    if resolved.api == "metadata":
        from dataops.metadata.backend import MetadataBackend

        return MetadataBackend(resolved)
    return SdmxClient(resolved, data_config)


STATUS_TIMEOUT = 5.0  # seconds: the panel's status line asks often and must not hang


@dataclass(frozen=True)
class SourceStatus:
    """Whether a source answers right now, in a few words, and how long asking took."""

    id: str
    reachable: bool
    message: str
    latency_ms: int

    def to_json(self) -> dict:
        """The status as the Data panel reads it."""
        return asdict(self)


def source_status(config: Config, source: str | Source) -> SourceStatus:
    """Ask the source whether it answers: a folder source exists, a REST source answers its base
    URL with a status below 500 (through the same transport, retries and size guard as queries)."""
    resolved = get_source(config, source)
    started = time.monotonic()
    if resolved.api in ("files", "metadata"):
        reachable = resolved.folder.is_dir()
        message = "Folder found" if reachable else f"The folder {resolved.folder} does not exist"
    elif resolved.api == "store":
        from dataops.store.tables import Store

        try:
            Store.open(config, resolved).catalog.list_namespaces()
            reachable, message = True, "Catalog answers"
        except DataOpsError as exc:
            reachable, message = False, exc.message
    else:
        data_config = DataConfig.from_config(config)
        quick = replace(data_config, timeout=min(data_config.timeout, STATUS_TIMEOUT))
        reachable, message = _answers(resolved, quick)
    latency = round((time.monotonic() - started) * 1000)
    return SourceStatus(resolved.id, reachable, message, latency)


def _answers(source: Source, data_config: DataConfig) -> tuple[bool, str]:
    try:
        with SdmxClient(source, data_config) as client:
            status = client.probe()
    except DataOpsError as exc:
        # A refusal is still an answer (many SDMX services answer 404 at their base URL).
        refused = exc.details.get("status") if isinstance(exc.details, dict) else None
        if not isinstance(refused, int):
            return False, exc.message
        status = refused
    return status < 500, f"HTTP {status}"


def search_dataflows(flows: list[Dataflow], search: str | None) -> list[Dataflow]:
    """Dataflows whose id or name contains every word of ``search`` (case-insensitive), sorted by id."""
    words = (search or "").lower().split()
    hits = [f for f in flows if all(w in f"{f.id} {f.name}".lower() for w in words)]
    return sorted(hits, key=lambda f: (not f.id.lower().startswith(words[0]) if words else False, f.id))


def dataflows(config: Config, source: str | Source, search: str | None = None) -> list[Dataflow]:
    """The source's dataflows, filtered by ``search``."""
    with open_backend(config, source) as backend:
        return search_dataflows(backend.dataflows(), search)


def structure(config: Config, source: str | Source, flow: str) -> tuple[Dataflow, Structure]:
    """A dataflow and its data structure definition."""
    with open_backend(config, source) as backend:
        return backend.structure(FlowRef.parse(flow))


def constraints_ml(config: Config, source: str | Source, named: Selector) -> bytes:
    """The content constraints ``named`` of a ``metadata`` source as SDMX-ML 3.0 (`NotFound` otherwise)."""
    from dataops.metadata.backend import MetadataBackend
    from dataops.metadata.writer import write_artefacts

    with open_backend(config, source) as backend:
        if not isinstance(backend, MetadataBackend):
            raise NotFound(
                f"The source {get_source(config, source).id} serves no content constraints; a metadata source does."
            )
        found = named.pick(backend.artefacts("dataconstraint"))
    if not found:
        raise NotFound(
            f"The source {get_source(config, source).id} has no content constraint {','.join(named.ids) or '*'} in version {named.version_label}."
        )
    return write_artefacts(found)


def availability(config: Config, source: str | Source, flow: str, key: object = None) -> Availability:
    """Codes with data per dimension under a (partial) key."""
    with open_backend(config, source) as backend:
        ref = FlowRef.parse(flow)
        _, dsd = backend.structure(ref)
        return backend.availability(ref, SeriesKey.coerce(key, dsd).validate(dsd))


def fetch(
    config: Config,
    source: str | Source,
    flow: str,
    key: object = None,
    *,
    start: str | None = None,
    end: str | None = None,
    last: int | None = None,
    first: int | None = None,
    updated_after: str | None = None,
    series_keys_only: bool = False,
    as_of: object = None,
) -> Fetched:
    """Validate the query against the structure, run it, and return Arrow with provenance
    (``as_of``: the vintage of a store source to read, by name or point in time)."""
    ref = FlowRef.parse(flow)
    # Periods and limits are checked before any request; the key needs the structure.
    query = DataQuery(ref, SeriesKey(), start, end, last, first, updated_after, series_keys_only)
    if isinstance(key, str):
        SeriesKey.parse(key)
    with open_backend(config, source, as_of) as backend:
        dataflow, dsd = backend.structure(ref)
        query = replace(query, key=SeriesKey.coerce(key, dsd).validate(dsd))
        result = backend.data(query, dsd)
        vintage = getattr(result, "vintage", None)
        return Fetched(
            result.table, backend.source, dataflow, dsd, query, result.url,
            vintage=vintage.to_json() if vintage is not None else None,
        )  # fmt: skip


def history(
    config: Config,
    source: str | Source,
    flow: str,
    key: object = None,
    *,
    start: str | None = None,
    end: str | None = None,
    updated_after: str | None = None,
    as_of: str | None = None,
) -> tuple[Dataflow, Structure, list[DataSetVersion]]:
    """Every past version of the observations selected, one dataset per write that changed them
    (SDMX REST ``includeHistory=true``); only store sources keep versions, any other source is
    `NotImplementedByProvider`."""
    resolved = get_source(config, source)
    if resolved.api != "store":
        raise NotImplementedByProvider(
            f"The source {resolved.id} is a {resolved.api} source, which keeps no history of its data: "
            "includeHistory=true is answered for store sources only."
        )
    from dataops.store.history import timeline
    from dataops.store.tables import Store

    store = Store.open(config, resolved)
    dataflow, structure = store.flow(flow)
    versions = timeline(store, flow, key, start, end, updated_after=updated_after, as_of=as_of)
    return dataflow, structure, versions
