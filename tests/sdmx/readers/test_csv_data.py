"""SDMX-CSV 1.0, 2.0 (with its variations) and ECB csvdata."""

from __future__ import annotations

import pandas as pd
import pytest

from dataops.sdmx.readers import read_data, read_structure, table_metadata


def test_semicolon_labels_both_and_decimal_comma_read_as_ids_and_numbers(samples):
    df = read_data(samples / "v3/csv/example-04.csv").to_pandas()
    assert list(df.columns) == ["DIM_1", "DIM_2", "DIM_3", "OBS_VALUE", "ATTR_2", "ATTR_3", "ATTR_1"]
    assert list(df["DIM_1"]) == ["A", "A"] and list(df["DIM_3"]) == ["2014-01", "2014-02"]
    assert list(df["OBS_VALUE"]) == [12.4, 10.8]
    assert list(df["ATTR_1"]) == ["N", "Y"]
    # an uncoded attribute containing a comma is kept whole
    assert set(df["ATTR_3"]) == {"Normal, special and other values"}


def test_label_columns_are_dropped_and_quoted_commas_kept(samples):
    plain = read_data(samples / "v3/csv/example-01.csv").to_pandas()
    labelled = read_data(samples / "v3/csv/example-06.csv").to_pandas()
    assert "Dimension 1" not in labelled.columns
    assert list(labelled["OBS_VALUE"]) == list(plain["OBS_VALUE"]) == [12.4, 10.8]
    assert (
        table_metadata(read_data(samples / "v3/csv/example-06.csv"))["structure_id"] == "ESTAT:NA_MAIN(1.6.0)"
    )


def test_csv_1_0_and_2_0_and_generic_xml_hold_the_same_252_observations(samples):
    dsd = read_structure(samples / "ECB_EXR/1/structure-full.xml").structures[0]
    v1 = read_data(samples / "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-1.0.csv", dsd).to_pandas()
    v2 = read_data(samples / "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-2.0.csv", dsd).to_pandas()
    xml = read_data(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", dsd).to_pandas()
    pd.testing.assert_frame_equal(v1, v2)
    assert list(v1.columns[:7]) == list(xml.columns[:7])
    assert v1["OBS_VALUE"].tolist() == pytest.approx(xml["OBS_VALUE"].tolist())
    assert v1["TITLE_COMPL"].iloc[0] == xml["TITLE_COMPL"].iloc[0]


def test_ecb_csvdata_key_column_becomes_the_flow(tmp_path):
    path = tmp_path / "exr.csv"
    path.write_text(
        "KEY,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE,OBS_STATUS,TITLE\n"
        "EXR.D.USD.EUR.SP00.A,D,USD,EUR,SP00,A,2024-01-02,1.0956,A,US dollar/Euro\n"
        "EXR.D.USD.EUR.SP00.A,D,USD,EUR,SP00,A,2024-01-03,,A,US dollar/Euro\n"
        "EXR.D.JPY.EUR.SP00.A,D,JPY,EUR,SP00,A,2024-01-02,155.45,A,Japanese yen/Euro\n"
    )
    table = read_data(path)
    df = table.to_pandas()
    assert list(df.columns) == [
        "FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX", "TIME_PERIOD", "OBS_VALUE",
        "OBS_STATUS", "TITLE",
    ]  # fmt: skip
    assert df["OBS_VALUE"].isna().tolist() == [False, True, False]
    assert isinstance(df["CURRENCY"].dtype, pd.CategoricalDtype)
    assert table_metadata(table)["format"] == "ecb-csvdata"


def test_csv_from_a_byte_stream_equals_csv_from_a_file(samples):
    path = samples / "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-1.0.csv"
    data = path.read_bytes()
    streamed = read_data(iter([data[i : i + 1000] for i in range(0, len(data), 1000)]))
    assert streamed.equals(read_data(path))


def test_missing_value_markers_are_nan_but_stay_text_in_attributes(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "DATAFLOW,FREQ,TIME_PERIOD,OBS_VALUE,OBS_STATUS,COMMENT\n"
        "ECB:EXR(1.0),M,2024-01,NaN,NA,\n"
        "ECB:EXR(1.0),M,2024-02,N/A,A,note\n"
        "ECB:EXR(1.0),M,2024-03,,,\n"
        "ECB:EXR(1.0),M,2024-04,1.5e2,A,x\n"
    )
    df = read_data(path).to_pandas()
    assert df["OBS_VALUE"].isna().tolist() == [True, True, True, False]
    assert df["OBS_VALUE"].iloc[3] == 150.0
    assert df["OBS_STATUS"].iloc[0] == "NA" and pd.isna(df["OBS_STATUS"].iloc[2])
    assert df["COMMENT"].isna().tolist() == [True, False, True, False]
    assert table_metadata(read_data(path))["structure_id"] == "ECB:EXR(1.0)"
    assert read_data(iter([path.read_bytes()])).equals(read_data(path))


def test_an_observation_value_that_is_no_number_names_the_value(tmp_path):
    from dataops.errors import MalformedMessage

    path = tmp_path / "bad.csv"
    path.write_text(
        "DATAFLOW,FREQ,TIME_PERIOD,OBS_VALUE\nECB:EXR(1.0),M,2024-01,1\nECB:EXR(1.0),M,2024-02,abc\n"
    )
    with pytest.raises(MalformedMessage, match="abc"):
        read_data(path)
