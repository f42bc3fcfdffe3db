"""The SDMX REST endpoint serves a metadata registry's structures, every version, through the real server."""

from __future__ import annotations

import dataclasses
import json

import pytest
from pysdmx.io import read_sdmx
from tornado.httpclient import HTTPClientError

from dataops.metadata import CubeRegion, KeyValue, Registry, import_message, save
from dataops.metadata.sdmxml import read_artefacts
from dataops.sdmx.readers import read_structure

STR30 = "application/vnd.sdmx.structure+xml;version=3.0.0"


@pytest.fixture
def registry_source(shared_dir, dataops_config, tmp_path):
    """A ``metadata`` source over ECB EXR's artefacts, with the dataflow in versions 1.0 and 1.0.1."""
    folder = tmp_path / "deploy"
    import_message(folder, shared_dir / "sdmx-samples/ECB_EXR/1/structure-full.xml")
    flow = Registry.open(folder).get("dataflow", "ECB", "EXR")
    save(folder, dataclasses.replace(flow, version="1.0.1", name="Euro foreign exchange reference rates"))
    dataops_config.write_text(
        f'[[sources]]\nid = "ORG"\nname = "Our registry"\napi = "metadata"\nurl = "{folder}"\n'
    )
    return folder


async def _get(jp_fetch, *path, **params):
    return await jp_fetch("dataops", "sdmx", "ORG", *path, params=params)


async def test_every_version_of_a_dataflow_is_served_and_validates(registry_source, jp_fetch):
    response = await _get(jp_fetch, "structure", "dataflow", "ECB", "EXR", "*")
    assert response.headers["Content-Type"] == STR30
    flows = read_sdmx(response.body.decode(), validate=True).get_dataflows()
    assert sorted(f.short_urn for f in flows) == ["Dataflow=ECB:EXR(1.0)", "Dataflow=ECB:EXR(1.0.1)"]
    latest = await _get(jp_fetch, "structure", "dataflow", "ECB", "EXR", "~")
    (flow,) = read_structure(latest.body).dataflows
    assert (flow.version, flow.name) == ("1.0.1", "Euro foreign exchange reference rates")
    old = await _get(jp_fetch, "structure", "dataflow", "ECB", "EXR", "1.0")
    assert read_structure(old.body).dataflows[0].name == "Exchange Rates"


async def test_the_data_structure_is_served_with_the_registry_s_codelists(registry_source, jp_fetch):
    response = await _get(
        jp_fetch, "structure", "datastructure", "ECB", "ECB_EXR1", "1.0", references="children"
    )
    message = read_sdmx(response.body.decode(), validate=True)
    (dsd,) = message.get_data_structure_definitions()
    assert dsd.short_urn == "DataStructure=ECB:ECB_EXR1(1.0)"
    assert {cl.id: len(cl.items) for cl in message.get_codelists()}["CL_CURRENCY"] == 355


async def test_a_version_the_registry_lacks_is_404(registry_source, jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, "structure", "dataflow", "ECB", "EXR", "9.0.0")
    assert err.value.code == 404 and "EXR" in json.loads(err.value.response.body)["message"]


async def test_the_data_panel_lists_the_registry_as_a_source_without_availability(registry_source, jp_fetch):
    response = await jp_fetch("dataops", "api", "sdmx", "sources")
    (source,) = [s for s in json.loads(response.body)["sources"] if s["id"] == "ORG"]
    assert (source["api"], source["availability"]) == ("metadata", False)
    flows = await jp_fetch("dataops", "api", "sdmx", "sources", "ORG", "dataflows")
    assert sorted((f["id"], f["version"]) for f in json.loads(flows.body)["dataflows"]) == [
        ("EXR", "1.0"),
        ("EXR", "1.0.1"),
    ]


async def test_both_versions_of_a_narrowed_constraint_are_served(registry_source, jp_fetch):
    con = Registry.open(registry_source).get("dataconstraint", "ECB", "EXR_CONSTRAINTS")
    (region,) = con.regions
    kvs = tuple(
        KeyValue(kv.id, tuple(c for c in kv.values if c != "USD")) if kv.id == "CURRENCY" else kv
        for kv in region.key_values
    )
    save(registry_source, dataclasses.replace(con, version="2.0.0", regions=(CubeRegion(True, kvs),)))
    every = await _get(jp_fetch, "structure", "dataconstraint", "ECB", "EXR_CONSTRAINTS", "*")
    assert every.headers["Content-Type"] == STR30
    served = read_sdmx(every.body.decode(), validate=True).structures
    assert sorted(c.short_urn for c in served) == [
        "DataConstraint=ECB:EXR_CONSTRAINTS(1.0)",
        "DataConstraint=ECB:EXR_CONSTRAINTS(2.0.0)",
    ]
    latest = await _get(jp_fetch, "structure", "dataconstraint", "ECB", "EXR_CONSTRAINTS", "~")
    (mine,) = read_artefacts(latest.body, "answer")
    assert mine.version == "2.0.0" and "USD" not in next(
        kv.values for kv in mine.regions[0].key_values if kv.id == "CURRENCY"
    )


async def test_a_source_that_is_not_a_registry_serves_no_constraints(
    registry_source, jp_fetch, dataops_config, tmp_path
):
    dataops_config.write_text(
        f'[[sources]]\nid = "FOLDER"\nname = "Files"\napi = "files"\nurl = "{tmp_path}"\n'
    )
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("dataops", "sdmx", "FOLDER", "structure", "dataconstraint", "ECB", "X")
    assert err.value.code == 404
    assert json.loads(err.value.response.body)["message"] == (
        "The source FOLDER serves no content constraints; a metadata source does."
    )
