"""Reads run in their own Arrow memory pool and leave the caller's default pool as it was."""

from __future__ import annotations

import threading

import pyarrow as pa
import pytest

from dataops.errors import MalformedMessage
from dataops.sdmx.readers import read_data
from dataops.sdmx.readers.memory import reader_pool, reading

CSV = b"DATAFLOW,FREQ,TIME_PERIOD,OBS_VALUE\nECB:EXR(1.0),M,2024-01,1.5\nECB:EXR(1.0),M,2024-02,NaN\n"


def test_a_read_restores_the_callers_pool_even_when_it_fails() -> None:
    before = pa.default_memory_pool()
    table = read_data(CSV)
    assert pa.default_memory_pool().backend_name == before.backend_name
    assert table.column("OBS_VALUE").to_pylist() == [1.5, None]
    with pytest.raises(MalformedMessage):
        read_data(b"DATAFLOW,FREQ,TIME_PERIOD,OBS_VALUE\nECB:EXR(1.0),M,2024-01,one\n")
    assert pa.default_memory_pool().backend_name == before.backend_name


def test_the_pool_is_switched_during_a_read_and_concurrent_reads_share_the_switch() -> None:
    before = pa.default_memory_pool().backend_name
    inside = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        with reading():
            barrier.wait(timeout=10)
            inside.append(pa.default_memory_pool().backend_name)
            barrier.wait(timeout=10)  # both are inside before either leaves

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert inside == [reader_pool().backend_name] * 2
    assert pa.default_memory_pool().backend_name == before
