"""SDMX-CSV files read by the compiled row scanner (``dataops_native.scan_csv_rows``), two blocks at once.

A file is read in blocks of whole lines; each block is scanned on a worker thread without the GIL,
straight into float64, string and dictionary columns. The scanner compares each coded value with
the previous row's before hashing it, which is what makes it faster than pyarrow's CSV reader on
SDMX-CSV, where a series' rows repeat their key. It gives up on anything it does not handle (a
quote anywhere, a row with another number of fields, a value that is no number, invalid UTF-8):
the caller then reads the file with pyarrow, which also words the error.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

import pyarrow as pa

from dataops.sdmx.readers.native_columns import array_of, dataops_native
from dataops.sdmx.readers.runs import parse_pool

BLOCK = 1 << 20  # bytes of the file per scan (4 MB blocks: 8 MB more peak, little faster)
IN_FLIGHT = 2  # blocks scanned at once (one per core)


def _kind(data_type: pa.DataType) -> str:
    if pa.types.is_floating(data_type):
        return "float"
    return "dictionary" if pa.types.is_dictionary(data_type) else "string"


def read_native(
    path: Path, names: Sequence[str], types: dict[str, pa.DataType], delimiter: str, *, block: int = BLOCK
) -> dict[str, list[pa.Array]] | None:
    """Columns (pieces per block of ``block`` bytes) of the fields named in ``types``; None when pyarrow
    must read the file."""
    if dataops_native is None or len(delimiter.encode()) != 1:
        return None
    fields = [(name, _kind(types[name]) if name in types else None) for name in names]
    pieces: dict[str, list[pa.Array]] = {name: [] for name in types}
    pending: deque[Future] = deque()
    try:
        with path.open("rb") as fh:
            if b'"' in fh.readline():
                return None
            rest = b""
            while True:
                data = fh.read(block)
                last = not data
                buf = rest + data if rest else data
                del data  # only `buf` stays: blocks in flight are what the read costs in memory
                cut = len(buf) if last else buf.rfind(b"\n") + 1
                rest = buf[cut:]
                if cut:
                    scan = dataops_native.scan_csv_rows
                    pending.append(parse_pool().submit(scan, buf, delimiter, fields, cut))
                del buf
                while pending and (len(pending) > IN_FLIGHT or last):
                    columns = pending.popleft().result()
                    if columns is None:
                        return None
                    for column in columns:
                        pieces[column["name"]].append(array_of(column))
                if last:
                    return pieces
    finally:
        for future in pending:
            future.cancel()
