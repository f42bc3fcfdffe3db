"""SDMX-CSV 1.0 and 2.0 and ECB's ``csvdata`` flavour, read with pyarrow's multi-threaded CSV reader.

Handled variations: any one-character separator (SDMX-CSV 2.0 declares it after ``STRUCTURE``,
e.g. ``STRUCTURE[|];``), ``labels=both`` as ``ID: Name`` headers and values or as separate name
columns (labels are dropped: they are in the structure's codes), decimal comma, the optional
``SERIES_KEY``/``OBS_KEY`` columns, and the ECB ``KEY`` column.
"""

from __future__ import annotations

import csv
import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dataops.errors import MalformedMessage, TooLarge
from dataops.sdmx.model import Structure
from dataops.sdmx.readers.csv_halves import read_halves
from dataops.sdmx.readers.csv_native import read_native
from dataops.sdmx.readers.source import ChunkReader, Input
from dataops.sdmx.readers.ss_fast import MISSING
from dataops.sdmx.readers.table import (
    OBS_VALUE,
    Column,
    TableInfo,
    assemble,
    index_type,
    structure_dimension_ids,
)

TIME_PERIOD = "TIME_PERIOD"
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_@$\-]*$")
_FIRST = re.compile(r'^\ufeff?"?(DATAFLOW|STRUCTURE|KEY)"?(\[.\])?(.)', re.I)
# Columns that describe the message rather than the observation.
STRUCTURE_COLUMNS = {
    "DATAFLOW",
    "STRUCTURE",
    "STRUCTURE_ID",
    "STRUCTURE_NAME",
    "KEY",
    "SERIES_KEY",
    "OBS_KEY",
}
DICT = pa.dictionary(pa.int32(), pa.string())
# The streaming reader keeps several blocks in flight: 512 KB blocks instead of the default 1 MB
# took 10 MB off the peak of the 1,000,000-observation benchmark file (bench/sdmx_read.py).
BLOCK_SIZE = 1 << 19
GROUP = 8  # batches compacted together (about 4 MB of CSV)


def read_csv_data(inp: Input, fmt: str, structure: Structure | None) -> pa.Table:
    """Read an SDMX-CSV message already sniffed as ``fmt``."""
    first_line = inp.head.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    m = _FIRST.match(first_line)
    if not m:
        raise MalformedMessage(f"{inp.name} does not start with an SDMX-CSV header line.")
    delimiter = m.group(3)
    header = next(csv.reader([first_line.lstrip("\ufeff")], delimiter=delimiter))
    columns = _columns(header)
    ids = [c.id for c in columns]
    dims = structure_dimension_ids(structure) if structure else _dims_before_time(ids)
    time = structure.time_dimension if structure else (TIME_PERIOD if TIME_PERIOD in ids else None)
    labelled = {c.id for c in columns if c.labelled}
    # With ',' as separator OBS_VALUE cannot use a decimal comma: it is read straight as float64
    # (missing-value markers become null there; empty text is made null in the other columns below).
    float_values = delimiter == ","
    info = TableInfo(format=fmt, what=inp.name, dimensions=dims, time_dimension=time)
    flow_column = next((c for c in columns if c.id in ("STRUCTURE_ID", "DATAFLOW", "KEY")), None)
    if flow_column is not None:
        first_flow = _first_value(inp.head, delimiter, flow_column)
        if first_flow is not None:
            info.structure_id = first_flow.split(": ", 1)[0]
            flow_column.drop = True  # known from the first row: no need to read the column
    types: dict[str, pa.DataType] = {}
    for c in columns:
        if c.drop:
            continue
        if c.id == OBS_VALUE:
            types[c.name] = pa.float64() if float_values else pa.string()
        elif c.id == time or c.id in labelled or c.id in ("STRUCTURE_ID", "DATAFLOW", "KEY", "ACTION"):
            types[c.name] = pa.string()
        else:
            types[c.name] = DICT
    keep = [c.name for c in columns if not c.drop]

    def read(source: Any, skip_rows: int, halves: int = 1) -> dict[str, list[pa.Array]]:
        # Two halves at once: one thread and half the block size each, so no more bytes are in flight
        # than in one stream with its read-ahead threads.
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=[c.name for c in columns],
                skip_rows=skip_rows,
                block_size=BLOCK_SIZE // halves,
                use_threads=halves == 1,
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=keep,
                strings_can_be_null=False,
                null_values=MISSING if float_values else [""],
            ),
        )
        # Batch by batch, so only the compact columns (narrow dictionary indices) pile up.
        pieces: dict[str, list[pa.Array]] = {name: [] for name in keep}
        group: list[pa.RecordBatch] = []
        for batch in reader:
            group.append(batch)
            if len(group) == GROUP:
                _add_group(pieces, group)
        _add_group(pieces, group)
        return pieces

    try:
        halves = None
        if inp.path is not None and b'"' not in inp.head:
            halves = read_native(inp.path, [c.name for c in columns], {k: types[k] for k in keep}, delimiter)
            if halves is None:
                halves = read_halves(inp.path, lambda source, skip_rows: read(source, skip_rows, 2))
        if halves is not None:
            pieces = halves
        else:
            source = (
                str(inp.path) if inp.path is not None else pa.PythonFile(ChunkReader(inp.chunks), mode="r")
            )
            pieces = read(source, 1)
    except TooLarge:
        raise
    except pa.ArrowInvalid as exc:
        raise MalformedMessage(f"{inp.name} is not valid SDMX-CSV: {_reason(exc)}") from None
    # Dictionary pieces stay a list (their index widths may differ); `assemble` unifies them.
    columns_by_name = {
        name: arrays if pa.types.is_dictionary(types[name]) else pa.chunked_array(arrays, types[name])
        for name, arrays in pieces.items()
    }
    del pieces
    out: dict[str, Column] = {}
    for c in columns:
        if c.drop:
            continue
        values = columns_by_name.pop(c.name)
        if c.id in ("STRUCTURE_ID", "DATAFLOW", "KEY"):
            if len(values) and not info.structure_id:
                first = values[0].as_py() or ""
                info.structure_id = first.split(": ", 1)[0]
            continue
        if c.id == "ACTION":
            actions = pc.unique(values).to_pylist()
            info.extra["actions"] = [a for a in actions if a]
            if "D" not in actions:
                continue
        if c.id in labelled:
            values = _strip_labels(values.combine_chunks())
        out[c.id] = values
    if not out or all(len(v) == 0 for v in out.values()):
        from dataops.errors import NoData

        raise NoData(f"{inp.name} contains no observations: the dataset is empty.")
    obs = out.get(OBS_VALUE)
    if isinstance(obs, pa.ChunkedArray):
        obs = obs.combine_chunks()
    decimal_comma = not float_values and _uses_decimal_comma(obs)
    return assemble(out, info, structure, decimal_comma=decimal_comma)


