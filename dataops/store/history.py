"""Reading a dataflow's history: changes since a time, the revision triangle, and two vintages' diff."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pyarrow as pa

from dataops.errors import NoData, UnknownVintage
from dataops.sdmx.history_messages import DataSetVersion
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.model import Structure
from dataops.store.catalog import guarded
from dataops.store.layout import (
    OBS_VALUE,
    dimension_ids,
    expression,
    series_keys,
    time_column,
    to_read_shape,
)
from dataops.store.reading import row_filter, scan
from dataops.store.tables import Store
from dataops.store.vintages import Vintage, list_vintages, resolve


def _frame(table: pa.Table) -> pd.DataFrame:
    df = table.to_pandas()
    for column in df.columns:
        if isinstance(df[column].dtype, pd.CategoricalDtype):
            df[column] = df[column].astype(object)
    return df


def _key_columns(structure: Structure) -> list[str]:
    return [*dimension_ids(structure), time_column(structure)]


def compare(before: pd.DataFrame, after: pd.DataFrame, structure: Structure) -> pd.DataFrame:
    """Observations added, changed (value or any attribute) and removed from ``before`` to ``after``:
    the key columns, ``change``, then ``OBS_VALUE_before`` and ``OBS_VALUE_after``."""
    keys = _key_columns(structure)
    merged = before.merge(after, on=keys, how="outer", suffixes=("_before", "_after"), indicator=True)
    others = [c for c in after.columns if c not in keys and f"{c}_before" in merged.columns]
    changed = pd.Series(False, index=merged.index)
    for column in others:
        a, b = merged[f"{column}_before"], merged[f"{column}_after"]
        changed |= ~((a == b) | (a.isna() & b.isna()))
    change = pd.Series("changed", index=merged.index)
    change[merged["_merge"] == "left_only"] = "removed"
    change[merged["_merge"] == "right_only"] = "added"
    keep = (merged["_merge"] != "both") | changed
    out = merged.loc[keep, keys].copy()
    out["change"] = change[keep]
    out[f"{OBS_VALUE}_before"] = merged.loc[keep, f"{OBS_VALUE}_before"]
    out[f"{OBS_VALUE}_after"] = merged.loc[keep, f"{OBS_VALUE}_after"]
    return out.sort_values(keys).reset_index(drop=True)


def changed_since(
    store: Store, table: Any, structure: Structure, rows: pa.Table, updated_after: str, expr: Any, what: str
) -> pa.Table:
    """Of ``rows`` (read at the latest vintage), those added or revised after ``updated_after``."""
    try:
        then = resolve(table, updated_after, what)
    except UnknownVintage:
        return rows  # nothing was stored yet at that time: everything is new since
    if then is None:
        return rows
    before = _frame(to_read_shape(scan(store, table, then, expr), structure))
    after = _frame(rows)
    changes = compare(before, after, structure)
    fresh = changes[changes["change"] != "removed"][_key_columns(structure)]
    keep = after.reset_index().merge(fresh, on=_key_columns(structure))["index"].sort_values()
    return rows.take(pa.array(keep.to_numpy(), pa.int64()))


def series_versions(
    store: Store,
    table: Any,
    structure: Structure,
    flow: str,
    series_key: SeriesKey,
    start: str | None,
    end: str | None,
) -> Iterator[tuple[Vintage, pa.Table]]:
    """Each vintage of the table, oldest first, with the rows (read shape) ``series_key`` and the
    period bounds select in it; each manifest and data file is read once however many vintages
    share it."""
    from dataops.sdmx.files import select
    from dataops.sdmx.query import DataQuery, FlowRef

    expr = row_filter(structure, series_key, start, end)
    query = DataQuery(FlowRef.parse(flow), series_key, start, end)
    values_by_dim = series_key.expand(structure).values
    full = all(values_by_dim) and len(list(itertools.product(*values_by_dim))) <= 1000
    whole = [".".join(c) for c in itertools.product(*values_by_dim)] if full else None
    files = FileRows(table, _file_filter(structure, series_key), whole)
    previous: tuple[Vintage, pa.Table] | None = None
    for vintage in list_vintages(table):
        if previous is not None and files.untouched(previous[0], vintage):
            rows = previous[1]  # no write in between changed the series' buckets
        else:
            stored = guarded(store.config, lambda v=vintage: files.at(v, expr))  # type: ignore[misc]
            rows = select(to_read_shape(stored, structure), structure, query)
        previous = (vintage, rows)
        yield vintage, rows


def revisions(
    store: Store, flow: str, key: object, start: str | None = None, end: str | None = None
) -> pd.DataFrame:
    """The revision triangle of the series ``key`` selects: one row per series and period, one column
    per vintage in which those series changed (labelled by its tag, else its commit time), values
    ``OBS_VALUE`` as that vintage had them (NaN: not yet or no longer there).
    ``attrs["vintages"]`` describes each column's vintage."""
    dataflow, structure = store.flow(flow)
    table = store.existing_table(dataflow)
    series_key = SeriesKey.coerce(key, structure).validate(structure)
    time_col = time_column(structure)
    kept: list[tuple[Vintage, pa.Table]] = []
    for vintage, rows in series_versions(store, table, structure, flow, series_key, start, end):
        # Rows come sorted by series and period, so an unchanged series compares equal as arrays.
        now = pa.table(
            {
                "series_key": series_keys(rows, structure),
                time_col: rows.column(time_col),
                "value": rows.column(OBS_VALUE),
            }
        )
        if kept and _same(kept[-1][1], now):
            continue
        kept.append((vintage, now))
    if not kept or all(t.num_rows == 0 for _, t in kept):
        raise NoData(f"{store.describe(dataflow)} never held the series {series_key} in these periods.")
    long = pa.concat_tables(
        [t.append_column("column", pa.array([i] * t.num_rows, pa.int64())) for i, (_, t) in enumerate(kept)]
    ).to_pandas()
    out = long.pivot(index=["series_key", time_col], columns="column", values="value")
    out = out.reindex(columns=range(len(kept)))
    out.columns = pd.Index([v.label for v, _ in kept], name="vintage")
    out = out.loc[sorted(out.index, key=_period_order)]
    out.attrs["vintages"] = [v.to_json() for v, _ in kept]
    return out


