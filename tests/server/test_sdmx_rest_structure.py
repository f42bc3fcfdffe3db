"""``datastructure``, ``codelist`` and availability of the standard SDMX endpoint, read back by dataops and sdmx1."""

from __future__ import annotations

import asyncio
import io
import json

import httpx
import pytest
import sdmx
from tornado.httpclient import HTTPClientError

from dataops.config import load_config
from dataops.sdmx import service
from dataops.sdmx.client import SdmxClient
from dataops.sdmx.config import DataConfig
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.readers import read_structure
from dataops.sdmx.sources import Source
from dataops.sdmx.transport import Transport
from tests.server.sdmx_fixtures import sdmx_provider  # noqa: F401

STR21 = "application/vnd.sdmx.structure+xml;version=2.1"
STR30 = "application/vnd.sdmx.structure+xml;version=3.0.0"
EXR_DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]


@pytest.fixture
def through_jupyter(sdmx_provider, http_server_client, jp_http_port, jp_base_url, jp_auth_header, tmp_path):
    """A dataops REST client whose source is the Jupyter server's endpoint for LOCAL, with the login token.

    ``http_server_client`` makes pytest-jupyter start listening on ``jp_http_port``.
    """

    def client(api: str = "sdmx-rest-1") -> SdmxClient:
        url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}dataops/sdmx/LOCAL"
        source = Source("JUPYTER", "LOCAL through Jupyter", url, api=api, agency="ECB")
        config = DataConfig(cache_dir=tmp_path / "client-cache", retries=0, timeout=20)
        http = httpx.Client(headers=jp_auth_header, timeout=20)
        return SdmxClient(source, config, transport=Transport(source, config, client=http))

    return client


def _in_thread(fn, *args):
    # The client is synchronous and the server shares this event loop: run the client beside it.
    return asyncio.to_thread(fn, *args)


async def test_structure_read_back_matches_the_source(through_jupyter):
    def read():
        with through_jupyter() as client:
            return client.structure("EXR")

    flow, dsd = await _in_thread(read)
    direct = await _in_thread(_direct_structure)
    assert flow.structure_id == "ECB_EXR1"
    assert [d.id for d in dsd.dimensions] == EXR_DIMS and dsd.time_dimension == "TIME_PERIOD"
    for mine, theirs in zip(dsd.dimensions, direct.dimensions, strict=True):
        assert mine.name == theirs.name
        assert mine.codes.values.tolist() == theirs.codes.values.tolist()
    assert [(a.id, a.level) for a in dsd.attributes] == [(a.id, a.level) for a in direct.attributes]


def _direct_structure():
    return service.structure(load_config(), "LOCAL", "EXR")[1]


async def test_datastructure_with_children_is_read_by_sdmx1(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops",
        "sdmx",
        "LOCAL",
        "datastructure",
        "ECB",
        "ECB_EXR1",
        "1.0",
        params={"references": "children"},
    )
    assert response.headers["Content-Type"] == STR21
    message = sdmx.read_sdmx(io.BytesIO(response.body))
    dsd = message.structure["ECB_EXR1"]
    assert [d.id for d in dsd.dimensions.components][:5] == EXR_DIMS
    assert message.codelist["CL_CURRENCY"]["USD"].name.localized_default() == "US dollar"
    assert "ECB_EXR1_CONCEPTS" in message.concept_scheme


async def test_datastructure_without_references_has_no_codelists(sdmx_provider, jp_fetch):
    response = await jp_fetch("dataops", "sdmx", "LOCAL", "datastructure", "ECB", "ECB_EXR1")
    parsed = read_structure(response.body)
    assert parsed.codelists == {} and [d.id for d in parsed.structures[0].dimensions] == EXR_DIMS


async def test_codelist(sdmx_provider, jp_fetch):
    response = await jp_fetch("dataops", "sdmx", "LOCAL", "codelist", "ECB", "CL_FREQ", "latest")
    codes = read_structure(response.body).codelists["CL_FREQ"]
    assert codes.set_index("id").loc["M", "name"] == "Monthly"


async def test_availability_rest_1_read_back_by_dataops(through_jupyter):
    def ask():
        with through_jupyter() as client:
            _, dsd = client.structure("EXR")
            return client.availability("EXR", SeriesKey.parse("M.USD...").validate(dsd))

    answer = await _in_thread(ask)
    assert answer.codes["CURRENCY"] == ["USD"] and answer.codes["FREQ"] == ["M"]
    assert answer.series_count == 1
    assert "/dataops/sdmx/LOCAL/availableconstraint/EXR/M.USD.../all/all?mode=available" in answer.url


async def test_availability_rest_2_answers_sdmx_ml_3(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops",
        "sdmx",
        "LOCAL",
        "availability",
        "dataflow",
        "ECB",
        "EXR",
        "~",
        "M.*.EUR..",
        "*",
        params={"mode": "available"},
    )
    assert response.headers["Content-Type"] == STR30
    assert b"schemas/v3_0/structure" in response.body and b"DataConstraint" in response.body
    assert b"<str:Value>USD</str:Value>" in response.body  # 3.0 key values are in the structure namespace


async def test_structure_resources_refuse_a_format_they_do_not_write(sdmx_provider, jp_fetch):
    # SDMX-JSON is answered too now (tests/server/test_sdmx_rest_structure_json.py); CSV is not.
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "dataops", "sdmx", "LOCAL", "codelist", "ECB", "CL_FREQ", headers={"Accept": "text/csv"}
        )
    assert err.value.code == 406 and STR21 in json.loads(err.value.response.body)["message"]


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        (("codelist", "ECB", "CL_NOPE"), {}, 404, "uses a codelist 'CL_NOPE'"),
        (("datastructure", "ECB", "NOPE"), {}, 404, "no data structure 'NOPE'"),
        (("datastructure", "ECB", "ECB_EXR1"), {"references": "cousins"}, 400, "references must be"),
        (("availableconstraint", "EXR", "M.USD..."), {"mode": "exact"}, 400, "mode=available"),
    ],
)
async def test_bad_structure_requests_say_why(sdmx_provider, jp_fetch, path, params, status, words):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("dataops", "sdmx", "LOCAL", *path, params=params)
    assert err.value.code == status and words in json.loads(err.value.response.body)["message"]
