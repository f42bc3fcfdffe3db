"""Collect observations from any reader and build the one Arrow table every format ends in.

Values shared by many observations (series keys, series and group attributes, dataset
attributes) are stored once per series and expanded through an index, so memory follows the
number of observations, not the verbosity of the message.
"""

from __future__ import annotations

import json
from array import array
from dataclasses import asdict, dataclass, field
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import MalformedMessage, NoData
from dataops.sdmx.media import MessageFormat
from dataops.sdmx.model import Structure
from dataops.sdmx.readers.runs import RunBatch, index_type

OBS_VALUE = "OBS_VALUE"
SERIES_COL = "__series__"
MISSING_VALUES = pa.array(["", "NaN", "nan", "NA", "N/A"])


@dataclass
class FooterMessage:
    """One message of an SDMX-ML footer or error body, its text parts joined."""

    code: str
    severity: str
    text: str


@dataclass
class TableInfo:
    """What a reader learned about the message: column roles (used to order the columns when no
    structure is given) and what the table's ``sdmx`` metadata reports besides them."""

    format: MessageFormat
    what: str
    structure_id: str = ""
    dimensions: list[str] = field(default_factory=list)  # known to be dimensions, in message order
    time_dimension: str | None = None
    dimension_at_observation: str | None = None  # from an SDMX-ML header
    actions: list[str] | None = None  # the datasets' actions (Information, Replace, Delete...)
    footer: list[FooterMessage] | None = None  # an SDMX-ML footer's messages
    quirks: list[str] | None = None  # how a provider's departure from the standard was read

    def reported(self) -> dict[str, object]:
        """The metadata entries beyond the column roles, only those the message had."""
        out: dict[str, object] = {}
        if self.dimension_at_observation is not None:
            out["dimension_at_observation"] = self.dimension_at_observation
        if self.actions is not None:
            out["actions"] = self.actions
        if self.footer is not None:
            out["footer"] = [asdict(m) for m in self.footer]
        if self.quirks is not None:
            out["quirks"] = self.quirks
        return out


