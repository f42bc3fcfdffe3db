"""What the observation scanners share: the batches they hand to the table builder, their threads,
and the rules every one of them follows (markup passed through whole, values XML would rewrite).

A scanner (compiled `ss_native`, pyarrow `ss_fast` and `generic_fast`) reads runs of plain
observations into Arrow and replaces each run, in the bytes lxml still parses, by a processing
instruction carrying the run's number; the lxml target (`xml_data`) then takes the run by number.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

DICT = pa.dictionary(pa.int32(), pa.string())
MISSING = ["", "NaN", "nan", "NA", "N/A"]  # what `table.to_float` reads as a missing value
OBS_DIMENSION = "\x00obs-dimension"  # a generic ObsDimension without an id: named by the target
SPECIAL = re.compile(rb"<[!?]")  # comments, CDATA, processing instructions, declarations
_BAD_VALUE = re.compile(r"[\x00-\x1f<&]")  # characters a plain attribute value cannot hold literally


@dataclass
class RunBatch:
    """Observations of consecutive runs, parsed together; ``series`` is filled in as lxml reaches them."""

    table: pa.Table
    counts: list[int]
    series: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Narrow dictionary indices while the batch is small (on the parse thread): the batches
        # of a whole message wait for the end of the read, and int32 indices would double them.
        for i, column in enumerate(self.table.columns):
            if pa.types.is_dictionary(column.type):
                narrow = [_narrowed(chunk) for chunk in column.chunks]
                self.table = self.table.set_column(i, self.table.field(i).name, pa.chunked_array(narrow))

    def series_index(self) -> np.ndarray:
        """The series index of every row of ``table``."""
        return np.repeat(np.array(self.series, dtype=np.int32), np.array(self.counts))


class ObsScanner(Protocol):
    """A structure-specific scanner: raw chunks in, what lxml should parse out, runs by number."""

    pi_target: str

    def feed(self, chunk: bytes) -> bytes: ...

    def close(self) -> bytes: ...

    def take(self, run_id: int) -> tuple[RunBatch, int]:
        """The batch holding run ``run_id`` and the run's index in it (handed over once)."""
        ...


class GenericScanner(Protocol):
    """A generic-XML scanner; a run also names its key columns (series key, observation dimension).

    ``packed_tags`` maps the names of elements the scanner wrote in place of a ``SeriesKey`` or
    ``Attributes`` element (its values as XML attributes, id → value) to the element they stand for.
    """

    pi_target: str
    packed_tags: dict[str, str]

    def feed(self, chunk: bytes) -> bytes: ...

    def close(self) -> bytes: ...

    def take(self, run_id: int) -> tuple[RunBatch, int, list[str]]:
        """The batch holding run ``run_id``, the run's index in it and the batch's key columns."""
        ...


def index_type(size: int) -> pa.DataType:
    """The narrowest dictionary indices for ``size`` values, the width pandas gives its category codes."""
    return pa.int8() if size < 128 else pa.int16() if size < 32_768 else pa.int32()


def _narrowed(values: pa.DictionaryArray) -> pa.DictionaryArray:
    wanted = index_type(len(values.dictionary))
    if values.indices.type == wanted:
        return values
    return pa.DictionaryArray.from_arrays(values.indices.cast(wanted), values.dictionary)


def markup_end(buf: bytes, start: int) -> bytes:
    """What ends the markup `SPECIAL` found at ``start`` (a comment, CDATA, a declaration or a PI)."""
    if buf.startswith(b"<!--", start):
        return b"-->"
    if buf.startswith(b"<![CDATA[", start):
        return b"]]>"
    if buf.startswith(b"<!", start):
        return b">"  # a DOCTYPE: lxml refuses the message anyway
    return b"?>"


def pass_markup(
    buf: bytes, pos: int, start: int, out: list[bytes], on_markup: Callable[[], None] | None = None
) -> tuple[int, bool]:
    """Pass the markup `SPECIAL` found at ``start`` (with the bytes from ``pos`` before it) to ``out``.

    Comments, CDATA and processing instructions pass through whole, never scanned: a run of
    observations never spans one. ``on_markup`` is called once the markup is known to start
    there (a scanner ends the run it was collecting). Returns where to go on from and whether
    to stop and wait for more bytes (the markup is not whole in ``buf`` yet).
    """
    if len(buf) - start < 9:
        return pos, True  # too few bytes to tell a comment from CDATA: wait for more
    closer = markup_end(buf, start)
    end = buf.find(closer, start + 2)
    if on_markup is not None:
        on_markup()
    if end < 0:
        out.append(buf[pos:start])
        return start, True
    end += len(closer)
    out.append(buf[pos:end])
    return end, False


def read_fields(blob: bytes, names: list[str], types: dict[str, pa.DataType]) -> pa.Table | None:
    """The lines of ``blob`` cut at every '"' into the columns ``names`` (typed by ``types``, `MISSING` null).

    A plain element's attribute values stand between quotes, so each line becomes its separators
    and values in turn. None when a line has another number of fields, a value that is no number
    or bad UTF-8 (lxml then reads the run).
    """
    try:
        return pacsv.read_csv(
            pa.py_buffer(blob),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 19, use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter='"', quote_char=False, escape_char=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types, strings_can_be_null=False, null_values=MISSING
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def values_ok(values: pa.Table) -> bool:
    """No value may hold '<', '&', a tab or a control character (XML would refuse or rewrite them)."""
    for column in values.columns:
        if pa.types.is_floating(column.type):
            continue
        if pa.types.is_dictionary(column.type):
            if any(_BAD_VALUE.search("".join(c.dictionary.to_pylist())) for c in column.chunks):
                return False
        elif pc.any(pc.match_substring_regex(column, _BAD_VALUE.pattern)).as_py():
            return False
    return True


_POOL: ThreadPoolExecutor | None = None


def parse_pool() -> ThreadPoolExecutor:
    """Threads for scanning and CSV parsing (pyarrow and the compiled scanners release the GIL).

    Two, so that while lxml reads chunk n the batches of chunks n and n + 1 parse on the other
    cores; results are still taken in order. More threads only add memory on two cores.
    """
    global _POOL
    if _POOL is None:
        workers = max(1, min(2, os.cpu_count() or 1))
        _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dataops-sdmx-parse")
    return _POOL
