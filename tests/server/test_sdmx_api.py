"""``dataops/api/sdmx/...``: the Data panel's API against the local provider serving the shared samples."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from tornado.httpclient import HTTPClientError

from tests.server.sdmx_fixtures import sdmx_provider  # noqa: F401


async def _error(jp_fetch, *path, **params):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("dataops", "api", "sdmx", *path, params=params)
    return err.value.code, json.loads(err.value.response.body)


async def test_sources_lists_configured_sources_then_presets(sdmx_provider, jp_fetch):
    body = json.loads((await jp_fetch("dataops", "api", "sdmx", "sources")).body)
    ids = [s["id"] for s in body["sources"]]
    assert ids[:6] == ["LOCAL", "ESTATLIKE", "V2", "DOWN", "NOAVAIL", "ETAG"]
    assert ids[6:] == ["ECB", "ESTAT", "ESTAT3", "BIS", "IMF", "IMF3", "OECD"]
    local = body["sources"][0]
    assert local["api"] == "sdmx-rest-1" and local["preset"] is False and local["availability"] is True


async def test_source_status_says_whether_it_answers(sdmx_provider, jp_fetch):
    up = json.loads((await jp_fetch("dataops", "api", "sdmx", "sources", "LOCAL", "status")).body)
    assert up["reachable"] is True and up["message"].startswith("HTTP ")
    down = json.loads((await jp_fetch("dataops", "api", "sdmx", "sources", "DOWN", "status")).body)
    assert down == {**down, "reachable": False, "message": "HTTP 503"}


async def test_dataflows_are_searched_and_paged(sdmx_provider, jp_fetch):
    response = await jp_fetch("dataops", "api", "sdmx", "sources", "LOCAL", "dataflows")
    body = json.loads(response.body)
    assert body["total"] == 2 and {f["id"] for f in body["dataflows"]} == {"EXR", "GOV_10Q_GGNFA"}
    found = json.loads(
        (
            await jp_fetch(
                "dataops", "api", "sdmx", "sources", "LOCAL", "dataflows", params={"search": "exch"}
            )
        ).body
    )
    assert [f["id"] for f in found["dataflows"]] == ["EXR"]
    assert found["dataflows"][0]["structure_id"] == "ECB_EXR1"
    page = json.loads(
        (
            await jp_fetch(
                "dataops",
                "api",
                "sdmx",
                "sources",
                "LOCAL",
                "dataflows",
                params={"offset": "1", "limit": "1"},
            )
        ).body
    )
    assert page["total"] == 2 and len(page["dataflows"]) == 1 and page["offset"] == 1


async def test_structure_lists_dimensions_with_codes(sdmx_provider, jp_fetch):
    response = await jp_fetch("dataops", "api", "sdmx", "sources", "LOCAL", "dataflows", "EXR", "structure")
    body = json.loads(response.body)
    assert [d["id"] for d in body["dimensions"]] == [
        "FREQ",
        "CURRENCY",
        "CURRENCY_DENOM",
        "EXR_TYPE",
        "EXR_SUFFIX",
    ]
    assert body["time_dimension"] == "TIME_PERIOD"
    assert {"id": "USD", "name": "US dollar"} in body["dimensions"][1]["codes"]
    assert body["dataflow"]["name"] == "Exchange Rates"


async def test_availability_narrows_the_codes(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops",
        "api",
        "sdmx",
        "sources",
        "LOCAL",
        "dataflows",
        "EXR",
        "availability",
        params={"key": "M...."},
    )
    body = json.loads(response.body)
    assert body["dimensions"]["CURRENCY"] == ["USD"] and body["series_count"] == 1


async def test_availability_unsupported_is_501_with_the_reason(sdmx_provider, jp_fetch):
    code, body = await _error(jp_fetch, "sources", "NOAVAIL", "dataflows", "EXR", "availability", key="M....")
    assert code == 501 and body["error"] == "not_implemented"
    assert "does not support this kind of availability query" in body["message"]


async def test_data_is_an_arrow_stream_by_default(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops",
        "api",
        "sdmx",
        "sources",
        "LOCAL",
        "dataflows",
        "EXR",
        "data",
        params={"key": "M.USD+JPY.EUR.SP00.A", "start": "1999-01"},
    )
    assert response.headers["Content-Type"] == "application/vnd.apache.arrow.stream"
    table = pa.ipc.open_stream(response.body).read_all()
    assert table.num_rows == 252
    assert table.column_names[:7] == [
        "FREQ",
        "CURRENCY",
        "CURRENCY_DENOM",
        "EXR_TYPE",
        "EXR_SUFFIX",
        "TIME_PERIOD",
        "OBS_VALUE",
    ]
    info = json.loads(table.schema.metadata[b"dataops"])
    assert info["observations"] == 252 and info["series"] == 1 and info["truncated"] is False
    assert info["url"].endswith("/ecb/data/EXR/M.USD+JPY.EUR.SP00.A?startPeriod=1999-01")
    assert response.headers["X-DataOps-Query-Url"] == info["url"]


async def test_data_as_json_on_request(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops",
        "api",
        "sdmx",
        "sources",
        "V2",
        "dataflows",
        "EXR",
        "data",
        params={"key": "A..EUR.SP00.", "format": "json"},
    )
    body = json.loads(response.body)
    assert body["observations"] == 116 and body["series_total"] == 6
    assert len(body["data"]["OBS_VALUE"]) == 116 and body["columns"][1] == "CURRENCY"


async def test_large_selection_previews_the_first_series_and_says_so(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops",
        "api",
        "sdmx",
        "sources",
        "V2",
        "dataflows",
        "EXR",
        "data",
        params={"key": "A..EUR.SP00.", "limit": "2"},
        headers={"Accept": "application/json"},
    )
    body = json.loads(response.body)
    assert body["series"] == 2 and body["series_total"] == 6 and body["truncated"] is True
    assert set(body["data"]["CURRENCY"]) == {"CAD"} and set(body["data"]["EXR_SUFFIX"]) == {"A", "E"}
    assert response.headers["X-DataOps-Truncated"] == "true"


@pytest.mark.parametrize(
    ("path", "params", "error", "words"),
    [
        (("sources", "NOWHERE", "dataflows"), {}, "unknown_source", "no data source 'NOWHERE'"),
        (("sources", "LOCAL", "dataflows", "NOPE", "structure"), {}, "unknown_dataflow", "no such dataflow"),
        (("sources", "LOCAL", "dataflows", "EXR", "data"), {"key": "M.US D"}, "invalid_input", "malformed"),
        (
            ("sources", "LOCAL", "dataflows", "EXR", "data"),
            {"key": "M.USD"},
            "invalid_input",
            "has 2 positions",
        ),
        (
            ("sources", "LOCAL", "dataflows", "EXR", "data"),
            {"start": "2024/01"},
            "invalid_input",
            "SDMX period",
        ),
        (("sources", "LOCAL", "dataflows", "EXR", "data"), {"last": "x"}, "invalid_input", "parameter last"),
        (
            ("sources", "LOCAL", "dataflows", "EXR", "data"),
            {"format": "xls"},
            "invalid_input",
            "format must be",
        ),
        (("sources", "LOCAL", "dataflows"), {"limit": "0"}, "invalid_input", "parameter limit"),
    ],
)
async def test_bad_parameters_are_400_with_the_reason(sdmx_provider, jp_fetch, path, params, error, words):
    code, body = await _error(jp_fetch, *path, **params)
    assert code == 400, body
    assert body["error"] == error and words in body["message"]


async def test_provider_refusals_keep_their_meaning(sdmx_provider, jp_fetch):
    code, body = await _error(
        jp_fetch, "sources", "LOCAL", "dataflows", "EXR", "data", key="D.USD.EUR.SP00.A"
    )
    assert code == 404 and body["error"] == "no_data" and "No Results Found" in body["message"]
    code, body = await _error(
        jp_fetch, "sources", "ESTATLIKE", "dataflows", "GOV_10Q_GGNFA", "data", key="Q....."
    )
    assert (
        code == 413 and body["error"] == "too_large" and body["details"]["file_url"].startswith("http://ec.")
    )
    code, body = await _error(jp_fetch, "sources", "DOWN", "dataflows", "EXR", "structure")
    assert code == 502 and body["error"] == "provider_down" and "HTTP 503" in body["message"]


def test_openapi_documents_every_sdmx_route():
    import re
    from pathlib import Path

    import yaml

    from jupyterlab_dataops.handlers import sdmx as sdmx_handlers
    from jupyterlab_dataops.handlers import sdmx_rest

    spec = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi-sdmx.yaml").read_text())
    documented = set(spec["paths"])
    for pattern, _ in sdmx_handlers.ROUTES:
        assert "/dataops/api/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern) in documented
    assert "/dataops/sdmx/{source}/data/{flow}/{key}" in documented
    assert "/dataops/sdmx/{source}/dataflow/{agency}/{id}/{version}" in documented
    for resource in ("datastructure", "codelist", "availableconstraint", "availability"):
        assert any(f"/dataops/sdmx/{{source}}/{resource}/" in p for p in documented)
    resources = (
        "/data/",
        "/dataflow",
        "/structure/",
        "/datastructure/",
        "/codelist/",
        "/availableconstraint/",
        "/availability/",
    )
    assert all(any(r in p for r in resources) for p, _ in sdmx_rest.ROUTES)
