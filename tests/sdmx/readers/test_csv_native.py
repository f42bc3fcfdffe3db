"""SDMX-CSV files read by the compiled row scanner equal what pyarrow's reader makes of them."""

from __future__ import annotations

import random

import pytest

from dataops.errors import MalformedMessage
from dataops.sdmx.readers import csv_native, read_data, table_metadata
from dataops.sdmx.readers.paths import Tuning, read_message

pytestmark = pytest.mark.timeout(120)

HEADER = "DATAFLOW,FREQ,CURRENCY,TIME_PERIOD,OBS_VALUE,OBS_STATUS,TITLE\n"


HEADER_20 = HEADER.replace("DATAFLOW,", "STRUCTURE,STRUCTURE_ID,ACTION,")


def _file(rnd: random.Random, sep: str = ",", decimal: str = ".", version: str = "1.0") -> str:
    lines = [(HEADER if version == "1.0" else HEADER_20).replace(",", sep)]
    for s in range(rnd.randint(1, 8)):
        cur, title = f"C{s:02d}", rnd.choice(["Euro/dollar", "", "ünïcödé rate", "a/b"])
        for o in range(rnd.randint(1, 60)):
            value = rnd.choice(["1.5", "-2", "1e3", "NaN", "", "12345.678", "0.25"])
            status = rnd.choice(["A", "E", "", "A"])
            row = ["ECB:EXR(1.0)", "M", cur, f"2024-{o:03d}", value.replace(".", decimal), status, title]
            if version == "2.0":
                row = ["dataflow", "ECB:EXR(1.0)", rnd.choice(["I", "I", "R", ""]), *row[1:]]
            lines.append(sep.join(row) + rnd.choice(["\n", "\n", "\r\n"]))
        if rnd.random() < 0.2:
            lines.append("\n")
    return "".join(lines)


def _both(path, tuning=None):
    fast = read_message(path, engine="native", tuning=tuning)
    slow = read_message(path, engine="pyarrow", tuning=tuning)
    return fast, slow


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("seed", range(12))
def test_random_files_read_as_pyarrow_reads_them(seed, version, tmp_path):
    tuning = Tuning(csv_block=random.Random(seed).randint(50, 4000))  # many blocks
    rnd = random.Random(seed)
    sep, decimal = (";", ",") if seed % 3 == 0 else (",", ".")
    path = tmp_path / "data.csv"
    path.write_text(_file(rnd, sep, decimal, version), encoding="utf-8")
    fast, slow = _both(path, tuning)
    assert table_metadata(fast)["read_path"] == "native-csv", "the compiled scanner was not used"
    assert fast.equals(slow)
    df = fast.to_pandas()
    assert str(df["CURRENCY"].dtype) == "category" and df["OBS_VALUE"].dtype == "float64"


def test_a_quoted_value_is_left_to_pyarrow_and_read_right(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(
        HEADER + 'ECB:EXR(1.0),M,USD,2024-01,1.5,A,"Dollar, US"\nECB:EXR(1.0),M,USD,2024-02,2,A,x\n'
    )
    assert csv_native.read_native(path, [f"c{i}" for i in range(7)], {}, ",") is None
    fast, slow = _both(path)
    assert fast.equals(slow)
    assert fast.to_pandas()["TITLE"].tolist() == ["Dollar, US", "x"]


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ("ECB:EXR(1.0),M,USD,2024-02,abc,A,x", "not a number: 'abc'"),
        ("ECB:EXR(1.0),M,USD,2024-02,2,A", "columns"),
        ("ECB:EXR(1.0),M,USD,2024-02,2,A,x,extra", "columns"),
    ],
)
def test_bad_rows_get_the_same_error_as_without_the_scanner(row, match, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "ECB:EXR(1.0),M,USD,2024-01,1.5,A,x\n" + row + "\n")
    with pytest.raises(MalformedMessage, match=match) as fast:
        read_data(path)
    with pytest.raises(MalformedMessage) as slow:
        read_data(path, engine="pyarrow")
    assert str(fast.value) == str(slow.value)