def _same(before: pa.Table, after: pa.Table) -> bool:
    import numpy as np

    return (
        before.num_rows == after.num_rows
        and before.column(0).equals(after.column(0))
        and before.column(1).equals(after.column(1))
        and bool(np.array_equal(before.column(2).to_numpy(), after.column(2).to_numpy(), equal_nan=True))
    )


class FileRows:
    """A series' rows at each vintage, reading each manifest and each data file once however many
    vintages share them (a series' history is mostly the same files seen from successive snapshots).

    Only the files of the series' hash buckets are read when the key names whole series."""

    def __init__(self, table: Any, keep: Any, keys: list[str] | None) -> None:
        self.table = table
        self.keep = keep
        self.buckets = _buckets(table, keys)
        self.read: dict[str, pa.Table] = {}

    def at(self, vintage: Vintage, expr: Any) -> pa.Table:
        """The stored rows of ``vintage`` in the series' files, filtered by ``keep``."""
        import pyarrow.parquet as pq

        files = self._files(vintage)
        if files is None:  # another engine's delete files: let pyiceberg apply them
            return self.table.scan(row_filter=expr, snapshot_id=vintage.snapshot_id).to_arrow()
        parts = []
        for data_file in files:
            path = data_file.file_path
            if path not in self.read:
                with self.table.io.new_input(path).open() as stream:
                    self.read[path] = pq.read_table(stream, filters=self.keep)
            parts.append(self.read[path])
        schema = self.table.schema().as_arrow()
        if not parts:
            return schema.empty_table()
        return pa.concat_tables([p.select(schema.names).cast(schema) for p in parts])

    def untouched(self, before: Vintage, after: Vintage) -> bool:
        """Whether the snapshots from ``before`` (excluded) to ``after`` say, in their summaries'
        changed partitions, that none of them touched the series' buckets."""
        if self.buckets is None:
            return False
        metadata = self.table.metadata
        snapshot = metadata.snapshot_by_id(after.snapshot_id)
        while snapshot is not None and snapshot.snapshot_id != before.snapshot_id:
            changed = _changed_buckets(snapshot)
            if changed is None or changed & self.buckets:
                return False
            parent = snapshot.parent_snapshot_id
            snapshot = metadata.snapshot_by_id(parent) if parent is not None else None
        return snapshot is not None

    def _files(self, vintage: Vintage) -> list[Any] | None:
        from pyiceberg.manifest import ManifestContent

        snapshot = self.table.metadata.snapshot_by_id(vintage.snapshot_id)
        out = []
        for manifest in _remembered(snapshot.manifest_list, lambda: snapshot.manifests(self.table.io)):
            if manifest.content != ManifestContent.DATA:
                return None
            if self.buckets is not None and not _may_hold(manifest, self.buckets):
                continue  # its partition summary says none of the series' buckets is in it
            out += _live_files(self.table.io, manifest)
        if self.buckets is not None:
            out = [f for f in out if f.spec_id == 0 and f.partition[0] in self.buckets]
        return out


