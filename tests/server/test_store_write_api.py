"""Writing a vintage over HTTP (what R's dataops_write calls): the body is an SDMX data message, the
write is dataops.write's, and its answer is the one docs/openapi-store.yaml describes."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from tornado.httpclient import HTTPClientError

import dataops
from tests.server.test_promotion_history_api import _json_schema
from tests.server.test_store_api import DOCS, FLOW
from tests.store.fixtures import store_env  # noqa: F401

CSV_20 = "application/vnd.sdmx.data+csv;version=2.0.0"
BODY = (
    "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
    "dataflow,TEST:NA(1.0),,A,DE,GDP,2023,1.5,A\n"
    "dataflow,TEST:NA(1.0),,A,FR,GDP,2023,2.5,A\n"
)


def _post(jp_fetch, body: str, **params):
    return jp_fetch(
        *FLOW, "vintages", method="POST", body=body, params=params, headers={"Content-Type": CSV_20}
    )


async def test_an_sdmx_csv_body_becomes_a_named_vintage(store_env, jp_fetch):  # noqa: F811
    response = await _post(jp_fetch, BODY, vintage="from HTTP", message="two areas")
    answer = json.loads(response.body)
    doc = yaml.safe_load((DOCS / "openapi-store.yaml").read_text())
    schema = doc["paths"]["/dataops/api/sdmx/sources/{source}/dataflows/{flow}/vintages"]["post"]
    jsonschema.validate(
        answer,
        _json_schema(
            schema["responses"]["201"]["content"]["application/json"]["schema"], "openapi-store.yaml"
        ),
    )
    assert response.code == 201
    assert (answer["vintage"], answer["rows"], answer["series"]) == ("from HTTP", 2, 2)
    assert dataops.read("STORE", "NA", as_of="from HTTP")["OBS_VALUE"].tolist() == [1.5, 2.5]
    assert dataops.vintages("STORE", "NA")["message"].tolist() == ["two areas"]


@pytest.mark.parametrize(
    ("body", "params", "code", "words"),
    [
        ("", {}, 400, "The request carries no data"),
        (BODY.replace("A,DE,GDP", "A,XX,GDP"), {}, 422, "XX"),
        (BODY, {"action": "upsert"}, 400, "action must be one of"),
    ],
)
async def test_a_refused_write_says_why_and_writes_nothing(store_env, jp_fetch, body, params, code, words):  # noqa: F811
    with pytest.raises(HTTPClientError) as err:
        await _post(jp_fetch, body, **params)
    assert err.value.code == code
    assert words in json.loads(err.value.response.body)["message"]
    assert dataops.vintages("STORE", "NA").empty
