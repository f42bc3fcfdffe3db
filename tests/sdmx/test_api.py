"""The notebook API end to end against the local provider serving the shared samples."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow as pa
import pytest

import dataops
from dataops.errors import InvalidInput, NoData, UnknownDataflow, UnknownSource

EXR_DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]


def _data_requests(fake_provider):
    return [path for path, _ in fake_provider.requests if "/data/" in path]


def test_sources_lists_configured_then_presets(sdmx_config):
    df = dataops.sources()
    assert list(df.columns) == ["id", "name", "url", "api", "description"]
    assert df.id.iloc[0] == "LOCAL_ECB"
    assert df.id.tolist()[-7:] == ["ECB", "ESTAT", "ESTAT3", "BIS", "IMF", "IMF3", "OECD"]


def test_dataflows_lists_and_searches(sdmx_config):
    df = dataops.dataflows("LOCAL_ECB")
    assert list(df.columns) == ["id", "agency", "version", "name"]
    assert set(df.id) == {"EXR", "GOV_10Q_GGNFA"}
    hit = dataops.dataflows("LOCAL_ECB", search="exchange")
    assert hit.to_dict("records") == [
        {"id": "EXR", "agency": "ECB", "version": "1.0", "name": "Exchange Rates"}
    ]


def test_structure_has_dimensions_in_dsd_order_with_codes(sdmx_config, fake_provider):
    s = dataops.structure("LOCAL_ECB", "EXR")
    assert [d.id for d in s.dimensions] == EXR_DIMS
    assert s.time_dimension == "TIME_PERIOD"
    currency = s.dimension("CURRENCY").codes
    assert currency.set_index("id").loc["USD", "name"] == "US dollar"
    assert {"OBS_STATUS", "TITLE"} <= {a.id for a in s.attributes}
    assert any("datastructure/ECB/ECB_EXR1/1.0?references=children" in p for p, _ in fake_provider.requests)


def test_structures_are_cached_on_disk(sdmx_config, fake_provider):
    dataops.structure("LOCAL_ECB", "EXR")
    before = len(fake_provider.requests)
    dataops.structure("LOCAL_ECB", "EXR")
    assert len(fake_provider.requests) == before


def test_stale_cache_entries_are_revalidated_with_etags(sdmx_config, dataops_config, fake_provider):
    dataops_config.write_text(dataops_config.read_text().replace("[data]", "[data]\ncache_ttl = 0"))
    first = dataops.structure("ETAG", "EXR")
    second = dataops.structure("ETAG", "EXR")
    conditional = [h for p, h in fake_provider.requests if "If-None-Match" in h]
    assert len(conditional) == 2  # dataflow and datastructure, both answered 304
    assert [d.id for d in second.dimensions] == [d.id for d in first.dimensions]


def test_read_returns_one_row_per_observation(sdmx_config, fake_provider):
    df = dataops.read("LOCAL_ECB", "EXR", key="M.USD+JPY.EUR.SP00.A", start="2015-01", end="2024-12")
    assert len(df) == 60
    assert list(df.columns[:7]) == [*EXR_DIMS, "TIME_PERIOD", "OBS_VALUE"]
    assert all(isinstance(df[d].dtype, pd.CategoricalDtype) for d in EXR_DIMS)
    assert df.OBS_VALUE.dtype == "float64"
    assert df.TIME_PERIOD.iloc[0] == "2015-01" and df.TIME_PERIOD.iloc[-1] == "2019-12"
    assert {"OBS_STATUS", "TITLE"} <= set(df.columns)
    meta = df.attrs["sdmx"]
    assert meta["source"] == "LOCAL_ECB" and meta["flow"] == "ECB:EXR(1.0)"
    assert meta["key"] == "M.USD+JPY.EUR.SP00.A" and meta["structure"] == "ECB:ECB_EXR1(1.0)"
    assert meta["url"].endswith("/ecb/data/EXR/M.USD+JPY.EUR.SP00.A?startPeriod=2015-01&endPeriod=2024-12")
    assert meta["retrieved_at"].startswith("20")
    assert _data_requests(fake_provider) == [
        "/ecb/data/EXR/M.USD+JPY.EUR.SP00.A?startPeriod=2015-01&endPeriod=2024-12"
    ]


def test_read_asks_for_structure_specific_data_first(sdmx_config, fake_provider):
    dataops.read("LOCAL_ECB", "EXR", key="M.USD.EUR.SP00.A", last=12)
    path, headers = next((p, h) for p, h in fake_provider.requests if "/data/" in p)
    assert path.endswith("lastNObservations=12")
    assert headers["Accept"].startswith("application/vnd.sdmx.structurespecificdata+xml;version=2.1, ")


def test_dict_key_becomes_the_rest_key(sdmx_config, fake_provider):
    df = dataops.read("LOCAL_ECB", "EXR", key={"FREQ": "M", "CURRENCY": ["USD", "JPY"]}, last=12)
    assert df.attrs["sdmx"]["key"] == "M.USD+JPY..."
    assert _data_requests(fake_provider) == ["/ecb/data/EXR/M.USD+JPY...?lastNObservations=12"]


def test_as_arrow_returns_a_table(sdmx_config):
    table = dataops.read("LOCAL_ECB", "EXR", key="M.USD.EUR.SP00.A", as_arrow=True)
    assert isinstance(table, pa.Table) and table.num_rows == 252
    assert b"sdmx.provenance" in table.schema.metadata


def test_gzip_data_is_read(sdmx_config):
    assert len(dataops.read("GZIP", "EXR", key="M.USD.EUR.SP00.A")) == 252


def test_rest_2_source_reads_sdmx_ml_3(sdmx_config, fake_provider):
    df = dataops.read("LOCAL_V2", "EXR", key="A..EUR.SP00.", start="2000", end="2019")
    assert len(df) == 110 and df.TIME_PERIOD.min() == "2000"  # the 1999 observations are left out
    assert sorted(df.CURRENCY.unique()) == ["CAD", "CHF", "LTL"]
    path, headers = next((p, h) for p, h in fake_provider.requests if "/data/" in p)
    assert path == "/v2/data/dataflow/ECB/EXR/~/A.*.EUR.SP00.*?c%5BTIME_PERIOD%5D=ge%3A2000%2Ble%3A2019"
    assert headers["Accept"].startswith("application/vnd.sdmx.data+xml;version=3.0.0")


def test_unknown_code_is_refused_before_any_data_request(sdmx_config, fake_provider):
    with pytest.raises(InvalidInput, match="CURRENCY has no code 'QQQ'"):
        dataops.read("LOCAL_ECB", "EXR", key="M.QQQ.EUR.SP00.A")
    assert _data_requests(fake_provider) == []


def test_bad_period_is_refused_before_any_request(sdmx_config, fake_provider):
    with pytest.raises(InvalidInput, match="start 'last year' is not an SDMX period"):
        dataops.read("LOCAL_ECB", "EXR", key="M.USD.EUR.SP00.A", start="last year")
    assert fake_provider.requests == []


def test_unknown_flow_and_source(sdmx_config):
    with pytest.raises(UnknownDataflow, match="has no such dataflow"):
        dataops.read("LOCAL_ECB", "NOPE")
    with pytest.raises(UnknownSource, match="no data source 'NOWHERE'"):
        dataops.read("NOWHERE", "EXR")


def test_no_data_names_the_query(sdmx_config):
    with pytest.raises(NoData, match="has no data for this query. It said: No Results Found. Query: http"):
        dataops.read("LOCAL_ECB", "EXR", key="D.USD.EUR.SP00.A")


def test_to_wide_has_periods_by_series(sdmx_config):
    wide = dataops.to_wide(dataops.read("LOCAL_ECB", "EXR", key="M.USD.EUR.SP00.A"))
    assert wide.shape == (252, 1)
    assert list(wide.columns) == ["M.USD.EUR.SP00.A"]
    assert wide.index[0] == "1999-01" and wide.iloc[0, 0] == pytest.approx(1.16078)


def test_read_file_sniffs_the_format(shared_dir):
    samples = shared_dir / "sdmx-samples"
    df = dataops.read_file(samples / "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-1.0.csv")
    assert len(df) == 252 and df.attrs["sdmx"]["format"] == "sdmx-csv-1.0"
    df = dataops.read_file(samples / "v3/xml/ECB_EXR0.xml", structure=samples / "v3/xml/ECB_EXR1.xml")
    assert len(df) == 116 and df.attrs["sdmx"]["structure"] == "ECB:ECB_EXR(1.0)"


def test_read_structure_from_a_file(shared_dir):
    s = dataops.read_structure(shared_dir / "sdmx-samples/ESTAT/GOV_10Q_GGNFA.xml")
    assert [d.id for d in s.dimensions] == ["freq", "unit", "s_adj", "sector", "na_item", "geo"]
    with pytest.raises(InvalidInput, match="defines no data structure XYZ"):
        dataops.read_structure(shared_dir / "sdmx-samples/ESTAT/GOV_10Q_GGNFA.xml", id="XYZ")


@pytest.fixture
def files_source(dataops_config, shared_dir, tmp_path):
    folder = tmp_path / "messages"
    (folder / "EXR").mkdir(parents=True)
    samples = shared_dir / "sdmx-samples"
    shutil.copy(samples / "ECB_EXR/1/structure-full.xml", folder / "structures.xml")
    shutil.copy(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", folder / "EXR" / "usd.xml")
    shutil.copy(samples / "ECB_EXR/ng-structure-full.xml", folder / "ng-structure.xml")
    shutil.copy(samples / "ECB_EXR/ng-ts-gf-ss.xml", folder / "ECB_EXR_NG-ts.xml")
    dataops_config.write_text(
        f'[[sources]]\nid = "FILES"\nname = "Messages"\nurl = "{folder}"\napi = "files"\n'
    )
    return folder


def test_files_source_lists_flows_from_its_structure_messages(files_source):
    assert sorted(dataops.dataflows("FILES").id) == ["ECB_EXR_NG", "EXR"]


def test_files_source_applies_key_periods_and_last(files_source):
    df = dataops.read("FILES", "EXR", key="M.USD.EUR.SP00.A", start="2019-01", end="2019-12")
    assert len(df) == 12 and df.TIME_PERIOD.min() == "2019-01"
    assert len(dataops.read("FILES", "EXR", key="M.USD.EUR.SP00.A", last=3)) == 3
    ng = dataops.read("FILES", "ECB_EXR_NG", key="M.GBP+JPY...")
    assert sorted(ng.CURRENCY.unique()) == ["GBP", "JPY"] and len(ng) == 6
    assert ng.attrs["sdmx"]["url"].startswith(files_source.as_uri())


def test_files_source_without_matching_observations_is_no_data(files_source):
    with pytest.raises(NoData, match="No observation in .* matches this query"):
        dataops.read("FILES", "EXR", key="M.USD.EUR.SP00.A", start="2030")
