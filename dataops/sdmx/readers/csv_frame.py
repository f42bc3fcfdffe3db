"""What an SDMX-CSV message's header says (columns, separator, types) and how its columns become the table.

SDMX-CSV 1.0 and 2.0 and ECB's ``csvdata`` flavour. Handled variations: any one-character separator
(SDMX-CSV 2.0 declares it after ``STRUCTURE``, e.g. ``STRUCTURE[|];``), ``labels=both`` as
``ID: Name`` headers and values or as separate name columns (labels are dropped: they are in the
structure's codes), decimal comma, the optional ``SERIES_KEY``/``OBS_KEY`` columns, and the ECB
``KEY`` column. The columns themselves are read by the compiled scanner (`csv_native`) or by
pyarrow (`csv_data`); `paths` chooses.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import MalformedMessage, NoData
from dataops.sdmx.media import MessageFormat
from dataops.sdmx.model import Structure
from dataops.sdmx.readers.runs import DICT
from dataops.sdmx.readers.source import Input
from dataops.sdmx.readers.table import OBS_VALUE, Column, TableInfo, assemble, structure_dimension_ids

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
Pieces = dict[str, list[pa.Array]]  # the pieces of each column read, by column name (``c0``, ``c1``...)


@dataclass
class CsvFrame:
    """An SDMX-CSV message's header, read: the columns to read, their types, and what is known already."""

    columns: list[CsvColumn]
    delimiter: str
    types: dict[str, pa.DataType]  # by column name, for the columns read
    labelled: set[str]
    float_values: bool  # OBS_VALUE read straight as float64
    info: TableInfo

    @property
    def names(self) -> list[str]:
        """Every column's name (``c0``, ``c1``...), read or not."""
        return [c.name for c in self.columns]

    @property
    def keep(self) -> list[str]:
        """The names of the columns read."""
        return [c.name for c in self.columns if not c.drop]

    def table(self, pieces: Pieces, structure: Structure | None) -> pa.Table:
        """The table from the columns read (pieces per block, in file order)."""
        # Dictionary pieces stay a list (their index widths may differ); `assemble` unifies them.
        columns_by_name = {
            name: arrays
            if pa.types.is_dictionary(self.types[name])
            else pa.chunked_array(arrays, self.types[name])
            for name, arrays in pieces.items()
        }
        pieces.clear()
        info = self.info
        out: dict[str, Column] = {}
        for c in self.columns:
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
                info.actions = [a for a in actions if a]
                if "D" not in actions:
                    continue
            if c.id in self.labelled:
                assert not isinstance(values, list)  # labelled columns are read as strings, not pieces
                values = _strip_labels(values.combine_chunks())
            out[c.id] = values
        if not out or all(len(v) == 0 for v in out.values()):
            raise NoData(f"{info.what} contains no observations: the dataset is empty.")
        obs = out.get(OBS_VALUE)
        if isinstance(obs, pa.ChunkedArray):
            obs = obs.combine_chunks()
        decimal_comma = not self.float_values and _uses_decimal_comma(obs)
        return assemble(out, info, structure, decimal_comma=decimal_comma)


def read_header(inp: Input, fmt: MessageFormat, structure: Structure | None) -> CsvFrame:
    """The frame of an SDMX-CSV message already sniffed as ``fmt``, from its first lines."""
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
    # (missing-value markers become null there; empty text is made null in the other columns).
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
    return CsvFrame(columns, delimiter, types, labelled, float_values, info)


def malformed(what: str, exc: pa.ArrowInvalid) -> MalformedMessage:
    """The error for a CSV message pyarrow could not read, in a statistician's words."""
    return MalformedMessage(f"{what} is not valid SDMX-CSV: {_reason(exc)}")


def _first_value(head: bytes, delimiter: str, column: CsvColumn) -> str | None:
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


def _reason(exc: pa.ArrowInvalid) -> str:
    """pyarrow's complaint in words a statistician reads (column numbers dropped, numbers named)."""
    text = re.sub(r"In CSV column #\d+: ", "", str(exc))
    bad = re.search(r"(?:Row #(\d+): )?CSV conversion error to double: invalid value (.*)$", text)
    if bad:
        row = f" (row {bad.group(1)})" if bad.group(1) else ""
        return f"an observation value is not a number: {bad.group(2)}{row}"
    return text


class CsvColumn:
    """One column of the header: its name for the readers (``c0``...), its SDMX id, whether its
    values carry labels (``ID: Name``), and whether it is left unread."""

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


def _columns(header: list[str]) -> list[CsvColumn]:
    columns = [CsvColumn(i, raw) for i, raw in enumerate(header)]
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
