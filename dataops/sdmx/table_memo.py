"""Data tables read from a ``files`` source, kept in memory up to a number of bytes.

The server's SDMX REST endpoint answers many small questions about the same files (one series of a
dataflow, then another); reading and parsing the file again for each is most of an answer's time.
An entry is keyed by the file and the structure it was read with, and used only while the file's
size and modification time are those it was read at, so a changed file is read afresh. The bound
counts Arrow buffer bytes; the least recently used entries go first, and a table larger than the
whole bound is not kept. ``[data] files_cache_mb`` sets the bound (0 keeps nothing).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from dataops.sdmx.model import Structure


@dataclass(frozen=True)
class _Entry:
    stamp: tuple[int, int]  # the file's (mtime_ns, size) when it was read
    structure: Structure  # the very structure it was read with (held, so identity stays meaningful)
    table: pa.Table
    size: int


class TableMemo:
    """A thread-safe LRU of tables read from files, bounded in bytes; ``reads`` counts the misses."""

    def __init__(self, max_bytes: int = 0) -> None:
        self.max_bytes = max_bytes
        self.reads = 0
        self._items: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def held_bytes(self) -> int:
        """Bytes of the tables kept now (never more than ``max_bytes``)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def resize(self, max_bytes: int) -> None:
        """Keep at most ``max_bytes`` from now on, dropping the least recently used entries to fit."""
        with self._lock:
            self.max_bytes = max_bytes
            self._shrink()

    def recall(
        self, path: Path, structure: Structure, variant: Hashable, read: Callable[[], pa.Table]
    ) -> pa.Table:
        """The table ``read()`` gives for ``path`` read with ``structure``, kept from an earlier read
        while the file has the same size and modification time (``variant`` tells other reading
        options apart)."""
        st = path.stat()  # before reading: a file changed during the read is read again next time
        stamp = (st.st_mtime_ns, st.st_size)
        key = (str(path), variant)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit.stamp == stamp and hit.structure is structure:
                self._items.move_to_end(key)
                return hit.table
        table = read()  # outside the lock: parsing is slow and other files should not wait for it
        size = table.get_total_buffer_size()
        with self._lock:
            self.reads += 1
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            if size <= self.max_bytes:
                self._items[key] = _Entry(stamp, structure, table, size)
                self._bytes += size
                self._shrink()
        return table

    def clear(self) -> None:
        """Forget every table, and start counting reads from 0."""
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.reads = 0

    def _shrink(self) -> None:
        while self._bytes > self.max_bytes and self._items:
            _, entry = self._items.popitem(last=False)
            self._bytes -= entry.size


# One per process (the kernel and the Jupyter server each keep their own), sized by each read's config.
TABLES = TableMemo()
