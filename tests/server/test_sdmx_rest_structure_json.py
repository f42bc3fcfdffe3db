"""Structure resources of the standard SDMX endpoint as SDMX-JSON, through the real Jupyter server.

Each JSON answer is read back (dataops' own reader; pysdmx for SDMX-JSON 2.0) and compared with the
SDMX-ML answer to the same request. sdmx1 reads SDMX-JSON data messages only, not structures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pysdmx.io.json.sdmxjson2.reader.structure import read as pysdmx_read
from tornado.httpclient import HTTPClientError

from dataops.sdmx.availability import parse_availability
from dataops.sdmx.readers import read_structure
from dataops.sdmx.rest.negotiation import CONTENT_TYPES, STRUCTURE_30_TYPES, STRUCTURE_TYPES
from tests.server.sdmx_fixtures import sdmx_provider  # noqa: F401

STR21 = "application/vnd.sdmx.structure+xml;version=2.1"
STR30 = "application/vnd.sdmx.structure+xml;version=3.0.0"
JSON10 = "application/vnd.sdmx.structure+json;version=1.0.0"
JSON20 = "application/vnd.sdmx.structure+json;version=2.0.0"
EXR_DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]


async def _both(jp_fetch, *path, params=None, json_accept="application/vnd.sdmx.structure+json;version=1.0"):
    """The SDMX-ML and the SDMX-JSON answers to one request."""
    xml = await jp_fetch("dataops", "sdmx", "LOCAL", *path, params=params or {})
    js = await jp_fetch(
        "dataops", "sdmx", "LOCAL", *path, params=params or {}, headers={"Accept": json_accept}
    )
    return xml, js


async def test_datastructure_with_children_as_sdmx_json_equals_the_sdmx_ml_answer(sdmx_provider, jp_fetch):
    xml, js = await _both(
        jp_fetch, "datastructure", "ECB", "ECB_EXR1", "1.0", params={"references": "children"}
    )
    assert js.headers["Content-Type"] == JSON10 and "Accept" in js.headers["Vary"]
    from_xml, from_json = read_structure(xml.body), read_structure(js.body)
    (mine,), (theirs,) = from_json.structures, from_xml.structures
    assert [d.id for d in mine.dimensions] == EXR_DIMS and mine.time_dimension == "TIME_PERIOD"
    for a, b in zip(mine.dimensions, theirs.dimensions, strict=True):
        assert a.name == b.name
        assert a.codes.values.tolist() == b.codes.values.tolist(), a.id
    assert [(a.id, a.name, a.level) for a in mine.attributes] == [
        (a.id, a.name, a.level) for a in theirs.attributes
    ]
    assert {a.level for a in mine.attributes} == {"series", "group", "observation"}
    assert sorted(from_json.codelists) == sorted(from_xml.codelists)
    assert from_json.codelists["CL_CURRENCY"].set_index("id").loc["USD", "name"] == "US dollar"
    concepts = json.loads(js.body)["data"]["conceptSchemes"]
    assert [c["id"] for c in concepts] == ["ECB_EXR1_CONCEPTS"]


async def test_datastructure_without_references_has_no_codelists_in_json_either(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops", "sdmx", "LOCAL", "datastructure", "ECB", "ECB_EXR1", params={"format": "json"}
    )
    assert response.headers["Content-Type"] == JSON10
    parsed = read_structure(response.body)
    assert parsed.codelists == {} and [d.id for d in parsed.structures[0].dimensions] == EXR_DIMS


async def test_codelist_as_sdmx_json_has_the_codes_of_the_sdmx_ml_answer(sdmx_provider, jp_fetch):
    xml, js = await _both(
        jp_fetch, "codelist", "ECB", "CL_EXR_TYPE", "latest", json_accept="application/json"
    )
    assert js.headers["Content-Type"] == JSON10
    mine, theirs = read_structure(js.body).codelists, read_structure(xml.body).codelists
    assert mine["CL_EXR_TYPE"].values.tolist() == theirs["CL_EXR_TYPE"].values.tolist()
    assert len(mine["CL_EXR_TYPE"]) == 36


async def test_dataflows_as_sdmx_json_list_what_sdmx_ml_lists(sdmx_provider, jp_fetch):
    xml, js = await _both(jp_fetch, "dataflow", json_accept="application/vnd.sdmx.structure+json")
    assert js.headers["Content-Type"] == JSON10
    assert read_structure(js.body).dataflows == read_structure(xml.body).dataflows
    assert {f.id for f in read_structure(js.body).dataflows} == {"EXR", "GOV_10Q_GGNFA"}


async def test_availableconstraint_as_sdmx_json_1_0_has_the_codes_of_the_sdmx_ml_answer(
    sdmx_provider, jp_fetch
):
    xml, js = await _both(jp_fetch, "availableconstraint", "EXR", "M.USD...", "all", "all")
    assert js.headers["Content-Type"] == JSON10
    expected = parse_availability(xml.body, "M.USD...")
    (constraint,) = json.loads(js.body)["data"]["contentConstraints"]
    assert constraint["type"] == "Actual"
    assert constraint["constraintAttachment"]["dataflows"] == [
        "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ECB:EXR(1.0)"
    ]
    (region,) = constraint["cubeRegions"]
    assert {kv["id"]: kv["values"] for kv in region["keyValues"]} == expected.codes
    assert expected.codes["CURRENCY"] == ["USD"]
    counts = {a["id"]: int(a["title"]) for a in constraint.get("annotations", [])}
    assert counts.get("series_count") == expected.series_count == 1
    back = parse_availability(js.body, "M.USD...")  # dataops reads its own SDMX-JSON answer
    assert (back.codes, back.series_count, back.obs_count) == (
        expected.codes,
        expected.series_count,
        expected.obs_count,
    )


async def test_availability_2_x_as_sdmx_json_2_0_is_read_by_pysdmx(sdmx_provider, jp_fetch):
    path = ("availability", "dataflow", "ECB", "EXR", "~", "M.*.EUR..", "*")
    xml, js = await _both(jp_fetch, *path, params={"mode": "available"}, json_accept=JSON20)
    assert xml.headers["Content-Type"] == STR30 and js.headers["Content-Type"] == JSON20
    expected = parse_availability(xml.body, "M.*.EUR..")
    (constraint,) = pysdmx_read(js.body.decode()).structures
    assert {kv.id: [v.value for v in kv.values] for kv in constraint.cube_region.key_values} == expected.codes
    assert "USD" in expected.codes["CURRENCY"]
    assert constraint.series_count == expected.series_count
    back = parse_availability(js.body, "M.*.EUR..")
    assert (back.codes, back.series_count) == (expected.codes, expected.series_count)


async def test_format_json_on_availability_2_x_answers_sdmx_json_2_0(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops",
        "sdmx",
        "LOCAL",
        "availability",
        "dataflow",
        "ECB",
        "EXR",
        "~",
        "M.USD...",
        params={"format": "sdmx-json"},
    )
    assert response.headers["Content-Type"] == JSON20
    assert json.loads(response.body)["data"]["dataConstraints"][0]["role"] == "Actual"


@pytest.mark.parametrize(
    ("path", "accept", "offered"),
    [
        (("codelist", "ECB", "CL_FREQ"), JSON20, (STR21, JSON10)),
        (("datastructure", "ECB", "ECB_EXR1"), "text/csv", (STR21, JSON10)),
        (("availability", "dataflow", "ECB", "EXR", "~", "M.USD..."), JSON10, (STR30, JSON20)),
    ],
)
async def test_a_format_the_resource_cannot_write_is_406_listing_what_it_can(
    sdmx_provider, jp_fetch, path, accept, offered
):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("dataops", "sdmx", "LOCAL", *path, headers={"Accept": accept})
    body = json.loads(err.value.response.body)
    assert err.value.code == 406 and body["error"] == "not_acceptable"
    assert all(media in body["message"] for media in offered)


async def test_accept_ranks_json_over_xml_by_quality(sdmx_provider, jp_fetch):
    response = await jp_fetch(
        "dataops",
        "sdmx",
        "LOCAL",
        "codelist",
        "ECB",
        "CL_FREQ",
        headers={"Accept": f"{STR21};q=0.5, {JSON10}"},
    )
    assert response.headers["Content-Type"] == JSON10
    assert read_structure(response.body).codelists["CL_FREQ"].set_index("id").loc["M", "name"] == "Monthly"


def test_openapi_lists_the_media_types_each_structure_resource_writes():
    spec = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi-sdmx.yaml").read_text())
    checked = set()
    for path, item in spec["paths"].items():
        resource = path.split("/")[4] if path.startswith("/dataops/sdmx/") else None
        if resource in ("dataflow", "datastructure", "codelist", "availableconstraint", "availability"):
            offered = STRUCTURE_30_TYPES if resource == "availability" else STRUCTURE_TYPES
            documented = set(item["get"]["responses"]["200"]["content"])
            assert documented == {CONTENT_TYPES[("structure", f)] for f in set(offered.values())}, path
            assert "406" in item["get"]["responses"], path
            checked.add(resource)
    assert len(checked) == 5