def _first_value(head: bytes, delimiter: str, column: _Column) -> str | None:
    """The column's value in the first data row, if the first two lines are in ``head``."""
    lines = head.split(b"\n", 2)
    if len(lines) < 3:
        return None
    try:
        row = next(csv.reader([lines[1].decode("utf-8").rstrip("\r")], delimiter=delimiter))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    index = int(column.name[1:])
    return row[index] if index < len(row) else None


def _add_group(pieces: dict[str, list[pa.Array]], group: list[pa.RecordBatch]) -> None:
    """Compact a few batches at once: the per-call cost of Python stays small next to the data."""
    if not group:
        return
    table = pa.Table.from_batches(group).unify_dictionaries()
    group.clear()
    for name, column in zip(table.column_names, table.columns, strict=True):
        pieces[name].append(_compact(column.combine_chunks()))


def _compact(values: pa.Array) -> pa.Array:
    """Empty text made null (on the small dictionary where there is one), dictionary indices narrowed."""
    if pa.types.is_dictionary(values.type):
        indices, dictionary = values.indices, values.dictionary
        empty = pc.index(dictionary, "").as_py()
        if empty >= 0:
            # "" is no code: null rows, and no "" category in the result.
            indices = pc.if_else(pc.equal(indices, empty), None, indices)
            indices = pc.if_else(pc.greater(indices, empty), pc.subtract(indices, 1), indices)
            dictionary = pa.concat_arrays([dictionary[:empty], dictionary[empty + 1 :]])
        indices = indices.cast(index_type(len(dictionary)))
        return pa.DictionaryArray.from_arrays(indices, dictionary)
    if pa.types.is_string(values.type) and pc.any(pc.equal(values, "")).as_py():
        return pc.if_else(pc.equal(values, ""), None, values)
    return values


def _reason(exc: pa.ArrowInvalid) -> str:
    """pyarrow's complaint in words a statistician reads (column numbers dropped, numbers named)."""
    text = re.sub(r"In CSV column #\d+: ", "", str(exc))
    bad = re.search(r"(?:Row #(\d+): )?CSV conversion error to double: invalid value (.*)$", text)
    if bad:
        row = f" (row {bad.group(1)})" if bad.group(1) else ""
        return f"an observation value is not a number: {bad.group(2)}{row}"
    return text


class _Column:
    def __init__(self, index: int, raw: str) -> None:
        self.name = f"c{index}"
        ident, _, label = raw.partition(": ")
        self.id = ident.strip()
        self.labelled = bool(label)
        # A column whose header is not an SDMX id holds the names for the column before it.
        self.drop = not _ID.match(self.id) or self.id in STRUCTURE_COLUMNS - {
            "STRUCTURE_ID",
            "DATAFLOW",
            "KEY",
        }


def _columns(header: list[str]) -> list[_Column]:
    columns = [_Column(i, raw) for i, raw in enumerate(header)]
    seen: set[str] = set()
    for c in columns:
        if not c.drop and c.id in seen:
            raise MalformedMessage(f"The SDMX-CSV header names column {c.id} twice.")
        seen.add(c.id)
    return columns


def _dims_before_time(ids: list[str]) -> list[str]:
    """SDMX-CSV puts dimensions first: everything before TIME_PERIOD (or OBS_VALUE) that is not metadata."""
    stop = TIME_PERIOD if TIME_PERIOD in ids else OBS_VALUE
    cut = ids.index(stop) if stop in ids else 0
    return [i for i in ids[:cut] if i not in STRUCTURE_COLUMNS and i != "ACTION" and _ID.match(i)]


def _strip_labels(values: pa.Array) -> pa.Array:
    """``ID: Name`` → ``ID`` when every non-empty value has that form (coded components)."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    present = pc.drop_null(values)
    if len(present) and pc.all(pc.match_substring(present, ": ")).as_py():
        return pc.replace_substring_regex(values, r": .*$", "")
    return values


def _uses_decimal_comma(values: pa.Array | None) -> bool:
    if values is None or not pa.types.is_string(values.type):
        return False
    present = pc.drop_null(values)
    return bool(len(present)) and pc.any(pc.match_substring(present, ",")).as_py()
