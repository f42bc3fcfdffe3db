"""SDMX-CSV columns read with pyarrow's streaming CSV reader (any input; quotes, any separator).

The path for CSV that is not a file on disk, for files the compiled scanner leaves (quotes), and
for installs without it. Batches are compacted a few at a time as they arrive (empty text made
null, dictionary indices narrowed), so only the compact columns pile up.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dataops.sdmx.readers.csv_frame import CsvFrame, Pieces
from dataops.sdmx.readers.runs import MISSING, index_type

# The streaming reader keeps several blocks in flight: 512 KB blocks instead of the default 1 MB
# took 10 MB off the peak of the 1,000,000-observation benchmark file (bench/sdmx_read.py).
BLOCK_SIZE = 1 << 19
GROUP = 8  # batches compacted together (about 4 MB of CSV)


def read_stream(frame: CsvFrame, source: Any, skip_rows: int, halves: int = 1) -> Pieces:
    """The columns of ``source`` (a path or a binary file), ``skip_rows`` lines skipped first.

    ``halves=2`` when the file is read as two halves at once (`csv_halves`): one thread and half the
    block size each, so no more bytes are in flight than in one stream with its read-ahead threads.
    """
    keep = frame.keep
    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(
            column_names=frame.names,
            skip_rows=skip_rows,
            block_size=BLOCK_SIZE // halves,
            use_threads=halves == 1,
        ),
        parse_options=pacsv.ParseOptions(delimiter=frame.delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=frame.types,
            include_columns=keep,
            strings_can_be_null=False,
            null_values=MISSING if frame.float_values else [""],
        ),
    )
    pieces: Pieces = {name: [] for name in keep}
    group: list[pa.RecordBatch] = []
    for batch in reader:
        group.append(batch)
        if len(group) == GROUP:
            _add_group(pieces, group)
    _add_group(pieces, group)
    return pieces


def _add_group(pieces: Pieces, group: list[pa.RecordBatch]) -> None:
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
