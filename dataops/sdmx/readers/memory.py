"""The Arrow memory pool reads run in: jemalloc returning freed pages at once, where pyarrow has it.

A read allocates and frees many short-lived buffers (parsed blocks, dictionary pieces). pyarrow's
default pool (mimalloc) keeps freed pages mapped for reuse, which showed as 25-50 MB of extra peak
resident memory per 1,000,000 observations in `bench/sdmx_read.py`; jemalloc with a decay time of
0 ms hands them back to the system right away. The pool is pyarrow's default only while a read
runs (nested and concurrent reads share one switch) and the previous default is restored after.

The compiled scanners allocate their buffers with the C allocator on worker threads; glibc keeps
what they free in per-thread arenas. When the last read ends, `malloc_trim` hands it back
(14 MB less peak when the caller then converts 700,000 observations with ``to_pandas``,
bench/sdmx_read.py's short series, 2026-12-03); elsewhere than glibc nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyarrow as pa

_lock = threading.Lock()
_active = 0
_previous: pa.MemoryPool | None = None
_pool: pa.MemoryPool | None = None


def _trimmer() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_malloc_trim = _trimmer()


def reader_pool() -> pa.MemoryPool:
    """jemalloc with immediate page return, or pyarrow's default pool when it has no jemalloc."""
    global _pool
    if _pool is None:
        try:
            pool = pa.jemalloc_memory_pool()
            pa.jemalloc_set_decay_ms(0)
        except NotImplementedError:  # a pyarrow build without jemalloc
            pool = pa.default_memory_pool()
        _pool = pool
    return _pool


@contextmanager
def reading() -> Iterator[None]:
    """Make `reader_pool` pyarrow's default pool for the duration of a read."""
    global _active, _previous
    with _lock:
        if _active == 0:
            _previous = pa.default_memory_pool()
            pa.set_memory_pool(reader_pool())
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _previous is not None:
                pa.set_memory_pool(_previous)
                _previous = None
            if _active == 0 and _malloc_trim is not None:
                _malloc_trim(0)
