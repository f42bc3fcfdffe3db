"""The ``series`` and flat ``observations`` objects of an SDMX-JSON dataset, read with Python's `json`.

`PlainObservations` is how the plain path (``json``) reads them; the compiled path
(``native-json``, `json_native`) reads them itself and hands each series or slice it leaves
aside to `read_series` and `read_flat_slice`, so both paths read everything unusual alike.
"""

from __future__ import annotations

from typing import Any

from dataops.sdmx.readers.json_columns import RawDataset, obs_block
from dataops.sdmx.readers.json_stream import JsonStream

FLAT_SLICE = 50_000  # observations of a flat dataset decoded at a time


def read_series(stream: JsonStream, ds: RawDataset, series_key: str) -> None:
    """The value of one member of a ``series`` object (the stream is just after its ``:``)."""
    attributes: list[Any] = []
    position = len(ds.series)
    for member in stream.members():
        if member == "observations":
            ds.blocks.append(obs_block(position, stream.value() or {}, stream.what))
        elif member == "attributes":
            attributes = stream.value() or []
        else:
            stream.value()
    ds.series.append((series_key, attributes))


def read_flat_slice(
    stream: JsonStream, ds: RawDataset, first: bool, size: int = FLAT_SLICE
) -> tuple[bool, bool]:
    """Up to ``size`` members of a flat dataset's ``observations`` object into one block.

    ``first``: no member read yet since its ``{``. Returns (first, whether the object closed).
    """
    pending: dict[str, Any] = {}
    closed = False
    while len(pending) < size:
        key = stream.next_member(first)
        if key is None:
            closed = True
            break
        first = False
        pending[key] = stream.value()
    if pending or closed:
        ds.blocks.append(obs_block(-1, pending, stream.what))
    return first, closed


class PlainObservations:
    """Reads ``series`` and flat ``observations`` objects member by member with `json` (the plain path)."""

    def __init__(self, flat_slice: int = FLAT_SLICE) -> None:
        self._flat_slice = flat_slice

    def series(self, stream: JsonStream, ds: RawDataset) -> None:
        """A dataset's ``series`` object (the stream is at its ``{``)."""
        for series_key in stream.members():
            read_series(stream, ds, series_key)

    def flat(self, stream: JsonStream, ds: RawDataset) -> None:
        """A flat dataset's ``observations`` object (the stream is at its ``{``), in slices, so a
        huge one never sits in Python whole."""
        stream.take("{")
        first, closed = True, False
        while not closed:
            first, closed = read_flat_slice(stream, ds, first, self._flat_slice)
