"""Period bounds, first/last N, updatedAfter and series keys only: the rows `dataops.read` returns.

The local provider applies each query to the real sample messages as a provider would, so these
tests pin down what a statistician gets back, not only the URL that was sent.
"""

from __future__ import annotations

import shutil

import pytest

import dataops
from dataops.errors import NoData

USD = "M.USD.EUR.SP00.A"  # monthly, 1999-01 .. 2019-12 (252 observations)


def test_start_and_end_keep_the_periods_in_between(sdmx_config):
    df = dataops.read("LOCAL_ECB", "EXR", key=USD, start="2018-07", end="2019-06")
    assert df.TIME_PERIOD.tolist() == [f"2018-{m:02d}" for m in range(7, 13)] + [
        f"2019-{m:02d}" for m in range(1, 7)
    ]
    assert df.OBS_VALUE.notna().all()


def test_a_quarter_or_a_year_as_bound_covers_its_months(sdmx_config):
    quarter = dataops.read("LOCAL_ECB", "EXR", key=USD, start="2019-Q3")
    assert quarter.TIME_PERIOD.tolist() == ["2019-07", "2019-08", "2019-09", "2019-10", "2019-11", "2019-12"]
    year = dataops.read("LOCAL_ECB", "EXR", key=USD, start=2017, end=2017)
    assert year.TIME_PERIOD.tolist() == [f"2017-{m:02d}" for m in range(1, 13)]


def test_last_n_keeps_the_latest_observations(sdmx_config):
    df = dataops.read("LOCAL_ECB", "EXR", key=USD, last=3)
    assert df.TIME_PERIOD.tolist() == ["2019-10", "2019-11", "2019-12"]


def test_first_n_keeps_the_earliest_observations(sdmx_config):
    df = dataops.read("LOCAL_ECB", "EXR", key=USD, first=2)
    assert df.TIME_PERIOD.tolist() == ["1999-01", "1999-02"]
    assert df.OBS_VALUE.iloc[0] == pytest.approx(1.16078)


def test_period_after_the_last_observation_is_no_data(sdmx_config):
    with pytest.raises(NoData, match="has no data for this query"):
        dataops.read("LOCAL_ECB", "EXR", key=USD, start="2020-01")


def test_updated_after_the_last_change_is_no_data(sdmx_config):
    assert len(dataops.read("LOCAL_ECB", "EXR", key=USD, updated_after="2019-06-01T00:00:00")) == 252
    with pytest.raises(NoData):
        dataops.read("LOCAL_ECB", "EXR", key=USD, updated_after="2021-01-01T00:00:00")


def test_series_keys_only_gives_one_row_per_series(sdmx_config, fake_provider):
    df = dataops.read("LOCAL_ECB", "EXR", key=USD, series_keys_only=True)
    assert df.to_dict("records") == [
        {"FREQ": "M", "CURRENCY": "USD", "CURRENCY_DENOM": "EUR", "EXR_TYPE": "SP00", "EXR_SUFFIX": "A"}
    ]
    path, headers = next((p, h) for p, h in fake_provider.requests if "/data/" in p)
    assert path.endswith("?detail=serieskeysonly") and headers["Accept"].startswith(
        "application/vnd.sdmx.structurespecificdata+xml"
    )


def test_rest_2_last_n_and_series_keys_only_on_sdmx_ml_3(sdmx_config):
    df = dataops.read("LOCAL_V2", "EXR", key="A.CHF+LTL.EUR.SP00.A", last=2)
    by_series = df.groupby("CURRENCY", observed=True).TIME_PERIOD.apply(list).to_dict()
    assert by_series == {"CHF": ["2018", "2019"], "LTL": ["2013", "2014"]}
    keys = dataops.read("LOCAL_V2", "EXR", key="A..EUR.SP00.", series_keys_only=True)
    assert sorted(zip(keys.CURRENCY, keys.EXR_SUFFIX, strict=True)) == [
        (c, s) for c in ("CAD", "CHF", "LTL") for s in "AE"
    ]


def test_rest_2_period_bounds_on_sdmx_ml_3(sdmx_config):
    df = dataops.read("LOCAL_V2", "EXR", key="A.CAD.EUR.SP00.A", start="2010", end="2012")
    assert df.TIME_PERIOD.tolist() == ["2010", "2011", "2012"]


def _csv_rows(freq: str, periods: list[str]) -> list[str]:
    return [f"ECB:EXR(1.0),{freq},USD,EUR,SP00,A,{p},{1 + i / 100:.2f}" for i, p in enumerate(periods)]


@pytest.fixture
def mixed_frequencies(dataops_config, shared_dir, tmp_path):
    """A files source: the real EXR structure and one SDMX-CSV message with Q, M and W series."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(shared_dir / "sdmx-samples/ECB_EXR/1/structure-full.xml", folder / "structure.xml")
    lines = ["DATAFLOW,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE"]
    lines += _csv_rows("Q", ["2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4", "2020-Q1", "2020-Q2", "2020-Q3"])
    lines += _csv_rows("M", ["2019-12", "2020-01", "2020-02", "2020-06", "2020-07"])
    lines += _csv_rows("W", ["2019-W52", "2020-W01", "2020-W02", "2020-W27"])
    (folder / "EXR.csv").write_text("\n".join(lines) + "\n")
    dataops_config.write_text(f'[[sources]]\nid = "MIXED"\nname = "Mixed"\nurl = "{folder}"\napi = "files"\n')
    return folder


def test_bounds_compare_periods_as_dates_across_frequencies(mixed_frequencies):
    df = dataops.read("MIXED", "EXR", start="2020-01", end="2020-06")
    kept = df.groupby("FREQ", observed=True).TIME_PERIOD.apply(list).to_dict()
    # 2020-W01 starts on Monday 2019-12-30 and 2020-W27 ends in July: both lie outside.
    assert kept == {
        "Q": ["2020-Q1", "2020-Q2"],
        "M": ["2020-01", "2020-02", "2020-06"],
        "W": ["2020-W02"],
    }


def test_last_n_orders_periods_chronologically_in_files(mixed_frequencies):
    df = dataops.read("MIXED", "EXR", key="W.USD.EUR.SP00.A", last=2)
    assert df.TIME_PERIOD.tolist() == ["2020-W02", "2020-W27"]


def test_series_keys_only_in_files(mixed_frequencies):
    df = dataops.read("MIXED", "EXR", series_keys_only=True)
    assert sorted(df.FREQ.astype(str)) == ["M", "Q", "W"] and list(df.columns)[:2] == ["FREQ", "CURRENCY"]
