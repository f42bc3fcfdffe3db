"""Writing to the store and reading it back: SDMX actions, messages, provenance of each write."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import dataops
from dataops.workflows.capture import TaskLog, capturing
from tests.store.fixtures import frame


def _values(df: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(f"{r.FREQ}.{r.REF_AREA}.{r.INDICATOR}", r.TIME_PERIOD): r.OBS_VALUE for r in df.itertuples()}


def test_a_written_frame_reads_back_in_read_shape(store_env):
    dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2023", 1.5), ("Q", "FR", "CPI", "2024-Q1", 2.0)]))

    df = dataops.read("STORE", "NA")

    assert list(df.columns) == [
        "FREQ",
        "REF_AREA",
        "INDICATOR",
        "TIME_PERIOD",
        "OBS_VALUE",
        "OBS_STATUS",
        "UNIT_MULT",
    ]
    assert isinstance(df["REF_AREA"].dtype, pd.CategoricalDtype) and df["OBS_VALUE"].dtype == "float64"
    assert _values(df) == {("A.DE.GDP", "2023"): 1.5, ("Q.FR.CPI", "2024-Q1"): 2.0}
    assert df.attrs["sdmx"]["source"] == "STORE" and df.attrs["sdmx"]["flow"] == "TEST:NA(1.0)"


def test_rows_given_in_any_order_land_in_their_series_and_read_back_in_order(store_env):
    from tests.store.fixtures import AREAS

    years = [str(y) for y in range(2000, 2010)]
    rows = [
        ("A", area, indicator, year, float(i))
        for i, (year, area, indicator) in enumerate(
            (y, a, ind) for y in reversed(years) for a in reversed(AREAS) for ind in ("GDP", "CPI")
        )
    ]
    dataops.write("STORE", "NA", frame(rows))
    # A later write of one series replaces only that series' rows.
    dataops.write("STORE", "NA", frame([("A", "IT", "CPI", "2005", -1.0)]))

    df = dataops.read("STORE", "NA")
    expected = {(f"A.{a}.{ind}", y): v for _, a, ind, y, v in rows}
    expected[("A.IT.CPI", "2005")] = -1.0
    assert _values(df) == expected
    keys = list(zip(df["REF_AREA"].astype(str), df["INDICATOR"].astype(str), df["TIME_PERIOD"], strict=True))
    assert keys == sorted(keys)
    by_series = dataops.read("STORE", "NA", key="A.NL.GDP")
    assert list(by_series["TIME_PERIOD"]) == years


def test_key_and_period_bounds_select_as_for_any_source(store_env):
    rows = [
        ("A", area, "GDP", str(year), float(year))
        for area in ("DE", "FR", "IT")
        for year in range(2018, 2025)
    ]
    dataops.write("STORE", "NA", frame(rows))

    df = dataops.read("STORE", "NA", "A.DE+IT.GDP", start=2020, end=2022)
    last = dataops.read("STORE", "NA", {"REF_AREA": "FR"}, last=2)

    assert sorted(_values(df)) == [(f"A.{a}.GDP", str(y)) for a in ("DE", "IT") for y in (2020, 2021, 2022)]
    assert list(last["TIME_PERIOD"]) == ["2023", "2024"]


def test_merge_updates_and_adds_observations_and_keeps_the_others(store_env):
    dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2022", 1.0), ("A", "DE", "GDP", "2023", 2.0)]))
    dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2023", 2.5), ("A", "DE", "GDP", "2024", 3.0)]))

    assert _values(dataops.read("STORE", "NA")) == {
        ("A.DE.GDP", "2022"): 1.0,
        ("A.DE.GDP", "2023"): 2.5,
        ("A.DE.GDP", "2024"): 3.0,
    }


def test_replace_replaces_the_series_present_whole_and_leaves_other_series(store_env):
    dataops.write(
        "STORE",
        "NA",
        frame(
            [
                ("A", "DE", "GDP", "2022", 1.0),
                ("A", "DE", "GDP", "2023", 2.0),
                ("A", "FR", "GDP", "2023", 9.0),
            ]
        ),
    )
    dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2024", 3.0)]), action="replace")

    assert _values(dataops.read("STORE", "NA")) == {("A.DE.GDP", "2024"): 3.0, ("A.FR.GDP", "2023"): 9.0}


def test_delete_removes_observations_and_whole_series_without_a_period(store_env):
    rows = [
        ("A", "DE", "GDP", "2022", 1.0),
        ("A", "DE", "GDP", "2023", 2.0),
        ("A", "FR", "GDP", "2023", 9.0),
        ("A", "IT", "GDP", "2023", 4.0),
    ]
    dataops.write("STORE", "NA", frame(rows))
    doomed = frame([("A", "DE", "GDP", "2022", None), ("A", "FR", "GDP", None, None)])  # type: ignore[list-item]

    dataops.write("STORE", "NA", doomed, action="delete")

    assert _values(dataops.read("STORE", "NA")) == {("A.DE.GDP", "2023"): 2.0, ("A.IT.GDP", "2023"): 4.0}


def test_sdmx_csv_20_action_column_applies_row_by_row(store_env, tmp_path: Path):
    dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2022", 1.0), ("A", "DE", "GDP", "2023", 2.0)]))
    message = tmp_path / "NA-update.csv"
    message.write_text(
        "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
        "dataflow,TEST:NA(1.0),I,A,DE,GDP,2024,3.0,A\n"
        "dataflow,TEST:NA(1.0),D,A,DE,GDP,2022,,\n"
        "dataflow,TEST:NA(1.0),A,A,FR,GDP,2024,7.0,E\n"
    )

    result = dataops.write("STORE", "NA", str(message), message="from a CSV")

    assert result.rows == 3 and result.series == 2
    assert _values(dataops.read("STORE", "NA")) == {
        ("A.DE.GDP", "2023"): 2.0,
        ("A.DE.GDP", "2024"): 3.0,
        ("A.FR.GDP", "2024"): 7.0,
    }


def test_each_write_is_one_vintage_with_who_message_origin_and_counts(store_env, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/ana/gdp.ipynb")
    dataops.write(
        "STORE",
        "NA",
        frame([("A", "DE", "GDP", "2023", 1.0), ("A", "FR", "GDP", "2023", 2.0)]),
        message="first",
    )
    with capturing(TaskLog(lambda record: None, run_id="run-7", step_version="3f2a")):
        dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2023", 1.1)]), message="revised by a step")

    vintages = dataops.vintages("STORE", "NA")

    assert list(vintages["message"]) == ["first", "revised by a step"]
    assert list(vintages["who"]) == ["ana", "ana"]
    assert vintages["origin"][0] == {"notebook": "/home/ana/gdp.ipynb"}
    assert vintages["origin"][1] == {"run_id": "run-7", "step_version": "3f2a"}
    assert list(vintages["rows_written"]) == [2, 1] and list(vintages["total_rows"]) == [2, 2]
