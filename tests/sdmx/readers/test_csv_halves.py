"""Large SDMX-CSV files read as two halves give exactly what one stream gives, errors included."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataops.errors import MalformedMessage
from dataops.sdmx.readers import csv_halves, read_data

HEADER = "DATAFLOW,FREQ,CURRENCY,TIME_PERIOD,OBS_VALUE,OBS_STATUS,TITLE\n"


def _rows(n: int) -> list[str]:
    return [
        f"ECB:EXR(1.0),M,C{i // 100:03d},{2000 + i % 100}-01,{i / 7:.4f},{'E' if i % 9 else 'A'},Rate {i // 100}\n"
        for i in range(n)
    ]


def _one_stream(path: Path, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as m:
        m.setattr(csv_halves, "MIN_SIZE", 1 << 62)
        return read_data(path)


@pytest.fixture
def halves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Halves for files of any size (the compiled scanner, which comes first, set aside); records how many
    halved reads succeeded."""
    from dataops.sdmx.readers import csv_native

    monkeypatch.setattr(csv_native, "dataops_native", None)
    monkeypatch.setattr(csv_halves, "MIN_SIZE", 1)
    done: list[int] = []
    original = csv_halves.read_halves

    def counting(path, read):
        result = original(path, read)
        done.append(result is not None)
        return result

    monkeypatch.setattr("dataops.sdmx.readers.csv_data.read_halves", counting)
    return done


def test_two_halves_give_the_one_stream_table(tmp_path: Path, halves, monkeypatch) -> None:
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "".join(_rows(20_000)))
    table = read_data(path)
    assert halves == [True]
    assert table.num_rows == 20_000
    assert table.equals(_one_stream(path, monkeypatch))
    assert table.column("CURRENCY").to_pylist()[::5000] == ["C000", "C050", "C100", "C150"]


def test_a_quoted_line_break_in_the_second_half_falls_back_to_one_stream(
    tmp_path, halves, monkeypatch
) -> None:
    rows = _rows(20_000)
    rows[15_000] = 'ECB:EXR(1.0),M,C150,2000-01,1.5,A,"Rate, with a\nline break"\n'
    path = tmp_path / "quoted.csv"
    path.write_text(HEADER + "".join(rows))
    table = read_data(path)
    assert halves == [False]
    assert table.num_rows == 20_000
    assert table.column("TITLE")[15_000].as_py() == "Rate, with a\nline break"
    assert table.equals(_one_stream(path, monkeypatch))


def test_an_error_in_the_second_half_is_reported_as_one_stream_reports_it(
    tmp_path, halves, monkeypatch
) -> None:
    rows = _rows(20_000)
    rows[17_000] = "ECB:EXR(1.0),M,C170,2000-01,one point five,A,Rate\n"
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "".join(rows))
    with pytest.raises(MalformedMessage) as halved:
        read_data(path)
    assert halves == [False]
    with pytest.raises(MalformedMessage) as single:
        _one_stream(path, monkeypatch)
    assert str(halved.value) == str(single.value)
    assert "one point five" in str(halved.value)
