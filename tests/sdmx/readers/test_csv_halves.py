"""Large SDMX-CSV files read as two halves give exactly what one stream gives, errors included."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from dataops.errors import MalformedMessage
from dataops.sdmx.readers import table_metadata
from dataops.sdmx.readers.paths import Tuning, read_message

HEADER = "DATAFLOW,FREQ,CURRENCY,TIME_PERIOD,OBS_VALUE,OBS_STATUS,TITLE\n"


def _rows(n: int) -> list[str]:
    return [
        f"ECB:EXR(1.0),M,C{i // 100:03d},{2000 + i % 100}-01,{i / 7:.4f},{'E' if i % 9 else 'A'},Rate {i // 100}\n"
        for i in range(n)
    ]


def _one_stream(path: Path):
    return read_message(path, engine="pyarrow", tuning=Tuning(halves_min_size=1 << 62))


def _halves(path: Path):
    """Read with halves for files of any size (the compiled scanner, which comes first, set aside)."""
    return read_message(path, engine="pyarrow", tuning=Tuning(halves_min_size=1))


def test_two_halves_give_the_one_stream_table(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "".join(_rows(20_000)))
    table = _halves(path)
    assert table_metadata(table)["read_path"] == "pyarrow-csv-halves"
    assert table.num_rows == 20_000
    assert table.equals(_one_stream(path))
    assert table.column("CURRENCY").to_pylist()[::5000] == ["C000", "C050", "C100", "C150"]


def test_a_quoted_line_break_in_the_second_half_falls_back_to_one_stream(tmp_path) -> None:
    rows = _rows(20_000)
    rows[15_000] = 'ECB:EXR(1.0),M,C150,2000-01,1.5,A,"Rate, with a\nline break"\n'
    path = tmp_path / "quoted.csv"
    path.write_text(HEADER + "".join(rows))
    table = _halves(path)
    assert table_metadata(table)["read_path"] == "pyarrow-csv"
    assert table.num_rows == 20_000
    assert table.column("TITLE")[15_000].as_py() == "Rate, with a\nline break"
    assert table.equals(_one_stream(path))


def test_an_error_in_the_second_half_is_reported_as_one_stream_reports_it(tmp_path, caplog) -> None:
    rows = _rows(20_000)
    rows[17_000] = "ECB:EXR(1.0),M,C170,2000-01,one point five,A,Rate\n"
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "".join(rows))
    with caplog.at_level(logging.DEBUG, logger="dataops.sdmx.readers.paths"):
        with pytest.raises(MalformedMessage) as halved:
            _halves(path)
    assert "the pyarrow-csv-halves path leaves the file to the pyarrow-csv path" in caplog.text
    with pytest.raises(MalformedMessage) as single:
        _one_stream(path)
    assert str(halved.value) == str(single.value)
    assert "one point five" in str(halved.value)