# Manifest files never change once written: their live data files are kept for later triangles
# (reading a manifest costs far more than the few rows it names).
_MANIFESTS: OrderedDict[str, list[Any]] = OrderedDict()
_MANIFESTS_KEPT = 4096
_MANIFESTS_LOCK = threading.Lock()


def _live_files(io: Any, manifest: Any) -> list[Any]:
    return _remembered(
        manifest.manifest_path,
        lambda: [e.data_file for e in manifest.fetch_manifest_entry(io, discard_deleted=True)],
    )


def _remembered(path: str, read: Any) -> list[Any]:
    """What an immutable metadata file (manifest list or manifest) holds, read once per process."""
    with _MANIFESTS_LOCK:
        if path in _MANIFESTS:
            _MANIFESTS.move_to_end(path)
            return _MANIFESTS[path]
    found = list(read())
    with _MANIFESTS_LOCK:
        _MANIFESTS[path] = found
        while len(_MANIFESTS) > _MANIFESTS_KEPT:
            _MANIFESTS.popitem(last=False)
    return found


_FILE_COUNTS = ("added-data-files", "deleted-data-files", "added-delete-files", "removed-delete-files")


def _changed_buckets(snapshot: Any) -> set[int] | None:
    """The buckets a snapshot changed, from its summary (None when the summary does not list them)."""
    summary = snapshot.summary
    props = dict(summary.additional_properties) if summary is not None else {}
    if props.get("partition-summaries-included") == "true":
        prefix = "partitions.series_bucket="
        found = {k[len(prefix) :] for k in props if k.startswith(prefix)}
        return {int(b) for b in found if b.isdigit()} if all(b.isdigit() for b in found) else None
    if "changed-partition-count" not in props and not any(k in props for k in _FILE_COUNTS):
        return set()  # a snapshot that changed no file (an empty write)
    return None


def _may_hold(manifest: Any, buckets: set[int]) -> bool:
    """Whether the manifest's bucket range (its partition summary) includes one of ``buckets``."""
    from pyiceberg.conversions import from_bytes
    from pyiceberg.types import IntegerType

    summaries = manifest.partitions or []
    if manifest.partition_spec_id != 0 or len(summaries) != 1:
        return True
    low, high = summaries[0].lower_bound, summaries[0].upper_bound
    if low is None or high is None:
        return True
    lowest, highest = int(from_bytes(IntegerType(), low)), int(from_bytes(IntegerType(), high))
    return any(lowest <= b <= highest for b in buckets)


