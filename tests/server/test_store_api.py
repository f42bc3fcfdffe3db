"""The Data panel's view of a store source: data at a vintage (``as_of``), vintages, revisions;
answers checked against docs/openapi-store.yaml."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pyarrow as pa
import pytest
import yaml
from tornado.httpclient import HTTPClientError

import dataops
from tests.server.test_promotion_history_api import _json_schema
from tests.store.fixtures import frame, store_env  # noqa: F401

DOCS = Path(__file__).resolve().parents[2] / "docs"
FLOW = ("dataops", "api", "sdmx", "sources", "STORE", "dataflows", "NA")


def _documented(body: dict, route: str) -> None:
    doc = yaml.safe_load((DOCS / "openapi-store.yaml").read_text())
    schema = doc["paths"][f"/dataops/api/sdmx/sources/{{source}}/dataflows/{{flow}}/{route}"]["get"]
    jsonschema.validate(
        body,
        _json_schema(
            schema["responses"]["200"]["content"]["application/json"]["schema"], "openapi-store.yaml"
        ),
    )


@pytest.fixture
def two_vintages(store_env):  # noqa: F811
    dataops.write(
        "STORE",
        "NA",
        frame([("A", "DE", "GDP", "2023", 1.0), ("A", "DE", "GDP", "2024", 2.0)]),
        vintage="2026-11 release",
        message="November",
    )
    dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2024", 2.5)]), message="revised 2024")
    return store_env


async def test_data_route_reads_a_named_vintage_and_says_which(two_vintages, jp_fetch):
    latest = pa.ipc.open_stream((await jp_fetch(*FLOW, "data", params={"key": "A.DE.GDP"})).body).read_all()
    older = await jp_fetch(
        *FLOW, "data", params={"key": "A.DE.GDP", "as_of": "2026-11 release", "format": "json"}
    )
    body = json.loads(older.body)
    assert latest.column("OBS_VALUE").to_pylist() == [1.0, 2.5]
    assert body["data"]["OBS_VALUE"] == [1.0, 2.0]
    assert body["vintage"]["tags"] == ["2026-11 release"] and body["vintage"]["message"] == "November"


async def test_vintages_route_lists_each_write_with_who_and_why(two_vintages, jp_fetch):
    body = json.loads((await jp_fetch(*FLOW, "vintages")).body)
    _documented(body, "vintages")
    assert [v["label"] for v in body["vintages"]][0] == "2026-11 release"
    assert [v["message"] for v in body["vintages"]] == ["November", "revised 2024"]
    assert [v["total_rows"] for v in body["vintages"]] == [2, 2]


async def test_revisions_route_gives_the_triangle(two_vintages, jp_fetch):
    body = json.loads((await jp_fetch(*FLOW, "revisions", params={"key": "A.DE.GDP"})).body)
    _documented(body, "revisions")
    (series,) = body["series"]
    assert series["series_key"] == "A.DE.GDP" and series["periods"] == ["2023", "2024"]
    assert series["values"] == [[1.0, 1.0], [2.0, 2.5]]


async def test_unknown_vintage_is_a_404_naming_the_names(two_vintages, jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(*FLOW, "data", params={"as_of": "2025 release"})
    body = json.loads(err.value.response.body)
    assert err.value.code == 404 and body["error"] == "unknown_vintage"
    assert "'2025 release'" in body["message"] and "'2026-11 release'" in body["message"]


def test_openapi_documents_every_store_route():
    from jupyterlab_dataops.handlers import store

    documented = set(yaml.safe_load((DOCS / "openapi-store.yaml").read_text())["paths"])
    for pattern, _ in store.ROUTES:
        assert "/dataops/api/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern) in documented


async def test_a_store_source_is_listed_and_its_catalog_checked(store_env, jp_fetch):  # noqa: F811
    sources = json.loads((await jp_fetch("dataops", "api", "sdmx", "sources")).body)["sources"]
    status = json.loads((await jp_fetch("dataops", "api", "sdmx", "sources", "STORE", "status")).body)

    assert [(s["id"], s["api"]) for s in sources] == [("STORE", "store")]
    assert status["reachable"] is True and status["message"] == "Catalog answers"
