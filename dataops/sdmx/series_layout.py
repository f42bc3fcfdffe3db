"""Observations laid out for the streaming data writers: rows grouped by series, values as text pieces.

The SDMX-ML and SDMX-JSON data writers (`xml_data_writers`, `json_data_writers`) write one piece of
text per observation row, plus a series opening on the first row of each series and a closing on the
last. Everything here is column-wise (pyarrow compute on dictionaries, numpy on indices), so writing
a million observations costs a few passes over columns rather than a Python loop per observation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dataops.sdmx.model import Structure

# Rows written per chunk of a streamed message: large enough that the per-chunk compute calls cost
# nothing next to the text, small enough that a chunk's intermediate arrays stay a few megabytes.
BLOCK_ROWS = 65_536
_SERIES_LEVELS = ("series", "group", "dataset")


@dataclass(frozen=True)
class Layout:
    """A table's rows in series order and the role of each column.

    ``starts``/``ends`` mark the first and last row of each series. ``flat``: no time dimension to
    put at the observation level, every row an observation keyed by all its dimensions.
    ``keys_only``: series keys without observations (``detail=serieskeysonly``), a row per series.
    ``at_observation`` is what goes in ``dimensionAtObservation``.
    """

    columns: dict[str, pa.Array]
    num_rows: int
    dims: list[str]
    time: str | None
    measure: str | None
    series_attrs: list[str]
    obs_attrs: list[str]
    starts: np.ndarray
    ends: np.ndarray
    flat: bool
    keys_only: bool
    at_observation: str

    @property
    def series_count(self) -> int:
        """How many series (or, without a time dimension, observations) the table holds."""
        return int(self.starts.sum())

    def blocks(self) -> Iterator[tuple[int, int]]:
        """Row ranges ``[start, stop)`` of at most `BLOCK_ROWS` rows covering the table."""
        for start in range(0, self.num_rows, BLOCK_ROWS):
            yield start, min(start + BLOCK_ROWS, self.num_rows)

    def column(self, name: str, start: int = 0, stop: int | None = None) -> pa.Array:
        """Rows ``[start, stop)`` of one column."""
        stop = self.num_rows if stop is None else stop
        return self.columns[name].slice(start, stop - start)


def lay_out(table: pa.Table, structure: Structure, *, flat: bool = False) -> Layout:
    """The table's rows grouped by series key (series in order of first appearance, rows kept in
    order within a series), dictionary columns unified, and its attributes split by level.

    ``flat`` (or no time dimension in the table) keeps every row an observation of its own.
    An attribute the structure attaches to a series, a group or the data set is written with each
    series when its value is the same on every row of the series; otherwise, and for columns the
    structure does not name, at the observation.
    """
    names = table.column_names
    dims = [d.id for d in structure.dimensions if d.id in names]
    time_id = structure.time_dimension or "TIME_PERIOD"
    time = time_id if time_id in names else None
    measure = structure.primary_measure if structure.primary_measure in names else None
    if measure is None and "OBS_VALUE" in names:
        measure = "OBS_VALUE"
    columns = {name: _unified(table.column(name), encode=name != measure) for name in names}
    n = table.num_rows
    keys_only = bool(dims) and time is None and measure is None
    flat = not keys_only and (flat or time is None or not dims)
    if flat or keys_only:
        starts = ends = np.ones(n, dtype=bool)
    else:
        series = _series_ids([columns[d] for d in dims])
        if n and np.any(series[1:] < series[:-1]):
            order = pa.array(np.argsort(series, kind="stable"))
            columns = {name: col.take(order) for name, col in columns.items()}
            series = series[order.to_numpy()]
        starts = np.ones(n, dtype=bool)
        starts[1:] = series[1:] != series[:-1]
        ends = np.ones(n, dtype=bool)
        ends[:-1] = starts[1:]
    levels = {a.id: a.level for a in structure.attributes}
    known = {*dims, time, measure}
    series_attrs: list[str] = []
    obs_attrs: list[str] = []
    for name in names:
        if name in known:
            continue
        constant = levels.get(name) in _SERIES_LEVELS and _constant_within(columns[name], starts)
        (series_attrs if constant and not flat else obs_attrs).append(name)
    at_observation = "AllDimensions" if flat else (time or structure.time_dimension or "TIME_PERIOD")
    return Layout(
        columns,
        n,
        dims,
        time,
        measure,
        series_attrs,
        obs_attrs,
        starts,
        ends,
        flat,
        keys_only,
        at_observation,
    )


def _unified(col: pa.ChunkedArray, encode: bool) -> pa.Array:
    """One array; with ``encode``, dictionary-encoded over one dictionary of distinct strings, so
    that a value's position in it is the same in every block of rows and names one value."""
    if encode and not pa.types.is_dictionary(col.type):
        col = pc.dictionary_encode(pc.cast(col, pa.string()))
    if pa.types.is_dictionary(col.type):
        if not pa.types.is_string(col.type.value_type):
            col = pc.cast(col, pa.dictionary(col.type.index_type, pa.string()))
        col = col.unify_dictionaries()
    arr = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if pa.types.is_dictionary(arr.type) and len(pc.unique(arr.dictionary)) != len(arr.dictionary):
        # A dictionary built elsewhere may repeat a value; SDMX-JSON's value lists must not.
        arr = pc.dictionary_encode(pc.cast(arr, pa.string()))
    return arr


