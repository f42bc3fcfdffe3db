"""Parsed structures kept in memory, so a second question about a dataflow does not re-parse its DSD.

A DSD with its codelists can be half a megabyte of XML and take far longer to parse than to read
from the disk cache. Entries are keyed by source and request and remembered with a fingerprint of
what they were built from (the body's digest, or a folder's file sizes and times): the disk cache
still decides when to ask the provider again (TTL, then a conditional request), and whatever it
answers with a different body is parsed afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class StructureMemo:
    """A small thread-safe LRU of parsed structure messages; ``parses`` counts the misses."""

    def __init__(self, max_entries: int = 32) -> None:
        self.max_entries = max_entries
        self.parses = 0
        self._items: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def recall(self, key: Hashable, fingerprint: Hashable, build: Callable[[], T]) -> T:
        """The value remembered for ``key`` if built from the same ``fingerprint``, else ``build()``."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == fingerprint:
                self._items.move_to_end(key)
                return hit[1]
        value = build()  # outside the lock: parsing is slow and other keys should not wait for it
        with self._lock:
            self.parses += 1
            self._items[key] = (fingerprint, value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


# One per process: the kernel and the Jupyter server each keep their own.
STRUCTURES = StructureMemo()
