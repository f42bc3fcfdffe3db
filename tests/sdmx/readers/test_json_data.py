"""SDMX-JSON 1.0 and 2.0 data and structure messages."""

from __future__ import annotations

import json

import pytest

from dataops.errors import MalformedMessage, NoData, ProviderQuirk, RemoteError
from dataops.sdmx.readers import read_data, read_structure, table_metadata


def test_json_2_0_series_message_with_dataset_attribute_default(samples):
    table = read_data(samples / "v3/json/data/exr-time-series.json")
    df = table.to_pandas()
    assert list(df.columns) == [
        "FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX", "TIME_PERIOD", "OBS_VALUE",
        "TIME_FORMAT", "TITLE", "OBS_STATUS",
    ]  # fmt: skip
    assert df["OBS_VALUE"].tolist() == [1.5931, 1.5925, 40.3426, 40.3]
    assert set(df["TIME_FORMAT"]) == {"P1D"}
    assert table_metadata(table)["structure_id"] == "ECB:ECB_EXR1(1.0)"


def test_json_1_0_series_and_flat_layouts_agree(samples):
    ts = read_data(samples / "ECB_EXR/ts.json").to_pandas()
    flat = read_data(samples / "ECB_EXR/flat.json").to_pandas()
    assert ts.astype(str).equals(flat.astype(str))


def test_json_2_0_structure_message_resolves_codes(samples):
    msg = read_structure(samples / "v3/json/structure/constructed-sample.json")
    (dsd,) = msg.structures
    assert [d.id for d in dsd.dimensions] == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
    assert dsd.dimension("FREQ").codes["id"].tolist() == msg.codelists["CL_FREQ"]["id"].tolist()
    assert {a.id: a.level for a in dsd.attributes} == {"TIME_FORMAT": "series", "OBS_CONF": "observation"}
    assert [(f.id, f.structure_id) for f in msg.dataflows] == [("EXR", "ECB_EXR1")]


def test_json_errors_section_becomes_the_providers_sentence():
    body = b'{"meta": {}, "errors": [{"code": 500, "title": "Database unavailable, try later"}]}'
    with pytest.raises(RemoteError, match="Database unavailable"):
        read_data(body)
    with pytest.raises(NoData, match="No results"):
        read_data(b'{"errors": [{"code": 100, "title": "No results found"}]}')


def _chunks(data: bytes, size: int):
    return iter([data[i : i + size] for i in range(0, len(data), size)])


def test_json_read_in_small_chunks_and_with_structure_last_equals_the_file(samples):
    import json

    for name in ["ECB_EXR/ts.json", "ECB_EXR/flat.json", "v3/json/data/exr-time-series.json"]:
        path = samples / name
        whole = read_data(path)
        for size in [1, 7, 100]:
            assert read_data(_chunks(path.read_bytes(), size)).equals(whole), (name, size)
        doc = json.loads(path.read_bytes())
        reordered = {k: doc[k] for k in sorted(doc, key=lambda k: k not in ("dataSets", "data"))}
        assert read_data(json.dumps(reordered, indent=1).encode()).equals(whole), name


def test_truncated_or_non_utf8_json_is_malformed_with_its_line(samples):
    from dataops.errors import MalformedMessage

    data = (samples / "ECB_EXR/ts.json").read_bytes()
    cut = data[: len(data) * 2 // 3]
    with pytest.raises(MalformedMessage, match=r"line \d+") as err:
        read_data(_chunks(cut, 50))
    assert err.value.details["line"] == cut.count(b"\n") + 1
    with pytest.raises(MalformedMessage, match="UTF-8"):
        read_data(data.replace(b'"header"', b'"h\xe9ader"', 1))
    with pytest.raises(MalformedMessage, match="not valid JSON"):
        read_data(data + b"}")


def _oecd_stat_message(observations: dict) -> bytes:
    """An SDMX-JSON 1.0 message as legacy OECD.Stat endpoints write it (abridged from a real QNA answer)."""
    attr = {"id": "OBS_STATUS", "name": "Observation Status", "values": [
        {"id": "E", "name": "Estimated value"}, {"id": "P", "name": "Provisional value"},
        {"id": "B", "name": "Break"}]}  # fmt: skip
    message = {
        "header": {"id": "q1", "prepared": "2026-11-30T10:00:00Z"},
        "dataSets": [
            {"action": "Information", "series": {"0:0": {"attributes": [], "observations": observations}}}
        ],
        "structure": {
            "dimensions": {
                "series": [
                    {"id": "LOCATION", "keyPosition": 0, "values": [{"id": "AUS", "name": "Australia"}]},
                    {"id": "SUBJECT", "keyPosition": 1, "values": [{"id": "B1_GE", "name": "GDP"}]},
                ],
                "observation": [
                    {"id": "TIME_PERIOD", "role": "time", "values": [{"id": "2020-Q1"}, {"id": "2020-Q2"}]}
                ],
            },
            "attributes": {
                "series": [],
                "observation": [{"id": "TIME_FORMAT", "name": "Time Format", "values": []}, attr],
            },
        },
    }
    return json.dumps(message).encode()


def test_legacy_oecd_arrays_without_empty_attributes_are_read_with_a_warning():
    body = _oecd_stat_message({"0": [-2.45, 1], "1": [0.3, None]})
    with pytest.warns(ProviderQuirk, match="leave out the attributes without values \\(TIME_FORMAT\\)"):
        table = read_data(body)
    df = table.to_pandas()
    assert df["OBS_VALUE"].tolist() == [-2.45, 0.3]
    assert df["OBS_STATUS"].tolist()[0] == "P" and df["OBS_STATUS"].isna().tolist() == [False, True]
    assert "TIME_FORMAT" not in df.columns
    assert "OBS_STATUS" in table_metadata(table)["quirks"][0]


def test_arrays_that_fit_neither_reading_are_refused_with_the_standard_sentence():
    body = _oecd_stat_message({"0": [-2.45, 0, 5]})  # two attribute places, one attribute with values
    with pytest.raises(MalformedMessage, match="refers to value 0 of TIME_FORMAT, which has only 0 values"):
        read_data(body)