def _codes(arr: pa.Array) -> np.ndarray:
    """Each row's code as an integer (nulls as -1), equal codes for equal values."""
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(arr)
    return pc.fill_null(pc.cast(arr.indices, pa.int64()), -1).to_numpy(zero_copy_only=False)


def _series_ids(dims: list[pa.Array]) -> np.ndarray:
    """A series number per row (rows of the same codes in every dimension share one), numbered in
    order of first appearance."""
    key = np.zeros(len(dims[0]), dtype=np.int64)
    radix = 1
    for dim in dims:
        codes = _codes(dim) + 1
        width = int(codes.max()) + 1 if len(codes) else 1
        if radix * width >= 2**62:
            # Too many combinations for one integer: factorise what is combined so far.
            key = pd.factorize(key)[0].astype(np.int64)
            radix = int(key.max()) + 1 if len(key) else 1
        key = key + codes * radix
        radix *= width
    return pd.factorize(key)[0].astype(np.int64)


def _constant_within(arr: pa.Array, starts: np.ndarray) -> bool:
    """True when the column's value never changes inside a series."""
    codes = _codes(arr)
    return bool(np.all((codes[1:] == codes[:-1]) | starts[1:])) if len(codes) > 1 else True


def escape_xml(values: pa.Array) -> pa.Array:
    """Strings made safe inside a double-quoted XML attribute."""
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        values = pc.replace_substring(values, raw, safe)
    for raw, safe in (("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;")):
        values = pc.replace_substring(values, raw, safe)
    return values


def pieces(arr: pa.Array, render: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``render`` applied to each distinct value once, then spread over the rows (null stays null)."""
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(pc.cast(arr, pa.string()))
    rendered = render(pc.cast(arr.dictionary, pa.string()))
    return pc.take(rendered, arr.indices)


def number_text(arr: pa.Array, missing: str | None, infinity: tuple[str, str]) -> pa.Array:
    """Observation values as text: numbers in their shortest form, NaN and null as ``missing``
    (left null when ``missing`` is None), infinities as ``infinity`` (positive, negative)."""
    text = pc.cast(arr, pa.string())
    if pa.types.is_floating(arr.type):
        text = pc.if_else(pc.fill_null(pc.is_nan(arr), False), pa.scalar(None, pa.string()), text)
        infinite = pc.fill_null(pc.is_inf(arr), False)
        if pc.any(infinite).as_py():
            positive = pc.fill_null(pc.greater(arr, 0), False)
            text = pc.if_else(pc.and_(infinite, positive), infinity[0], text)
            text = pc.if_else(pc.and_(infinite, pc.invert(positive)), infinity[1], text)
    return text if missing is None else pc.fill_null(text, missing)


def join(*parts: pa.Array | str) -> pa.Array:
    """Row-wise concatenation of arrays and constant strings (a null part counts as empty)."""
    return pc.binary_join_element_wise(*parts, "", null_handling="replace", null_replacement="")


def concatenated(text: pa.Array) -> bytes:
    """All the strings of a string array one after another, as UTF-8 bytes."""
    if len(text) == 0:
        return b""
    if text.null_count:
        text = pc.fill_null(text, "")
    if not pa.types.is_large_string(text.type):
        text = pc.cast(text, pa.large_string())
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64, count=len(text) + 1, offset=text.offset * 8)
    return text.buffers()[2][int(offsets[0]) : int(offsets[-1])].to_pybytes()


def at_rows(per_series: pa.Array, mask: np.ndarray) -> pa.Array:
    """A per-row array holding the i-th value of ``per_series`` on the i-th row where ``mask`` is
    set, null elsewhere."""
    index = np.cumsum(mask) - 1
    return pc.take(per_series, pa.array(index, mask=~mask))
