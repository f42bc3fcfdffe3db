"""Collect observations from any reader and build the one Arrow table every format ends in.

Values shared by many observations (series keys, series and group attributes, dataset
attributes) are stored once per series and expanded through an index, so memory follows the
number of observations, not the verbosity of the message.
"""

from __future__ import annotations

import json
from array import array
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import MalformedMessage, NoData
from dataops.sdmx.model import Structure

OBS_VALUE = "OBS_VALUE"
SERIES_COL = "__series__"
RUN_BATCH_BYTES = 32 << 20
MISSING_VALUES = pa.array(["", "NaN", "nan", "NA", "N/A"])


@dataclass
class TableInfo:
    """What a reader learned about the columns, used to order them when no structure is given."""

    format: str
    what: str
    structure_id: str = ""
    dimensions: list[str] = field(default_factory=list)  # known to be dimensions, in message order
    time_dimension: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


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
        self._run_names: tuple[str, ...] = ()
        self._run_rows: list[bytes] = []
        self._run_series: list[tuple[int, int]] = []
        self._run_bytes = 0
        self.run_count = 0

    # --- series -------------------------------------------------------------------------
    def new_series(self, values: dict[str, str], *, real: bool = True) -> int:
        """Open a series (or a dataset context) with its values; returns its index."""
        idx = self.n_series
        self.n_series += 1
        self.real_series += real
        for key, value in values.items():
            self.set_series(idx, key, value)
        return idx

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
        if self._run_rows:
            self._flush_runs()
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
        """A block of observations already in Arrow (string columns), with their series indices."""
        self._flush_rows()
        if self._run_rows and table.num_rows and self._run_names:
            self._flush_runs()
        for name in table.column_names:
            self.seen.setdefault(name)
        self.blocks.append(table.append_column(SERIES_COL, pa.array(series_idx, pa.int32())))

    def add_run(self, series_idx: int, names: tuple[str, ...], rows: bytes, count: int) -> None:
        """Observations of one series as ``\\x1f``-separated rows (see `ss_fast`), parsed in batches."""
        if self._run_names != names or len(self.row_series):
            self._flush_runs()
            self._flush_rows()
            self._run_names = names
        self._run_rows.append(rows)
        self._run_series.append((series_idx, count))
        self._run_bytes += len(rows)
        self.run_count += count
        if self._run_bytes > RUN_BATCH_BYTES:
            self._flush_runs()

    def _flush_runs(self) -> None:
        if not self._run_rows:
            return
        from dataops.sdmx.readers.ss_fast import rows_to_table

        table = rows_to_table(self._run_names, b"".join(self._run_rows))
        idx, counts = zip(*self._run_series, strict=True)
        series_idx = np.repeat(np.array(idx, dtype=np.int32), np.array(counts))
        self._run_rows, self._run_series, self._run_bytes = [], [], 0
        if table.num_rows != len(series_idx):
            raise MalformedMessage("Observation rows were lost while reading structure-specific XML.")
        self.add_block(table, series_idx)

    @property
    def n_obs(self) -> int:
        return len(self.row_series) + sum(b.num_rows for b in self.blocks) + self.run_count

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
        self._flush_runs()
        self._flush_rows()
        self._apply_groups()
        if self.blocks:
            obs = pa.concat_tables(self.blocks, promote_options="default")
        elif self.real_series:
            # A series-keys-only reply: one row per series, no observations.
            idx = [i for i in range(self.n_series) if self._is_real(i)]
            obs = pa.table({SERIES_COL: pa.array(idx, pa.int32())})
        else:
            raise NoData(f"{info.what} contains no observations: the dataset is empty.")
        if obs.num_rows == 0:
            raise NoData(f"{info.what} contains no observations: the dataset is empty.")
        series_idx = obs.column(SERIES_COL).combine_chunks()
        names = order_columns(list(self.seen), info, structure)
        return assemble({name: self._column(name, obs, series_idx) for name in names}, info, structure)

    def _is_real(self, idx: int) -> bool:
        return any(col[idx] is not None for col in self.series.values() if len(col) > idx)

    def _column(self, name: str, obs: pa.Table, series_idx: pa.Array) -> pa.Array:
        from_obs = obs.column(name).combine_chunks() if name in obs.column_names else None
        col = self.series.get(name)
        if col is None:
            return from_obs if from_obs is not None else pa.nulls(obs.num_rows, pa.string())
        col = col + [None] * (self.n_series - len(col))
        per_series = pa.array(col, pa.string()).dictionary_encode()
        expanded = pa.DictionaryArray.from_arrays(per_series.indices.take(series_idx), per_series.dictionary)
        expanded = expanded.cast(pa.string())
        if from_obs is None:
            return expanded
        return pc.coalesce(from_obs.cast(pa.string()), expanded)

    def _apply_groups(self) -> None:
        for key, attributes in self.groups:
            match = np.ones(self.n_series, dtype=bool)
            for dim, value in key.items():
                col = self.series.get(dim, [])
                col = col + [None] * (self.n_series - len(col))
                match &= np.array([v == value for v in col], dtype=bool)
            for idx in np.flatnonzero(match):
                for attr, value in attributes.items():
                    col = self.series.get(attr)
                    if col is None or len(col) <= idx or col[idx] is None:
                        self.set_series(int(idx), attr, value)


def assemble(
    columns: dict[str, pa.Array], info: TableInfo, structure: Structure | None, *, decimal_comma: bool = False
) -> pa.Table:
    """Order and type the columns (dictionary-encoded dimensions and attributes, float OBS_VALUE)."""
    names = order_columns(list(columns), info, structure)
    dims = set(structure_dimension_ids(structure) if structure else info.dimensions)
    time = (structure.time_dimension if structure else None) or info.time_dimension
    out: dict[str, pa.Array] = {}
    for name in names:
        values = columns[name]
        if name == OBS_VALUE:
            values = to_float(values, info.what, decimal_comma=decimal_comma)
        elif name == time and name not in dims:
            values = values.cast(pa.string()) if pa.types.is_dictionary(values.type) else values
        elif not pa.types.is_dictionary(values.type):
            values = pc.dictionary_encode(values)
        out[name] = values
    meta = {
        "format": info.format,
        "structure_id": (f"{structure.agency}:{structure.id}({structure.version})" if structure else "")
        or info.structure_id,
        "dimensions": [n for n in names if n in dims],
        "time_dimension": time,
        "attributes": [n for n in names if n not in dims and n not in (time, OBS_VALUE)],
        **info.extra,
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


def to_float(values: pa.Array, what: str, *, decimal_comma: bool = False) -> pa.Array:
    """OBS_VALUE as float64, null where the message says the value is missing."""
    if pa.types.is_floating(values.type):
        return pc.if_else(pc.is_nan(values), None, values)
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
        f"{what} has an observation value that is not a number: {example!r} (observation {position + 1})."
    )


def _is_number(text: str) -> bool:
    try:
        pc.cast(pa.array([text]), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True