def _buckets(table: Any, keys: list[str] | None) -> set[int] | None:
    """The hash buckets of ``keys`` under the table's first partition spec (None: read every file)."""
    from pyiceberg.transforms import BucketTransform
    from pyiceberg.types import StringType

    spec = table.specs().get(0)
    if keys is None or spec is None or len(spec.fields) != 1:
        return None
    transform = spec.fields[0].transform
    if not isinstance(transform, BucketTransform) or spec.fields[0].name != "series_bucket":
        return None
    bucket = transform.transform(StringType())
    return {b for b in (bucket(k) for k in keys) if b is not None}


def _file_filter(structure: Structure, key: SeriesKey) -> Any:
    """The Arrow filter of the key's codes (period bounds are applied after reading)."""
    import pyarrow.compute as pc

    keep = None
    for dim, codes in zip(dimension_ids(structure), key.expand(structure).values, strict=False):
        if codes:
            cond = pc.field(dim).isin(list(codes))
            keep = cond if keep is None else keep & cond
    return keep


def _period_order(item: tuple[str, str]) -> tuple:
    from dataops.sdmx.periods import sort_key

    return (item[0], sort_key(item[1]))


def diff(store: Store, flow: str, a: object, b: object = None) -> pd.DataFrame:
    """Observations added, changed and removed between vintage ``a`` and vintage ``b`` (default: the
    latest) of the whole dataflow; ``attrs["vintages"]`` holds the two vintages compared."""
    dataflow, structure = store.flow(flow)
    table = store.existing_table(dataflow)
    what = store.describe(dataflow)
    first = resolve(table, a, what)  # type: ignore[arg-type]
    second = resolve(table, b, what)  # type: ignore[arg-type]
    everything = expression("AlwaysTrue")
    before = _frame(to_read_shape(scan(store, table, first, everything), structure))
    after = _frame(to_read_shape(scan(store, table, second, everything), structure))
    out = compare(before, after, structure)
    out.attrs["vintages"] = [v.to_json() if v else None for v in (first, second)]
    return out


def timeline(
    store: Store,
    flow: str,
    key: object,
    start: str | None = None,
    end: str | None = None,
    updated_after: str | None = None,
    as_of: str | None = None,
) -> list[DataSetVersion]:
    """The history of the observations ``key`` and the period bounds select, one dataset per write
    that changed them (SDMX REST ``includeHistory``): the rows it added or revised (``Replace``,
    valid from its commit time) and, when it removed some, those rows (``Delete``, valid until its
    commit time). ``updated_after`` keeps the writes committed after then, ``as_of`` those
    committed by then."""
    from dataops.store.vintages import parse_instant

    dataflow, structure = store.flow(flow)
    table = store.existing_table(dataflow)
    series_key = SeriesKey.coerce(key, structure).validate(structure)
    since, until = (parse_instant(t) if t else None for t in (updated_after, as_of))
    keys = _key_columns(structure)
    out: list[DataSetVersion] = []
    before: pa.Table | None = None
    for vintage, rows in series_versions(store, table, structure, flow, series_key, start, end):
        when = vintage.timestamp_ms / 1000
        if until is not None and when > until.timestamp():
            break
        if before is None:
            changed, removed = rows, rows.slice(0, 0)
        else:
            changes = compare(_frame(before), _frame(rows), structure)
            changed = _matching(rows, changes[changes["change"] != "removed"][keys], keys)
            removed = _matching(before, changes[changes["change"] == "removed"][keys], keys)
        before = rows
        if since is not None and when <= since.timestamp():
            continue
        if changed.num_rows:
            out.append(DataSetVersion(changed, "Replace", valid_from=vintage.committed_at))
        if removed.num_rows:
            out.append(DataSetVersion(removed, "Delete", valid_to=vintage.committed_at))
    if not out:
        raise NoData(
            f"{store.describe(dataflow)} has no version of the series {series_key} in these periods."
        )
    return out


def _matching(rows: pa.Table, keys: pd.DataFrame, columns: list[str]) -> pa.Table:
    """The rows of ``rows`` whose key columns are listed in ``keys``, in their order."""
    if keys.empty:
        return rows.slice(0, 0)
    index = _frame(rows).reset_index().merge(keys, on=columns)["index"].sort_values()
    return rows.take(pa.array(index.to_numpy(), pa.int64()))