class TableBuilder:
    """Accumulates series contexts and observations, then builds a `pyarrow.Table`."""

    def __init__(self) -> None:
        self.series: dict[str, list[str | None]] = {}
        self.n_series = 0
        self.real_series = 0  # series that are not dataset-level contexts
        self.blocks: list[pa.Table] = []
        self.rows: dict[str, list[str | None]] = {}
        self.row_series = array("i")
        self.groups: list[tuple[dict[str, str], dict[str, str]]] = []
        self.seen: dict[str, None] = {}  # every column name in first-seen order

    # --- series -------------------------------------------------------------------------
    def new_series(self, values: dict[str, str], *, real: bool = True) -> int:
        """Open a series (or a dataset context) with its values; returns its index."""
        idx = self.n_series
        self.n_series += 1
        self.real_series += real
        self.update_series(idx, values)
        return idx

    def update_series(self, idx: int, values: dict[str, str]) -> None:
        """Set several series-level values of the last series opened (``idx``)."""
        series = self.series
        for key, value in values.items():
            col = series.get(key)
            if col is not None and len(col) == idx:
                col.append(value)  # the usual case: every series has this key
            else:
                self.set_series(idx, key, value)

    def set_series(self, idx: int, key: str, value: str | None) -> None:
        """Set one series-level value (a key value or an attribute) of series ``idx``."""
        col = self.series.get(key)
        if col is None:
            col = self.series[key] = []
            self.seen.setdefault(key)
        if len(col) <= idx:
            col.extend([None] * (idx + 1 - len(col)))
        col[idx] = value

    def add_group(self, key: dict[str, str], attributes: dict[str, str]) -> None:
        """A group: ``attributes`` apply to every series whose values match ``key``."""
        self.groups.append((key, attributes))

    # --- observations -------------------------------------------------------------------
    def add_obs(self, series_idx: int, values: dict[str, str]) -> None:
        """One observation given as a dict of column → value."""
        n = len(self.row_series)
        rows = self.rows
        for key, value in values.items():
            col = rows.get(key)
            if col is None:
                col = rows[key] = [None] * n
                self.seen.setdefault(key)
            elif len(col) < n:
                col.extend([None] * (n - len(col)))
            col.append(value)
        self.row_series.append(series_idx)

    def add_block(self, table: pa.Table, series_idx: np.ndarray) -> None:
        """A block of observations already in Arrow, with their series indices."""
        self._flush_rows()
        for name in table.column_names:
            self.seen.setdefault(name)
        self.blocks.append(table.append_column(SERIES_COL, pa.array(series_idx, pa.int32())))

    def add_run(self, series_idx: int, batch: RunBatch) -> None:
        """The next run of a `RunBatch` (see `runs`) belongs to series ``series_idx``."""
        batch.series.append(series_idx)
        if len(batch.series) == len(batch.counts):
            self.add_block(batch.table, batch.series_index())

    @property
    def n_obs(self) -> int:
        return len(self.row_series) + sum(b.num_rows for b in self.blocks)

    def _flush_rows(self) -> None:
        n = len(self.row_series)
        if not n:
            return
        cols = {k: pa.array(v + [None] * (n - len(v)), pa.string()) for k, v in self.rows.items()}
        cols[SERIES_COL] = pa.array(np.frombuffer(self.row_series, dtype=np.int32), pa.int32())
        self.blocks.append(pa.table(cols))
        self.rows = {}
        self.row_series = array("i")

    # --- result -------------------------------------------------------------------------
    def build(self, info: TableInfo, structure: Structure | None) -> pa.Table:
        """The final table: dimensions, time, OBS_VALUE, attributes; raises `NoData` when empty."""
        self._flush_rows()
        self._apply_groups()
        blocks, self.blocks = self.blocks, []
        if not blocks and self.real_series:
            # A series-keys-only reply: one row per series, no observations.
            idx = [i for i in range(self.n_series) if self._is_real(i)]
            blocks = [pa.table({SERIES_COL: pa.array(idx, pa.int32())})]
        if sum(b.num_rows for b in blocks) == 0:
            raise NoData(f"{info.what} contains no observations: the dataset is empty.")
        series_runs = _runs(
            np.concatenate([c.to_numpy() for b in blocks for c in b.column(SERIES_COL).chunks])
        )
        names = order_columns(list(self.seen), info, structure)
        columns = {}
        for name in names:
            chunks = [b.column(name) if name in b.column_names else b.num_rows for b in blocks]
            columns[name] = self._column(name, chunks, series_runs)
        del blocks
        return assemble(columns, info, structure)

    def _is_real(self, idx: int) -> bool:
        return any(col[idx] is not None for col in self.series.values() if len(col) > idx)

    def _column(
        self, name: str, chunks: list[pa.ChunkedArray | int], series_runs: tuple[np.ndarray, np.ndarray]
    ) -> Column:
        col = self.series.get(name)
        if col is None:
            return chunks
        col = col + [None] * (self.n_series - len(col))
        per_series = pc.dictionary_encode(pa.array(col, pa.string()))
        indices = per_series.indices.cast(index_type(len(per_series.dictionary)))
        run_series, run_lengths = series_runs
        codes = np.repeat(indices.fill_null(0).to_numpy()[run_series], run_lengths)
        missing = None
        if indices.null_count:
            missing = np.repeat(indices.is_null().to_numpy(zero_copy_only=False)[run_series], run_lengths)
        taken = pa.array(codes, mask=missing if missing is not None and missing.any() else None)
        expanded = pa.DictionaryArray.from_arrays(taken, per_series.dictionary)
        if all(isinstance(c, int) for c in chunks):
            return expanded
        # Rare: a component given both per series and per observation; the observation wins.
        from_obs = pa.concat_arrays([_as_strings(c) for c in _arrays(chunks)])
        return pc.coalesce(from_obs, expanded.cast(pa.string()))

    def _apply_groups(self) -> None:
        for key, attributes in self.groups:
            match = np.ones(self.n_series, dtype=bool)
            for dim, value in key.items():
                col = self.series.get(dim, [])
                col = col + [None] * (self.n_series - len(col))
                match &= np.array([v == value for v in col], dtype=bool)
            for idx in np.flatnonzero(match):
                for attr, value in attributes.items():
                    known = self.series.get(attr)
                    if known is None or len(known) <= idx or known[idx] is None:
                        self.set_series(int(idx), attr, value)


