"""A ``store`` source answering the questions every source answers (`dataops.sdmx.service`).

Reads pick a vintage (the latest, or ``as_of``), push the key and period bounds down to Iceberg
(series-key buckets and period-start ranges prune the files read), then apply exactly the same
selection as a folder source (`dataops.sdmx.files.select`).
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import NoData
from dataops.sdmx.availability import Availability
from dataops.sdmx.config import DataConfig
from dataops.sdmx.files import select
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.model import Dataflow, Structure
from dataops.sdmx.periods import period_range
from dataops.sdmx.query import DataQuery, FlowRef
from dataops.sdmx.series_keys import keys_of
from dataops.sdmx.sources import Source
from dataops.store.catalog import guarded
from dataops.store.config import StoreConfig
from dataops.store.layout import PERIOD_START, dimension_ids, expression, in_series, to_read_shape
from dataops.store.tables import Store
from dataops.store.vintages import Vintage, resolve

MAX_KEYS_PUSHED = 10_000  # full keys listed to Iceberg; beyond, codes per dimension only


@dataclass
class StoreResult:
    """A data answer read from the store, with the vintage it was read at."""

    table: pa.Table
    url: str
    vintage: Vintage | None = None


def row_filter(structure: Structure, key: SeriesKey, start: str | None, end: str | None) -> Any:
    """The Iceberg filter that prunes files for a key and period bounds (a superset of the rows)."""
    expr: Any = expression("AlwaysTrue")
    values = key.expand(structure).values
    dims = dimension_ids(structure)
    for dim, codes in zip(dims, values, strict=False):
        if codes:
            expr = expression("And", expr, expression("In", dim, set(codes)))
    if values and all(values) and _product(values) <= MAX_KEYS_PUSHED:
        expr = expression("And", expr, in_series(".".join(c) for c in itertools.product(*values)))
    first = period_range(start) if start else None
    last = period_range(end) if end else None
    if first:
        expr = expression("And", expr, expression("GreaterThanOrEqual", PERIOD_START, first[0].isoformat()))
    if last:
        expr = expression("And", expr, expression("LessThanOrEqual", PERIOD_START, last[1].isoformat()))
    return expr


def _product(values: tuple) -> int:
    out = 1
    for codes in values:
        out *= len(codes)
    return out


def scan(store: Store, table: Any, vintage: Vintage | None, expr: Any) -> pa.Table:
    """The stored rows matching ``expr`` at ``vintage`` (the store's columns)."""
    if vintage is None:
        return table.schema().as_arrow().empty_table()

    def run() -> pa.Table:
        from pyiceberg.io.pyarrow import ArrowScan

        planned = table.scan(row_filter=expr, snapshot_id=vintage.snapshot_id)
        # A snapshot's files never change: the files a filter selects in it are planned once.
        key = (table.metadata.table_uuid, vintage.snapshot_id, repr(expr))
        tasks = _planned(key, lambda: list(planned.plan_files()))
        return ArrowScan(
            table.metadata, table.io, planned.projection(), planned.row_filter, planned.case_sensitive
        ).to_table(tasks)

    return guarded(store.config, run)


_PLANS: OrderedDict[tuple, list[Any]] = OrderedDict()
_PLANS_KEPT = 256
_PLANS_LOCK = threading.Lock()


def _planned(key: tuple, plan: Any) -> list[Any]:
    with _PLANS_LOCK:
        if key in _PLANS:
            _PLANS.move_to_end(key)
            return _PLANS[key]
    tasks = plan()
    with _PLANS_LOCK:
        _PLANS[key] = tasks
        while len(_PLANS) > _PLANS_KEPT:
            _PLANS.popitem(last=False)
    return tasks


class StoreBackend:
    """One ``store`` source, read at ``as_of`` (a vintage name, a time, or None for the latest)."""

    def __init__(
        self,
        source: Source,
        config: DataConfig | None = None,
        store_config: StoreConfig | None = None,
        as_of: Any = None,
    ) -> None:
        self.source = source
        self.config = config or DataConfig()
        self.store = Store(source, store_config or StoreConfig())
        self.as_of = as_of

    def __enter__(self) -> StoreBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing held open between calls (the catalog's engine pools its own connections)."""

    def dataflows(self) -> list[Dataflow]:
        """The dataflows the source's structures describe (written to or not)."""
        return self.store.structures.dataflows()

    def structure(self, flow: FlowRef | str) -> tuple[Dataflow, Structure]:
        """The dataflow and its DSD."""
        return self.store.flow(flow)

    def data_url(self, query: DataQuery, vintage: Vintage | None) -> str:
        """A ``store:`` reference to the source, flow, query and vintage, for provenance."""
        parts = [f"key={query.key}"]
        parts += [
            f"{k}={v}" for k, v in (("start", query.start), ("end", query.end), ("last", query.last)) if v
        ]
        if vintage is not None:
            parts.append(f"snapshot={vintage.snapshot_id}")
        return f"store:{self.source.id}/{query.flow.id}?{'&'.join(parts)}"

    def data(self, query: DataQuery, structure: Structure | None = None) -> StoreResult:
        """The observations the query selects, at the backend's vintage."""
        dataflow, dsd = self.store.flow(query.flow)
        structure = structure or dsd
        table = self.store.existing_table(dataflow)
        what = self.store.describe(dataflow)
        vintage = resolve(table, self.as_of, what)
        expr = row_filter(structure, query.key, query.start, query.end)
        rows = to_read_shape(scan(self.store, table, vintage, expr), structure)
        if query.updated_after:
            from dataops.store.history import changed_since

            rows = changed_since(self.store, table, structure, rows, query.updated_after, expr, what)
        rows = select(rows, structure, query)
        url = self.data_url(query, vintage)
        if rows.num_rows == 0:
            raise NoData(f"No observation of {what} matches this query. Query: {url}")
        return StoreResult(keys_of(rows, structure) if query.series_keys_only else rows, url, vintage)

    def availability(self, flow: FlowRef | str, key: SeriesKey) -> Availability:
        """Codes with data per dimension under ``key``, at the backend's vintage."""
        ref = FlowRef.parse(flow) if isinstance(flow, str) else flow
        _, structure = self.store.flow(ref)
        result = self.data(DataQuery(ref, key), structure)
        table = result.table
        codes = {
            d.id: sorted(str(c) for c in pc.unique(pc.cast(table.column(d.id), pa.string())).to_pylist() if c)
            for d in structure.dimensions
            if d.id in table.column_names
        }
        series = len(keys_of(table, structure))
        return Availability(str(key), codes, series, table.num_rows, result.url)
