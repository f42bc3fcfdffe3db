"""``dataops/sdmx/{source}/...``: a standard SDMX REST 1.x endpoint that SDMX tools can read."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sdmx
from tornado.httpclient import HTTPClientError

from dataops.sdmx.readers import read_data, read_structure
from tests.server.sdmx_fixtures import sdmx_provider  # noqa: F401

CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"
JSON_10 = "application/vnd.sdmx.data+json;version=1.0.0"
EXR_DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]


async def _get(jp_fetch, *path, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return await jp_fetch("dataops", "sdmx", *path, params=params, headers=headers)


async def test_data_as_sdmx_csv_1(sdmx_provider, jp_fetch):
    response = await _get(jp_fetch, "LOCAL", "data", "EXR", "M.USD.EUR.SP00.A", accept=CSV_10)
    assert response.headers["Content-Type"] == CSV_10
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert rows[0][:8] == ["DATAFLOW", *EXR_DIMS, "TIME_PERIOD", "OBS_VALUE"]
    assert len(rows) == 253 and rows[1][:8] == [
        "ECB:EXR(1.0)",
        "M",
        "USD",
        "EUR",
        "SP00",
        "A",
        "1999-01",
        "1.16078",
    ]
    back = read_data(response.body)
    assert back.num_rows == 252 and back.column("OBS_VALUE")[0].as_py() == pytest.approx(1.16078)


async def test_any_type_gets_sdmx_ml_generic_data_the_sdmx_2_1_default(sdmx_provider, jp_fetch):
    # Was SDMX-CSV 1.0; the SDMX 2.1 web services guidelines make generic data the default (issue #16).
    response = await _get(jp_fetch, "LOCAL", "data", "EXR", "M.USD.EUR.SP00.A", accept="*/*")
    assert response.headers["Content-Type"] == "application/vnd.sdmx.genericdata+xml;version=2.1"


async def test_data_as_sdmx_json_1_is_read_by_sdmx1(sdmx_provider, jp_fetch):
    response = await _get(jp_fetch, "LOCAL", "data", "EXR", "M.USD.EUR.SP00.A", accept="application/json")
    assert response.headers["Content-Type"] == JSON_10
    message = sdmx.read_sdmx(io.BytesIO(response.body), format="JSON")
    series = sdmx.to_pandas(message.data[0])
    assert len(series) == 252
    assert float(series.iloc[0]) == pytest.approx(1.16078)
    assert read_data(response.body).num_rows == 252


async def test_format_parameter_overrides_accept(sdmx_provider, jp_fetch):
    response = await _get(jp_fetch, "V2", "data", "EXR", "A..EUR.SP00.", accept=CSV_10, format="jsondata")
    body = json.loads(response.body)
    assert response.headers["Content-Type"] == JSON_10
    assert len(body["dataSets"][0]["series"]) == 6
    assert [d["id"] for d in body["structure"]["dimensions"]["series"]][:2] == ["FREQ", "CURRENCY"]


async def test_rest_query_parameters_reach_the_provider(sdmx_provider, jp_fetch):
    response = await _get(
        jp_fetch, "LOCAL", "data", "EXR", "M.USD.EUR.SP00.A", startPeriod="2019-01", lastNObservations="5"
    )
    assert response.headers["X-DataOps-Query-Url"].endswith(
        "/ecb/data/EXR/M.USD.EUR.SP00.A?startPeriod=2019-01&lastNObservations=5"
    )


async def test_unsupported_representation_is_406_listing_the_offered_ones(sdmx_provider, jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await _get(
            jp_fetch, "LOCAL", "data", "EXR", "all", accept="application/vnd.sdmx.data+json;version=2.1.0"
        )
    assert err.value.code == 406
    body = json.loads(err.value.response.body)
    assert body["error"] == "not_acceptable" and CSV_10 in body["message"] and JSON_10 in body["message"]


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        (("LOCAL", "data", "EXR", "M.U SD"), {}, "malformed"),
        (("LOCAL", "data", "EXR", "M.USD.EUR.SP00.A"), {"startPeriod": "yesterday"}, "not an SDMX period"),
        (("LOCAL", "data", "EXR", "M.USD.EUR.SP00.A"), {"lastNObservations": "-1"}, "lastNObservations"),
        (("LOCAL", "data", "EXR", "M.USD.EUR.SP00.A"), {"detail": "nodata"}, "detail must be"),
        (("NOWHERE", "data", "EXR", "all"), {}, "no data source 'NOWHERE'"),
        (("LOCAL", "dataflow", "ECB", "NOPE"), {}, "no dataflow 'NOPE'"),
    ],
)
async def test_bad_requests_are_400_with_the_reason(sdmx_provider, jp_fetch, path, params, words):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, *path, **params)
    assert err.value.code == 400
    assert words in json.loads(err.value.response.body)["message"]


async def test_no_data_is_404_as_in_sdmx_rest(sdmx_provider, jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, "LOCAL", "data", "EXR", "D.USD.EUR.SP00.A")
    assert err.value.code == 404 and json.loads(err.value.response.body)["error"] == "no_data"


async def test_dataflows_as_sdmx_ml_2_1(sdmx_provider, jp_fetch):
    response = await _get(jp_fetch, "LOCAL", "dataflow")
    assert response.headers["Content-Type"] == "application/vnd.sdmx.structure+xml;version=2.1"
    flows = read_structure(response.body).dataflows
    assert {(f.id, f.structure_id) for f in flows} == {
        ("EXR", "ECB_EXR1"),
        ("GOV_10Q_GGNFA", "GOV_10Q_GGNFA"),
    }
    message = sdmx.read_sdmx(io.BytesIO(response.body))
    assert set(message.dataflow) == {"EXR", "GOV_10Q_GGNFA"}


async def test_one_dataflow_as_sdmx_json(sdmx_provider, jp_fetch):
    response = await _get(jp_fetch, "LOCAL", "dataflow", "ECB", "EXR", "latest", accept="application/json")
    body = json.loads(response.body)
    assert [f["id"] for f in body["data"]["dataflows"]] == ["EXR"]
    assert body["data"]["dataflows"][0]["structure"].endswith("DataStructure=ECB:ECB_EXR1(1.0)")


async def test_unknown_path_under_the_endpoint_is_a_json_404(sdmx_provider, jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, "LOCAL", "hierarchicalcodelist", "ECB", "HCL_X")
    assert err.value.code == 404 and json.loads(err.value.response.body)["error"] == "not_found"
