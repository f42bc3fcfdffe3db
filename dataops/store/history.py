"""Reading a dataflow's history: changes since a time, the revision triangle, and two vintages' diff."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from dataops.errors import NoData, UnknownVintage
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.model import Structure
from dataops.store.layout import OBS_VALUE, dimension_ids, expression, time_column, to_read_shape
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
    expr = row_filter(structure, series_key, start, end)
    from dataops.sdmx.files import select
    from dataops.sdmx.query import DataQuery, FlowRef

    query = DataQuery(FlowRef.parse(flow), series_key, start, end)
    time_col = time_column(structure)
    dims = dimension_ids(structure)
    columns: list[tuple[Vintage, pd.Series]] = []
    previous: pd.Series | None = None
    for vintage in list_vintages(table):
        rows = select(to_read_shape(scan(store, table, vintage, expr), structure), structure, query)
        df = _frame(rows)
        index = pd.MultiIndex.from_arrays(
            [
                df[dims].astype(str).agg(".".join, axis=1) if len(df) else pd.Series([], dtype=object),
                df[time_col],
            ],
            names=["series_key", time_col],
        )
        values = pd.Series(df[OBS_VALUE].to_numpy(), index=index, dtype="float64")
        if previous is not None and values.sort_index().equals(previous.sort_index()):
            continue
        columns.append((vintage, values))
        previous = values
    if not columns or all(len(v) == 0 for _, v in columns):
        raise NoData(f"{store.describe(dataflow)} never held the series {series_key} in these periods.")
    out = pd.concat({v.label: s for v, s in columns}, axis=1)
    out = out.loc[sorted(out.index, key=_period_order)]
    out.columns.name = "vintage"
    out.attrs["vintages"] = [v.to_json() for v, _ in columns]
    return out


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
