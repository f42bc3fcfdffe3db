"""SDMX REST 2.x paths of the standard SDMX endpoint (``structure/...`` and ``data/dataflow/...``),
through the real Jupyter server.

Each 2.x answer is read back (dataops' own reader; pysdmx validates SDMX-ML 3.0 against the SDMX
schemas) and compared with the REST 1.x answer to the same question.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pysdmx.io import read_sdmx
from pysdmx.io.json.sdmxjson2.reader.structure import read as pysdmx_read_json
from tornado.httpclient import HTTPClientError

from dataops.sdmx.readers import read_data, read_structure, table_metadata
from dataops.sdmx.rest.negotiation import CONTENT_TYPES, DATA_TYPES, STRUCTURE_30_TYPES
from tests.server.sdmx_fixtures import sdmx_provider  # noqa: F401

STR30 = "application/vnd.sdmx.structure+xml;version=3.0.0"
STR21 = "application/vnd.sdmx.structure+xml;version=2.1"
JSON20 = "application/vnd.sdmx.structure+json;version=2.0.0"
CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"
JSON_10 = "application/vnd.sdmx.data+json;version=1.0.0"
CSV_20 = "application/vnd.sdmx.data+csv;version=2.0.0"
JSON_20 = "application/vnd.sdmx.data+json;version=2.0.0"
EXR_DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]


async def _get(jp_fetch, *path, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return await jp_fetch("dataops", "sdmx", "LOCAL", *path, params=params, headers=headers)


def _same_structure(mine, theirs) -> None:
    assert [d.id for d in mine.dimensions] == [d.id for d in theirs.dimensions] == EXR_DIMS
    assert mine.time_dimension == theirs.time_dimension == "TIME_PERIOD"
    for a, b in zip(mine.dimensions, theirs.dimensions, strict=True):
        assert (a.name, a.codelist) == (b.name, b.codelist)
        assert a.codes.values.tolist() == b.codes.values.tolist(), a.id
    assert [(a.id, a.name, a.level) for a in mine.attributes] == [
        (a.id, a.name, a.level) for a in theirs.attributes
    ]
    assert {a.level for a in mine.attributes} == {"series", "group", "observation"}
    assert mine.primary_measure == theirs.primary_measure == "OBS_VALUE"


async def test_datastructure_as_sdmx_ml_3_is_the_default_and_equals_the_1_x_answer(sdmx_provider, jp_fetch):
    v2 = await _get(jp_fetch, "structure", "datastructure", "ECB", "ECB_EXR1", "~", references="children")
    v1 = await _get(jp_fetch, "datastructure", "ECB", "ECB_EXR1", "1.0", references="children")
    assert v2.headers["Content-Type"] == STR30 and "Accept" in v2.headers["Vary"]
    mine, theirs = read_structure(v2.body), read_structure(v1.body)
    _same_structure(mine.structures[0], theirs.structures[0])
    assert sorted(mine.codelists) == sorted(theirs.codelists) and "CL_CURRENCY" in mine.codelists
    # pysdmx validates the message against the SDMX-ML 3.0 schemas before reading it.
    message = read_sdmx(v2.body.decode(), validate=True)
    (dsd,) = message.get_data_structure_definitions()
    assert dsd.short_urn == "DataStructure=ECB:ECB_EXR1(1.0)"
    assert [c.id for c in dsd.components.dimensions] == [*EXR_DIMS, "TIME_PERIOD"]
    codes = {cl.id: len(cl.items) for cl in message.get_codelists()}
    assert codes["CL_CURRENCY"] == len(theirs.codelists["CL_CURRENCY"])


async def test_datastructure_as_sdmx_json_2_equals_the_1_x_answer(sdmx_provider, jp_fetch):
    v2 = await _get(
        jp_fetch, "structure", "datastructure", "*", "ECB_EXR1", "1.0", accept=JSON20, references="all"
    )
    v1 = await _get(jp_fetch, "datastructure", "ECB", "ECB_EXR1", references="children")
    assert v2.headers["Content-Type"] == JSON20
    _same_structure(read_structure(v2.body).structures[0], read_structure(v1.body).structures[0])
    assert json.loads(v2.body)["meta"]["schema"].endswith("2.0.0/sdmx-json-structure-schema.json")


async def test_datastructure_without_references_has_no_codelists(sdmx_provider, jp_fetch):
    response = await _get(jp_fetch, "structure", "datastructure", "ECB", "ECB_EXR1")
    parsed = read_structure(response.body)
    assert parsed.codelists == {} and [d.id for d in parsed.structures[0].dimensions] == EXR_DIMS


@pytest.mark.parametrize("accept", [None, JSON20])
async def test_all_dataflows_list_what_the_1_x_resource_lists(sdmx_provider, jp_fetch, accept):
    v2 = await _get(jp_fetch, "structure", "dataflow", "*", "*", "*", accept=accept)
    v1 = await _get(jp_fetch, "dataflow")
    assert v2.headers["Content-Type"] == (accept or STR30)
    assert read_structure(v2.body).dataflows == read_structure(v1.body).dataflows
    assert {f.id for f in read_structure(v2.body).dataflows} == {"EXR", "GOV_10Q_GGNFA"}
    if accept is None:
        flows = read_sdmx(v2.body.decode(), validate=True).get_dataflows()
        assert {f.short_urn for f in flows} >= {"Dataflow=ECB:EXR(1.0)"}


@pytest.mark.parametrize("version", ["~", "+", "1.0"])
async def test_one_dataflow_in_its_latest_version(sdmx_provider, jp_fetch, version):
    response = await _get(jp_fetch, "structure", "dataflow", "ECB", "EXR", version, accept=JSON20)
    (flow,) = read_structure(response.body).dataflows
    assert (flow.agency, flow.id, flow.structure_id) == ("ECB", "EXR", "ECB_EXR1")
    (theirs,) = pysdmx_read_json(response.body.decode()).structures
    assert theirs.short_urn == f"Dataflow=ECB:EXR({flow.version})"


@pytest.mark.parametrize(("flow", "version"), [("NO_SUCH_FLOW", "~"), ("EXR", "9.9")])
async def test_a_dataflow_the_source_lacks_is_404(sdmx_provider, jp_fetch, flow, version):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, "structure", "dataflow", "ECB", flow, version)
    assert err.value.code == 404 and flow in json.loads(err.value.response.body)["message"]


@pytest.mark.parametrize("accept", [None, JSON20])
async def test_codelist_has_the_codes_of_the_1_x_answer(sdmx_provider, jp_fetch, accept):
    v2 = await _get(jp_fetch, "structure", "codelist", "ECB", "CL_EXR_TYPE", "~", accept=accept)
    v1 = await _get(jp_fetch, "codelist", "ECB", "CL_EXR_TYPE", "latest")
    mine, theirs = read_structure(v2.body).codelists, read_structure(v1.body).codelists
    assert mine["CL_EXR_TYPE"].values.tolist() == theirs["CL_EXR_TYPE"].values.tolist()
    assert len(mine["CL_EXR_TYPE"]) == 36
    if accept is None:
        (cl,) = read_sdmx(v2.body.decode(), validate=True).get_codelists()
        assert len(cl.items) == 36


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        (("structure", "categoryscheme", "ECB", "X"), {}, "dataflow, datastructure, codelist"),
        (("structure", "codelist", "ECB", "*"), {}, "Name one codelist"),
        (("structure", "datastructure", "ECB", "ECB_EXR1"), {"references": "cousins"}, "references"),
        (
            ("structure", "codelist", "ECB", "CL_FREQ"),
            {"references": "parents"},
            "without the data structures",
        ),
        (("data", "dataflow", "ECB", "EXR", "~", "M.USD.EUR.SP00.A"), {"c[TIME_PERIOD]": "gt:2020"}, "ge:"),
        (("data", "dataflow", "ECB", "EXR", "~", "*"), {"c[COLOUR]": "RED"}, "no dimension COLOUR"),
        (("data", "dataflow", "ECB", "EXR", "~", "*"), {"c[CURRENCY]": "gt:USD"}, "takes codes"),
        (("data", "dataflow", "ECB", "EXR", "~", "*"), {"c[CURRENCY]": ""}, "takes codes"),
        (("data", "dataflow", "ECB", "EXR", "~", "*"), {"c[CURRENCY]": "USD+JPY"}, "in common"),
        (("data", "dataflow", "ECB", "EXR", "~", "M.JPY.EUR.SP00.A"), {"c[CURRENCY]": "USD"}, "in common"),
    ],
)
async def test_bad_2_x_requests_are_400_with_the_reason(sdmx_provider, jp_fetch, path, params, words):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, *path, **params)
    assert err.value.code == 400 and words in json.loads(err.value.response.body)["message"]


@pytest.mark.parametrize(
    ("path", "accept", "offered"),
    [
        (("structure", "datastructure", "ECB", "ECB_EXR1"), STR21, (STR30, JSON20)),
        (
            ("data", "dataflow", "ECB", "EXR", "1.0", "M.USD.EUR.SP00.A"),
            "application/vnd.sdmx.data+json;version=2.1.0",
            (CSV_10, CSV_20, JSON_10, JSON_20),
        ),
    ],
)
async def test_a_format_the_2_x_resource_cannot_write_is_406_listing_what_it_can(
    sdmx_provider, jp_fetch, path, accept, offered
):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, *path, accept=accept)
    body = json.loads(err.value.response.body)
    assert err.value.code == 406 and body["error"] == "not_acceptable"
    assert all(media in body["message"] for media in offered)


@pytest.mark.parametrize("accept", [CSV_10, CSV_20, JSON_10])
async def test_2_x_data_equals_the_1_x_answer(sdmx_provider, jp_fetch, accept):
    v2 = await _get(jp_fetch, "data", "dataflow", "ECB", "EXR", "1.0", "M.USD.EUR.SP00.A", accept=accept)
    v1 = await _get(jp_fetch, "data", "EXR", "M.USD.EUR.SP00.A", accept=accept)
    assert v2.headers["Content-Type"] == accept
    mine, theirs = read_data(v2.body), read_data(v1.body)
    assert mine.num_rows == 252 and mine.equals(theirs)
    if accept == CSV_20:
        assert v2.body.startswith(b"STRUCTURE,STRUCTURE_ID,ACTION,FREQ,")
        assert table_metadata(mine)["format"] == "sdmx-csv-2.0"


@pytest.mark.parametrize(
    ("v2_path", "v2_params", "v1_key", "v1_params"),
    [
        (("*", "EXR", "*", "M.*.EUR.SP00.A"), {}, "M..EUR.SP00.A", {}),
        (("ECB", "EXR", "~", "*"), {"c[CURRENCY]": "USD,JPY"}, "M.JPY+USD..SP00.", {}),
        (
            ("ECB", "EXR", "~", "M.USD+JPY.EUR.SP00.A"),
            {"c[TIME_PERIOD]": "ge:2010-01+le:2010-06"},
            "M.USD+JPY.EUR.SP00.A",
            {"startPeriod": "2010-01", "endPeriod": "2010-06"},
        ),
        (("ECB", "EXR"), {"lastNObservations": "3"}, "all", {"lastNObservations": "3"}),
    ],
)
async def test_2_x_keys_and_filters_select_what_the_1_x_query_selects(
    sdmx_provider, jp_fetch, v2_path, v2_params, v1_key, v1_params
):
    v2 = await _get(jp_fetch, "data", "dataflow", *v2_path, accept=CSV_10, **v2_params)
    v1 = await _get(jp_fetch, "data", "EXR", v1_key, accept=CSV_10, **v1_params)
    assert v2.headers["Content-Type"] == CSV_10
    mine, theirs = read_data(v2.body), read_data(v1.body)
    assert mine.num_rows > 0 and mine.equals(theirs)


async def test_time_period_filter_keeps_only_the_periods_asked_for(sdmx_provider, jp_fetch):
    response = await _get(
        jp_fetch,
        "data",
        "dataflow",
        "ECB",
        "EXR",
        "~",
        "M.USD.EUR.SP00.A",
        **{"c[TIME_PERIOD]": "ge:2010-01+le:2010-06"},
    )
    periods = read_data(response.body).column("TIME_PERIOD").to_pylist()
    assert [str(p) for p in periods] == [f"2010-0{m}" for m in range(1, 7)]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("eq:2010-03", ["2010-03"]),
        ("eq:2010", [f"2010-{m:02}" for m in range(1, 13)]),  # a year holds its twelve months
    ],
)
async def test_time_period_eq_keeps_exactly_that_period(sdmx_provider, jp_fetch, term, expected):
    response = await _get(
        jp_fetch, "data", "dataflow", "ECB", "EXR", "~", "M.USD.EUR.SP00.A", **{"c[TIME_PERIOD]": term}
    )
    periods = read_data(response.body).column("TIME_PERIOD").to_pylist()
    assert [str(p) for p in periods] == expected


def test_openapi_documents_the_2_x_paths_with_the_media_types_they_write():
    spec = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi-sdmx.yaml").read_text())
    structure = spec["paths"]["/dataops/sdmx/{source}/structure/{artefact_type}/{agency}/{id}/{version}"]
    data = spec["paths"]["/dataops/sdmx/{source}/data/dataflow/{agency}/{id}/{version}/{key}"]
    assert set(structure["get"]["responses"]["200"]["content"]) == {
        CONTENT_TYPES[("structure", f)] for f in set(STRUCTURE_30_TYPES.values())
    }
    assert set(data["get"]["responses"]["200"]["content"]) == {
        CONTENT_TYPES[("data", f)] for f in set(DATA_TYPES.values())
    }
    assert "406" in structure["get"]["responses"] and "406" in data["get"]["responses"]


@pytest.mark.parametrize("accept", [None, JSON20])
async def test_dataflow_with_all_references_carries_its_structure_codelists_and_concepts(
    sdmx_provider, jp_fetch, accept
):
    v2 = await _get(jp_fetch, "structure", "dataflow", "ECB", "EXR", "~", accept=accept, references="all")
    flows = await _get(jp_fetch, "dataflow", "ECB", "EXR", "latest")
    dsd = await _get(jp_fetch, "datastructure", "ECB", "ECB_EXR1", references="children")
    mine = read_structure(v2.body)
    assert mine.dataflows == read_structure(flows.body).dataflows
    _same_structure(mine.structures[0], read_structure(dsd.body).structures[0])
    assert sorted(mine.codelists) == sorted(read_structure(dsd.body).codelists)
    if accept is None:
        message = read_sdmx(v2.body.decode(), validate=True)
        assert [f.short_urn for f in message.get_dataflows()] == ["Dataflow=ECB:EXR(1.0)"]
        assert len(message.get_data_structure_definitions()) == 1 and message.get_codelists()


async def test_dataflow_children_are_its_structure_without_codelists(sdmx_provider, jp_fetch):
    response = await _get(jp_fetch, "structure", "dataflow", "ECB", "EXR", references="children")
    parsed = read_structure(response.body)
    assert [f.id for f in parsed.dataflows] == ["EXR"] and parsed.codelists == {}
    assert [d.id for d in parsed.structures] == ["ECB_EXR1"]


async def test_all_data_structures_are_those_of_the_1_x_resource(sdmx_provider, jp_fetch):
    v2 = await _get(jp_fetch, "structure", "datastructure", "*", "*", "~", references="children")
    mine = {d.id: d for d in read_structure(v2.body).structures}
    assert set(mine) == {"ECB_EXR1", "GOV_10Q_GGNFA"}
    v1 = await _get(jp_fetch, "datastructure", "ECB", "ECB_EXR1", references="children")
    _same_structure(mine["ECB_EXR1"], read_structure(v1.body).structures[0])
    message = read_sdmx(v2.body.decode(), validate=True)
    assert len(message.get_data_structure_definitions()) == 2


async def test_data_structure_parents_are_the_dataflows_using_it(sdmx_provider, jp_fetch):
    response = await _get(
        jp_fetch, "structure", "datastructure", "ECB", "ECB_EXR1", accept=JSON20, references="parents"
    )
    parsed = read_structure(response.body)
    assert [f.id for f in parsed.dataflows] == ["EXR"] and [d.id for d in parsed.structures] == ["ECB_EXR1"]


async def test_dataflows_listed_with_a_comma_are_both_served(sdmx_provider, jp_fetch):
    response = await _get(jp_fetch, "structure", "dataflow", "*", "EXR,GOV_10Q_GGNFA", "~")
    assert {f.id for f in read_structure(response.body).dataflows} == {"EXR", "GOV_10Q_GGNFA"}


@pytest.mark.parametrize(
    ("path", "media"),
    [
        (("availability", "dataflow", "ECB", "EXR", "~", "M.USD..."), STR30),
        (("availableconstraint", "EXR", "M.USD...", "all", "all"), STR21),
    ],
)
async def test_availability_as_sdmx_ml_is_schema_valid_and_attached_to_the_dataflow(
    sdmx_provider, jp_fetch, path, media
):
    response = await _get(jp_fetch, *path)
    assert response.headers["Content-Type"] == media
    (constraint,) = read_sdmx(response.body.decode(), validate=True).structures
    assert constraint.constraint_attachment.dataflows == (
        "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ECB:EXR(1.0)",
    )
    codes = {kv.id: [v.value for v in kv.values] for kv in constraint.cube_region.key_values}
    assert codes["CURRENCY"] == ["USD"]
