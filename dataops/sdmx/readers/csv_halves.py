"""A large SDMX-CSV file on disk read as two halves at once, one CSV stream per core.

pyarrow's streaming CSV reader converts one block after the other, so one stream keeps about one
core busy. A file is cut at the line break nearest its middle and each half is read by its own
stream on its own thread (pyarrow releases the GIL). This is only right when every line break
ends a row, i.e. when no value is quoted (a quoted value may hold a line break): the halves are
watched for ``"`` as they are read, and any quote, error or oddity makes the caller read the file
as one stream instead, which also gives the exact error message with its row number.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import pyarrow as pa

MIN_SIZE = 8 << 20  # below this, a second stream costs more than it saves
Pieces = dict[str, list[pa.Array]]
_POOL: ThreadPoolExecutor | None = None


class QuoteSeen(Exception):
    """A ``"`` in the file: a line break may sit inside a value, so halves are not safe."""


class _Range(io.RawIOBase):
    """Bytes ``start`` to ``end`` of a file, refusing to hand over a quote."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._fh = path.open("rb")
        self._fh.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._fh.read(min(len(buffer), self._left))
        if b'"' in data:  # bytes, not a memoryview: a memchr, not a loop over every byte
            raise QuoteSeen
        n = len(data)
        memoryview(buffer)[:n] = data
        self._left -= n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def read_halves(
    path: Path, read: Callable[[pa.PythonFile, int], Pieces], *, min_size: int = MIN_SIZE
) -> Pieces | None:
    """``read(source, skip_rows)`` on both halves at once, pieces joined in file order; None when unsafe
    or when the file is smaller than ``min_size`` bytes."""
    size = path.stat().st_size
    if size < min_size or (os.cpu_count() or 1) < 2:
        return None
    cut = _line_start(path, size // 2)
    if cut is None:
        return None
    ranges = [_Range(path, 0, cut), _Range(path, cut, size)]
    try:
        futures = [
            _pool().submit(read, pa.PythonFile(r, mode="r"), skip)
            for r, skip in zip(ranges, (1, 0), strict=True)
        ]
        wait(futures)  # both finish before anything is decided: no stream is left reading
        errors = [f.exception() for f in futures]
        if any(errors):
            return None  # a quote, or an error that the single stream will name with its row
        first, second = (f.result() for f in futures)
    finally:
        for r in ranges:
            r.close()
    return {name: first[name] + second.get(name, []) for name in first}


def _line_start(path: Path, middle: int) -> int | None:
    """Offset just after the first line break at or after ``middle`` (None without one)."""
    with path.open("rb") as fh:
        fh.seek(middle)
        block = fh.read(1 << 16)
    at = block.find(b"\n")
    return None if at < 0 else middle + at + 1


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dataops-sdmx-csv")
    return _POOL
