"""REST URLs: the exact requests sent to SDMX REST 1.x and 2.x providers."""

from __future__ import annotations

from dataops.sdmx import urls
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.query import DataQuery, FlowRef
from dataops.sdmx.sources import Source

V1 = Source("X", "X", "https://sdmx.example.org/rest/", agency="ECB")
V2 = Source("Y", "Y", "https://sdmx.example.org/v3", api="sdmx-rest-2", agency="ESTAT", provider="ESTAT3")


def test_rest_1_data_query_has_key_periods_and_limits():
    query = DataQuery(
        FlowRef("EXR"),
        SeriesKey.parse("M.USD+JPY.EUR.SP00.A"),
        start="2020-01",
        end="2024-12",
        last=12,
        updated_after="2024-01-01T00:00:00Z",
    )
    assert str(urls.data_url(V1, query)) == (
        "https://sdmx.example.org/rest/data/EXR/M.USD+JPY.EUR.SP00.A?startPeriod=2020-01&endPeriod=2024-12"
        "&lastNObservations=12&updatedAfter=2024-01-01T00%3A00%3A00Z"
    )


def test_rest_1_series_keys_only_and_full_flow_reference():
    query = DataQuery(FlowRef("EXR", "ECB", "1.0"), series_keys_only=True)
    assert (
        str(urls.data_url(V1, query))
        == "https://sdmx.example.org/rest/data/ECB,EXR,1.0/all?detail=serieskeysonly"
    )


def test_rest_2_data_query_uses_context_path_and_time_filter():
    query = DataQuery(FlowRef("nama_10_gdp"), SeriesKey.parse("A..B1GQ.LU"), start="2012", end="2015")
    url = urls.data_url(V2, query, "TIME_PERIOD")
    assert url.path == "/v3/data/dataflow/ESTAT/NAMA_10_GDP/~/A.*.B1GQ.LU"
    assert url.params["c[TIME_PERIOD]"] == "ge:2012+le:2015"


def test_structure_queries_ask_for_children():
    assert str(urls.structure_url(V1, "ECB", "ECB_EXR1", "1.0")) == (
        "https://sdmx.example.org/rest/datastructure/ECB/ECB_EXR1/1.0?references=children"
    )
    assert urls.structure_url(V2, "ESTAT", "NAMA", "").path == "/v3/structure/datastructure/ESTAT/NAMA/~"


def test_dataflow_lists_are_stubs():
    assert (
        str(urls.dataflows_url(V1)) == "https://sdmx.example.org/rest/dataflow/ECB/all/latest?detail=allstubs"
    )
    assert urls.dataflows_url(V2).path == "/v3/structure/dataflow/ESTAT/*/~"


def test_availability_urls_for_both_versions():
    assert str(urls.availability_url(V1, FlowRef("EXR"), "M..EUR.SP00.A")) == (
        "https://sdmx.example.org/rest/availableconstraint/EXR/M..EUR.SP00.A/all/all?mode=available"
    )
    assert urls.availability_url(V2, FlowRef("X"), "A.*").path == "/v3/availability/dataflow/ESTAT/X/~/A.*/*"