def _runs(series: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run-length form of the series index of every row: (series of each run, run lengths)."""
    starts = np.flatnonzero(np.diff(series)) + 1
    bounds = np.concatenate([[0], starts, [len(series)]])
    return series[bounds[:-1]], np.diff(bounds)


# A column as readers hand it over: an array, a chunked array, or a list of pieces in which an
# int stands for that many missing values; pieces may differ in type (strings from lxml, floats
# and dictionaries from the fast paths) and are brought to the column's final type one by one.
Column: TypeAlias = pa.Array | pa.ChunkedArray | list[pa.Array | pa.ChunkedArray | int]


def _arrays(column: Column) -> list[pa.Array]:
    pieces = column if isinstance(column, list) else [column]
    out: list[pa.Array] = []
    for piece in pieces:
        if isinstance(piece, int):
            out.append(pa.nulls(piece, pa.string()))
        elif isinstance(piece, pa.ChunkedArray):
            out.extend(piece.chunks)
        else:
            out.append(piece)
    return out


def _as_strings(values: pa.Array) -> pa.Array:
    if pa.types.is_string(values.type):
        return values
    return values.cast(pa.string())


def as_dictionary(arrays: list[pa.Array]) -> pa.Array:
    """One dictionary column (one shared dictionary, narrowest indices) from pieces of strings or dictionaries.

    Pieces are re-indexed one at a time and released as they go, so the column is never held twice.
    """
    encoded = [a if pa.types.is_dictionary(a.type) else pc.dictionary_encode(_as_strings(a)) for a in arrays]
    arrays.clear()
    first = encoded[0].dictionary
    if len(encoded) > 1 and not all(a.dictionary.equals(first) for a in encoded[1:]):
        return _unified(encoded)
    wanted = index_type(len(first))
    out = []
    for i, piece in enumerate(encoded):
        encoded[i] = None
        indices = piece.indices if piece.indices.type == wanted else piece.indices.cast(wanted)
        out.append(pa.DictionaryArray.from_arrays(indices, _as_strings(first)))
        del piece
    # One chunk: pandas then takes the codes as they are instead of unifying chunk by chunk.
    return pa.concat_arrays(out) if len(out) > 1 else out[0]


def _unified(encoded: list[pa.DictionaryArray]) -> pa.DictionaryArray:
    """Pieces with different dictionaries as one array over their union (values in first-seen order).

    Arrow unifies the dictionaries in one call; the indices are widened only as far as the union
    may need (the sum of the pieces' dictionary sizes), then narrowed to what it does need.
    """
    wide = index_type(sum(len(a.dictionary) for a in encoded))
    chunks = []
    for i, piece in enumerate(encoded):
        encoded[i] = None
        if piece.indices.type != wide or not pa.types.is_string(piece.dictionary.type):
            piece = pa.DictionaryArray.from_arrays(piece.indices.cast(wide), _as_strings(piece.dictionary))
        chunks.append(piece)
        del piece
    column = pa.table({"c": pa.chunked_array(chunks)}).unify_dictionaries().column(0)
    chunks.clear()
    combined = pa.concat_arrays(column.chunks)
    del column
    wanted = index_type(len(combined.dictionary))
    if combined.indices.type == wanted:
        return combined
    return pa.DictionaryArray.from_arrays(combined.indices.cast(wanted), combined.dictionary)


def assemble(
    columns: dict[str, Column], info: TableInfo, structure: Structure | None, *, decimal_comma: bool = False
) -> pa.Table:
    """Order and type the columns (dictionary-encoded dimensions and attributes, float OBS_VALUE)."""
    names = order_columns(list(columns), info, structure)
    dims = set(structure_dimension_ids(structure) if structure else info.dimensions)
    time = (structure.time_dimension if structure else None) or info.time_dimension
    out: dict[str, pa.Array] = {}
    for name in names:
        arrays = _arrays(columns.pop(name))
        if name == OBS_VALUE:
            floats, start = [], 0
            for i, piece in enumerate(arrays):
                arrays[i] = None
                floats.append(to_float(piece, info.what, decimal_comma=decimal_comma, offset=start))
                start += len(piece)
                del piece
            values = pa.chunked_array(floats, pa.float64())
        elif name == time and name not in dims:
            # large_string is what pandas keeps its text in: the frame then shares these buffers.
            periods = []
            for i, piece in enumerate(arrays):
                arrays[i] = None
                periods.append(piece.cast(pa.large_string()))
                del piece
            values = pa.chunked_array(periods, pa.large_string())
        else:
            values = as_dictionary(arrays)
        del arrays
        out[name] = values
    meta = {
        "format": info.format.label,
        "structure_id": (f"{structure.agency}:{structure.id}({structure.version})" if structure else "")
        or info.structure_id,
        "dimensions": [n for n in names if n in dims],
        "time_dimension": time,
        "attributes": [n for n in names if n not in dims and n not in (time, OBS_VALUE)],
        **info.reported(),
    }
    return pa.table(out).replace_schema_metadata({"sdmx": json.dumps(meta)})


def structure_dimension_ids(structure: Structure) -> list[str]:
    """Dimension ids in DSD order, time dimension excluded."""
    return [d.id for d in sorted(structure.dimensions, key=lambda d: d.position)]


def order_columns(seen: list[str], info: TableInfo, structure: Structure | None) -> list[str]:
    """Dimensions, time dimension, OBS_VALUE, attributes; unknown columns last in message order."""
    present = set(seen)
    if structure is not None:
        dims = structure_dimension_ids(structure)
        time = structure.time_dimension
        missing = [d for d in [*dims, time] if d and d not in present]
        if missing:
            raise MalformedMessage(
                f"{info.what} has no values for {', '.join(missing)} of structure {structure.id}: "
                "the message does not match this structure (is it the right one?)."
            )
        attrs = [a.id for a in structure.attributes if a.id in present]
    else:
        dims = [d for d in info.dimensions if d in present]
        time = info.time_dimension if info.time_dimension in present else None
        attrs = []
    head = [*dims, *([time] if time else []), OBS_VALUE, *attrs]
    return head + [c for c in seen if c not in head]


def to_float(values: pa.Array, what: str, *, decimal_comma: bool = False, offset: int = 0) -> pa.Array:
    """OBS_VALUE as float64, null where the message says the value is missing."""
    if pa.types.is_floating(values.type):
        # The fast paths already read "NaN" as null: copy only when a NaN is left.
        if pc.any(pc.is_nan(values)).as_py():
            return pc.if_else(pc.is_nan(values), None, values)
        return values
    if pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    if pa.types.is_null(values.type):
        return pa.nulls(len(values), pa.float64())
    values = pc.if_else(pc.is_in(values, value_set=MISSING_VALUES), None, values)
    if decimal_comma:
        values = pc.replace_substring(values, ",", ".")
    try:
        return pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    position, example = next(
        ((i, v) for i, v in enumerate(values.to_pylist()) if v is not None and not _is_number(v)), (-1, "?")
    )
    raise MalformedMessage(
        f"{what} has an observation value that is not a number: {example!r} "
        f"(observation {offset + position + 1})."
    )


def _is_number(text: str) -> bool:
    try:
        pc.cast(pa.array([text]), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True
