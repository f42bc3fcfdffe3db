"""SDMX-JSON datasets kept as columns of positions until the message's structure is known.

SDMX-JSON writes every key and attribute as a position into the value lists of the message's own
structure section, which may come before or after the data. Each series' observations are turned
into Arrow columns of positions (and float values) as soon as they are decoded, so the Python
objects of only one series are alive at a time; at the end each position column becomes a
dictionary column over the component's value ids without touching the observations one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import MalformedMessage
from dataops.sdmx.readers.runs import index_type

OBS_VALUE = "OBS_VALUE"


@dataclass
class RawDataset:
    """One dataset as read: dataset-level members, series keys and attributes, observation columns."""

    members: dict[str, Any] = field(default_factory=dict)  # action, attributes, structure, ...
    series: list[tuple[str, list[Any]]] = field(default_factory=list)  # (key, attribute positions)
    blocks: list[ObsBlock] = field(default_factory=list)


@dataclass
class ObsBlock:
    """Observations of one series (``series`` is its position in `RawDataset.series`, -1 when flat),
    or of consecutive series read by the compiled scanner (``runs``)."""

    series: int
    keys: pa.Array | None  # the observation keys as written ("0", "3:1", ...)
    values: pa.Array  # float64, or strings when the message writes values as text
    attributes: list[pa.Array]  # int32 positions, one array per observation attribute
    # Keys already split into int32 positions, one array per key part (instead of ``keys``).
    positions: list[pa.Array] | None = None
    # (series position or -1, number of observations) per run of rows (instead of ``series``).
    runs: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.values)

    def owners(self) -> tuple[np.ndarray, np.ndarray]:
        """Series positions (-1 when flat) and the number of rows of each, in row order."""
        if self.runs is not None:
            return self.runs
        return np.array([self.series], dtype=np.int32), np.array([len(self)], dtype=np.int64)

    def flat(self) -> bool:
        """Whether some rows belong to no series (a flat dataset's observations)."""
        return bool((self.owners()[0] < 0).any())


def obs_block(series: int, observations: dict[str, list[Any]], what: str) -> ObsBlock:
    """Columns of one ``observations`` object (``{"0": [value, attr1, attr2], ...}``)."""
    if not isinstance(observations, dict):
        raise MalformedMessage(f"{what} has 'observations' that are not a JSON object.")
    rows = list(observations.values())
    width = max(map(len, rows), default=1)
    values = [row[0] if row else None for row in rows]
    try:
        value_array = pa.array(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        value_array = pa.array(
            [None if v is None else v if isinstance(v, str) else repr(float(v)) for v in values], pa.string()
        )
    attributes = []
    for j in range(1, width):
        column = [row[j] if len(row) > j else None for row in rows]
        try:
            attributes.append(pa.array(column, pa.int32()))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
            # Not an int32 (true and false are Python ints, yet no position).
            bad = next(
                v for v in column if v is not None and (type(v) is not int or not -(2**31) <= v < 2**31)
            )
            raise MalformedMessage(
                f"{what} has an observation attribute {bad!r} where a value position is expected."
            ) from None
    return ObsBlock(series, pa.array(list(observations), pa.string()), value_array, attributes)


def decode_positions(component: dict[str, Any], positions: pa.Array, what: str, value_of: Any) -> pa.Array:
    """Positions into a component's values → its ids (a dictionary column where the ids are distinct)."""
    count = len(component.get("values") or [])
    if positions.null_count < len(positions):
        low, high = pc.min_max(positions).values()
        if low.as_py() < 0 or high.as_py() >= count:
            bad = high.as_py() if high.as_py() >= count else low.as_py()
            raise MalformedMessage(
                f"{what} refers to value {bad!r} of {component.get('id')}, which has only {count} values."
            )
    ids = [value_of(component, i, what) for i in range(count)]
    dictionary = pa.array(ids, pa.string())
    if None in ids or len(set(ids)) != len(ids):
        return dictionary.take(positions.cast(pa.int32()))
    # The narrowest indices right away: the table keeps them (see `table.index_type`).
    return pa.DictionaryArray.from_arrays(positions.cast(index_type(count)), dictionary)


def block_positions(block: ObsBlock, n_dims: int, what: str) -> list[pa.Array]:
    """A block's observation keys as one int32 position column per observation dimension."""
    if block.positions is None:
        assert block.keys is not None
        return key_positions(block.keys, n_dims, what)
    if len(block.positions) == n_dims:
        return block.positions
    # Every key of the block has this many parts, so the first one is the first that does not fit.
    first = ":".join(str(p[0].as_py()) for p in block.positions)
    if n_dims == 0:
        raise MalformedMessage(f"{what} has observation keys, but its structure has no such dimensions.")
    raise MalformedMessage(f"{what} has key {first!r}, but its structure has {n_dims} such dimensions.")


def key_positions(keys: pa.Array, n_dims: int, what: str) -> list[pa.Array]:
    """Observation keys ("3" or "0:2:1") → one int32 position column per observation dimension."""
    if n_dims == 0:
        if len(keys) and pc.any(pc.not_equal(keys, "")).as_py():
            raise MalformedMessage(f"{what} has observation keys, but its structure has no such dimensions.")
        return []
    if n_dims == 1:
        try:
            return [keys.cast(pa.int32())]
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    else:
        parts = pc.split_pattern(keys, ":")
        if pc.all(pc.equal(pc.list_value_length(parts), n_dims)).as_py():
            try:
                flat = np.asarray(pc.list_flatten(parts).cast(pa.int32())).reshape(-1, n_dims)
                return [pa.array(flat[:, p]) for p in range(n_dims)]
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
    bad = next(k for k in keys.to_pylist() if not _fits(k, n_dims))
    raise MalformedMessage(f"{what} has key {bad!r}, but its structure has {n_dims} such dimensions.")


def _fits(key: str, n_dims: int) -> bool:
    """Whether a key is ``n_dims`` positions that the cast above reads (the error path only)."""
    parts = key.split(":")
    if len(parts) != n_dims:
        return False
    try:
        pa.array(parts, pa.string()).cast(pa.int32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True
