"""SDMX-JSON observations read by the compiled scanner (``native/src/json_scan.rs``): the ``native-json`` path.

The outer levels of the message are walked by `JsonStream` as on the plain path; the ``series``
object and a flat dataset's ``observations`` object are read by the scanner straight from the
stream's text into columns, with no Python object per observation. The scanner reads series
by series (a flat object in slices of `FLAT_SLICE`, as the plain path does) and keeps a series or
slice whole or not at all: what it does not read (text values, escapes, a duplicate key, keys of
another length, anything `json` would refuse...) it leaves where it is, and that one series or
slice is read by the plain path's `read_series` or `read_flat_slice`. Blocks keep the order of
the message, so both paths build the same table.
"""

from __future__ import annotations

import logging

import numpy as np
import pyarrow as pa

from dataops.sdmx.readers.json_columns import ObsBlock, RawDataset
from dataops.sdmx.readers.json_observations import FLAT_SLICE, read_flat_slice, read_series
from dataops.sdmx.readers.json_stream import JsonStream
from dataops.sdmx.readers.native_columns import dataops_native

log = logging.getLogger(__name__)


def json_scanner_installed() -> bool:
    """Whether the installed compiled module has the JSON scanner (modules built before it do not)."""
    return hasattr(dataops_native, "JsonObsScanner")


class NativeObservations:
    """Reads ``series`` and flat ``observations`` objects with the compiled scanner."""

    def __init__(self, flat_slice: int = FLAT_SLICE) -> None:
        self._scanner = dataops_native.JsonObsScanner()
        self._flat_slice = flat_slice

    def series(self, stream: JsonStream, ds: RawDataset) -> None:
        """A dataset's ``series`` object (the stream is at its ``{``)."""
        stream.take("{")
        first, left = True, 0
        while True:
            status, pos, first, found = self._scanner.scan_series(
                stream.text, stream.pos, stream.generation, stream.text.isascii(), first, len(ds.series)
            )
            stream.pos = pos
            ds.series.extend(found)
            if status == "done":
                break
            if status == "more" and stream.more():
                continue
            # The next series is the plain reader's (or the text ended: it words the error).
            self._flush(ds)
            key = stream.next_member(first)
            if key is None:
                break
            read_series(stream, ds, key)
            first, left = False, left + 1
        self._flush(ds)
        if left:
            log.debug("%s: %d series left to the plain reader", stream.what, left)

    def flat(self, stream: JsonStream, ds: RawDataset) -> None:
        """A flat dataset's ``observations`` object (the stream is at its ``{``), slice by slice."""
        stream.take("{")
        first, left = True, 0
        blocks = len(ds.blocks)
        while True:
            status, pos, first = self._scanner.scan_flat(
                stream.text, stream.pos, stream.generation, stream.text.isascii(), first, self._flat_slice
            )
            stream.pos = pos
            if status == "done":
                break
            if status == "full" or (status == "more" and stream.more()):
                continue
            self._flush(ds)
            first, closed = read_flat_slice(stream, ds, first, self._flat_slice)
            left += 1
            if closed:
                break
        self._flush(ds)
        if left:
            log.debug("%s: %d slices of flat observations left to the plain reader", stream.what, left)
        if len(ds.blocks) == blocks:  # an empty object: the dataset still has its flat rows' series
            ds.blocks.append(_empty_flat_block())

    def _flush(self, ds: RawDataset) -> None:
        """The observations the scanner holds become the dataset's next block."""
        if self._scanner.rows():
            ds.blocks.append(_block(self._scanner.take()))


def _block(columns: dict) -> ObsBlock:
    n = columns["rows"]
    positions = [pa.Array.from_buffers(pa.int32(), n, [None, pa.py_buffer(k)]) for k in columns["keys"]]
    validity = columns["value_validity"]
    values = pa.Array.from_buffers(
        pa.float64(),
        n,
        [None if validity is None else pa.py_buffer(validity), pa.py_buffer(columns["values"])],
        columns["value_nulls"],
    )
    attributes = [
        pa.Array.from_buffers(
            pa.int32(), n, [None if bits is None else pa.py_buffer(bits), pa.py_buffer(data)], nulls
        )
        for data, bits, nulls in columns["attributes"]
    ]
    runs = (np.frombuffer(columns["run_owners"], np.int32), np.frombuffer(columns["run_counts"], np.int64))
    return ObsBlock(-1, None, values, attributes, positions=positions, runs=runs)


def _empty_flat_block() -> ObsBlock:
    return ObsBlock(-1, pa.array([], pa.string()), pa.array([], pa.float64()), [])
