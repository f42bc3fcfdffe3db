"""`dataops.sdmx.files.select` keeps the rows of a key whatever the columns' encoding.

Tables read from files hold dimensions as dictionaries (possibly in several chunks, with nulls where
a message left a code out) or as plain strings; the rows kept must be those a row-by-row reading of
the key keeps.
"""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

from dataops.sdmx.files import select
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.model import Dimension, Structure
from dataops.sdmx.query import DataQuery, FlowRef

CODES = {"FREQ": ["A", "M", "Q"], "REF_AREA": ["DE", "FR", "IT", "LU"]}
STRUCTURE = Structure(
    "DSD",
    "TEST",
    "1.0",
    "Test",
    [Dimension("FREQ", "Frequency"), Dimension("REF_AREA", "Area")],
    "TIME_PERIOD",
    [],
)


def random_rows(rnd: random.Random, n: int) -> list[dict]:
    return [
        {
            "FREQ": rnd.choice([*CODES["FREQ"], None]),
            "REF_AREA": rnd.choice([*CODES["REF_AREA"], None]),
            "TIME_PERIOD": str(2000 + i % 20),
            "OBS_VALUE": float(i),
        }
        for i in range(n)
    ]


def as_table(rows: list[dict], encoding: str, chunks: int) -> pa.Table:
    size = max(1, -(-len(rows) // chunks))
    pieces = []
    for start in range(0, len(rows), size):
        part = pa.Table.from_pylist(rows[start : start + size])
        if encoding == "dictionary":
            for name in CODES:
                part = part.set_column(
                    part.column_names.index(name), name, part.column(name).dictionary_encode()
                )
        pieces.append(part)
    if encoding == "dictionary":  # each chunk keeps its own dictionary, as separate reads give
        return pa.concat_tables(pieces, promote_options="permissive")
    return pa.concat_tables(pieces)


@pytest.mark.parametrize("encoding", ["dictionary", "string"])
@pytest.mark.parametrize("seed", range(6))
def test_the_rows_kept_are_those_whose_codes_the_key_names(encoding, seed):
    rnd = random.Random(seed)
    rows = random_rows(rnd, rnd.randint(0, 300))
    table = as_table(rows, encoding, chunks=rnd.randint(1, 4))
    wanted = {name: rnd.sample(codes, rnd.randint(0, 2)) for name, codes in CODES.items()}
    key = SeriesKey((tuple(wanted["FREQ"]), tuple(wanted["REF_AREA"])))

    kept = select(table, STRUCTURE, DataQuery(FlowRef.parse("DF"), key)).to_pylist()

    expected = [
        r["OBS_VALUE"] for r in rows if all(not codes or r[name] in codes for name, codes in wanted.items())
    ]
    assert [r["OBS_VALUE"] for r in kept] == expected
