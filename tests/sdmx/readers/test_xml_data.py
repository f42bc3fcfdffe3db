"""SDMX-ML data messages from real providers and the SDMX TWG samples, read into Arrow."""

from __future__ import annotations

import pandas as pd
import pytest

from dataops.errors import TooLarge
from dataops.sdmx.readers import read_data, read_structure, table_metadata


def test_ecb_generic_series_has_252_monthly_observations_with_attributes(samples):
    table = read_data(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml")
    df = table.to_pandas()
    assert len(df) == 252
    assert list(df.columns[:7]) == [
        "FREQ",
        "CURRENCY",
        "CURRENCY_DENOM",
        "EXR_TYPE",
        "EXR_SUFFIX",
        "TIME_PERIOD",
        "OBS_VALUE",
    ]
    assert df["TIME_PERIOD"].iloc[0] == "1999-01" and df["TIME_PERIOD"].iloc[-1] == "2019-12"
    assert df["OBS_VALUE"].iloc[0] == pytest.approx(1.16078)
    assert df["OBS_VALUE"].dtype == "float64"
    assert isinstance(df["CURRENCY"].dtype, pd.CategoricalDtype)
    assert set(df["TITLE"]) == {"US dollar/Euro"}
    assert set(df["OBS_STATUS"]) <= {"A", "E", "P"}
    assert table_metadata(table)["structure_id"] == "ECB:ECB_EXR1(1.0)"


@pytest.mark.parametrize("name", ["ng-ts-gf", "ng-xs", "ng-flat"])
def test_generic_and_structure_specific_layouts_give_the_same_twelve_observations(samples, name):
    dsd = read_structure(samples / "ECB_EXR/ng-structure-full.xml").structures[0]
    generic = read_data(samples / f"ECB_EXR/{name}.xml", dsd).to_pandas()
    specific = read_data(samples / f"ECB_EXR/{name}-ss.xml", dsd).to_pandas()
    assert len(generic) == len(specific) == 12
    assert list(generic.columns) == list(specific.columns)
    assert list(generic.columns[:7]) == [
        "FREQ",
        "CURRENCY",
        "CURRENCY_DENOM",
        "EXR_TYPE",
        "EXR_VAR",
        "TIME_PERIOD",
        "OBS_VALUE",
    ]
    key = ["CURRENCY", "TIME_PERIOD"]
    left = generic.astype(str).sort_values(key).reset_index(drop=True)
    right = specific.astype(str).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)


def test_sdmx_ml_3_structure_specific_has_116_observations(samples):
    dsd = read_structure(samples / "v3/xml/ECB_EXR1.xml").structures[0]
    df = read_data(samples / "v3/xml/ECB_EXR0.xml", dsd).to_pandas()
    assert len(df) == 116
    assert list(df.columns[:7]) == [
        "FREQ",
        "CURRENCY",
        "CURRENCY_DENOM",
        "EXR_TYPE",
        "EXR_SUFFIX",
        "TIME_PERIOD",
        "OBS_VALUE",
    ]
    assert set(df["CURRENCY"]) == {"CAD", "CHF", "LTL"}
    assert df.groupby("CURRENCY", observed=True).size().sum() == 116
    # attributes follow in DSD order: TIME_FORMAT comes before OBS_STATUS in ECB_EXR
    assert list(df.columns).index("TIME_FORMAT") < list(df.columns).index("OBS_STATUS")


def test_eurostat_structure_specific_with_lower_case_dimensions(samples):
    df = read_data(samples / "ESTAT/NAMA_10_GDP-ss.xml").to_pandas()
    assert list(df.columns) == ["geo", "na_item", "unit", "freq", "TIME_PERIOD", "OBS_VALUE"]
    assert list(df["TIME_PERIOD"]) == ["2012", "2013", "2014", "2015"]
    assert df["OBS_VALUE"].tolist() == [46526.2, 49094.5, 51791.3, 54142.3]


def test_eurostat_footer_with_code_413_is_too_large_and_names_the_download_url(samples):
    with pytest.raises(TooLarge) as err:
        read_data(samples / "ESTAT/footer.xml")
    assert "http://ec.europa.eu/eurostat/SDMX/diss-web/file/wHsvjs7hQCy7Dqf4" in str(err.value)


def test_structure_specific_2_1_then_3_0_in_one_process_both_read(samples):
    # sdmx1 fails on this sequence (state leaks between reads); ours must not.
    first = read_data(samples / "ESTAT/NAMA_10_GDP-ss.xml")
    second = read_data(samples / "v3/xml/ECB_EXR0.xml")
    third = read_data(samples / "ECB_EXR/ng-xs-ss.xml")
    assert (first.num_rows, second.num_rows, third.num_rows) == (4, 116, 12)
    assert "geo" not in second.column_names and "geo" in first.column_names


def test_reads_from_bytes_file_objects_and_chunk_iterators_alike(samples):
    path = samples / "ECB_EXR/ng-ts-gf-ss.xml"
    data = path.read_bytes()
    chunks = (data[i : i + 97] for i in range(0, len(data), 97))
    with path.open("rb") as fh:
        tables = [read_data(path), read_data(data), read_data(fh), read_data(chunks)]
    assert all(t.equals(tables[0]) for t in tables)
