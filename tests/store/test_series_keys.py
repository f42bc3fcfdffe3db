"""Every stored row carries its series key, the codes joined by ``.``, whatever the codes' number."""

from __future__ import annotations

import pyarrow as pa

from dataops.sdmx.model import Dimension, Structure
from dataops.store.layout import series_keys
from tests.store.fixtures import codes


def _structure(dims: int) -> Structure:
    ids = [f"D{i}" for i in range(dims)]
    return Structure(
        "S", "TEST", "1.0", "S", [Dimension(d, d, codes([]), i) for i, d in enumerate(ids)], None, []
    )


def test_series_keys_join_the_codes_of_each_row_in_any_order():
    table = pa.table({"D0": ["A", "B", "A", "A"], "D1": ["x", "y", "x", "z"]})

    assert series_keys(table, _structure(2)).to_pylist() == ["A.x", "B.y", "A.x", "A.z"]


def test_series_keys_of_many_dimensions_with_many_codes_each_are_joined_alike():
    # 1,000 codes in each of seven dimensions: more combinations than a 64-bit number counts.
    rows = 1000
    table = pa.table({f"D{i}": [f"C{(r * (i + 1)) % rows}" for r in range(rows)] for i in range(7)})

    keys = series_keys(table, _structure(7)).to_pylist()

    assert keys[3] == "C3.C6.C9.C12.C15.C18.C21" and len(keys) == rows
