"""The metadata editors' REST API: list and read artefacts of the working copy, preview and save an
edited constraint or codelist, its diff against a deployment branch, and the process configuration form."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from dataops.metadata import Registry, import_message
from dataops.promotion.access import Identity
from dataops.promotion.config import Environment
from dataops.promotion.plan import build_plan
from dataops.promotion.submit import submit
from dataops.promotion.targets.git import GitTarget
from tests.fakes.git_http import git_server, make_bare_repo  # noqa: F401
from tests.metadata.test_processes import write_process

FLOW = "ECB:EXR(1.0)"


async def _call(jp_fetch, *path, body=None, method=None, params=None):
    kwargs: dict = {"method": method or ("POST" if body is not None else "GET")}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    if params:
        kwargs["params"] = params
    try:
        response = await jp_fetch("dataops", "api", "registry", *path, **kwargs)
        return response.code, json.loads(response.body)
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)


@pytest.fixture
def work(jp_root_dir, shared_dir):
    """ECB EXR's artefacts (version 1.0 each) in the folder the server works in."""
    import_message(jp_root_dir, shared_dir / "sdmx-samples/ECB_EXR/1/structure-full.xml")
    return jp_root_dir


def _drop(constraint: dict, dimension: str, code: str) -> dict:
    for region in constraint["regions"]:
        for kv in region["key_values"]:
            if kv["id"] == dimension:
                kv["values"] = [v for v in kv["values"] if v != code]
    return constraint


async def test_the_listing_names_every_artefact_version_with_its_file(work, jp_fetch):
    code, body = await _call(jp_fetch, "artefacts")
    assert code == 200
    flows = [a for a in body["artefacts"] if a["kind"] == "dataflow"]
    assert flows == [
        {
            "kind": "dataflow",
            "agency": "ECB",
            "id": "EXR",
            "version": "1.0",
            "name": "Exchange Rates",
            "file": "metadata/dataflows/ECB+EXR+1.0.xml",
        }
    ]
    code, cl = await _call(jp_fetch, "artefacts", "codelist", "ECB", "CL_FREQ", "latest")
    assert (
        code == 200
        and {"id": "A", "name": "Annual", "parent": "", "names": [["en", "Annual"]]} in cl["codes"]
    )


async def test_removing_an_allowed_code_proposes_a_major_version_and_saving_writes_it(work, jp_fetch):
    code, form = await _call(jp_fetch, "constraints", params={"flow": FLOW})
    assert code == 200
    assert [d["id"] for d in form["dimensions"]][:2] == ["FREQ", "CURRENCY"]
    constraint = _drop(form["constraint"], "CURRENCY", "USD")
    code, shown = await _call(jp_fetch, "preview", body={"artefact": constraint})
    assert code == 200
    assert shown["base_version"] == "1.0" and shown["proposed_version"] == "2.0.0"
    assert shown["changes"] == [{"what": "CURRENCY no longer allows USD", "bump": "major"}]
    code, saved = await _call(jp_fetch, "artefacts", body={"artefact": constraint})
    assert code == 201 and saved["version"] == "2.0.0"
    assert saved["file"] == "metadata/dataconstraints/ECB+EXR_CONSTRAINTS+2.0.0.xml"
    latest = Registry.open(work).get("dataconstraint", "ECB", "EXR_CONSTRAINTS")
    assert (
        latest.version == "2.0.0"
        and "USD" not in dict((kv.id, kv.values) for kv in latest.regions[0].key_values)["CURRENCY"]
    )
    code, again = await _call(jp_fetch, "artefacts", body={"artefact": {**constraint, "version": "2.0.0"}})
    assert code == 400 and again["message"].endswith("is unchanged from version 2.0.0; nothing was saved.")


async def test_a_new_code_in_a_codelist_is_a_minor_version(work, jp_fetch):
    code, cl = await _call(jp_fetch, "artefacts", "codelist", "ECB", "CL_FREQ", "1.0")
    cl["codes"].append({"id": "F", "name": "Fortnightly", "parent": "", "names": [["en", "Fortnightly"]]})
    code, saved = await _call(jp_fetch, "artefacts", body={"artefact": cl})
    assert code == 201 and saved["version"] == "1.1.0"
    assert saved["changes"] == [{"what": "codes added: F", "bump": "minor"}]


async def test_a_malformed_edit_is_refused_naming_the_field(work, jp_fetch):
    code, body = await _call(jp_fetch, "preview", body={"artefact": {"kind": "dataflow"}})
    assert code == 400
    assert body["message"] == "Only dataconstraint and codelist artefacts can be edited here, not 'dataflow'."
    code, body = await _call(jp_fetch, "artefacts", body={"artefact": {"kind": "codelist", "agency": "ECB"}})
    assert code == 400 and body["message"] == "'id' must be non-empty text."


async def test_the_diff_against_the_deployment_branch(work, jp_fetch, dataops_config, git_server):  # noqa: F811
    make_bare_repo(git_server.root, "deploy")
    dataops_config.write_text(
        f'[[promotion.environments]]\nid = "test"\nbranch = "deploy/test"\nremote = "{git_server.url}/deploy.git"\n'
    )
    _, form = await _call(jp_fetch, "constraints", params={"flow": FLOW})
    edited = _drop(form["constraint"], "CURRENCY", "USD")
    code, body = await _call(jp_fetch, "diff", body={"artefact": edited, "environment": "test"})
    assert code == 200 and body["branch_version"] is None  # nothing promoted yet
    remote = f"{git_server.url}/deploy.git"
    files = sorted(p.relative_to(work).as_posix() for p in (work / "metadata").rglob("*.xml"))
    env = Environment("test", "deploy/test", remote=remote)
    plan = build_plan(work, files[0], env, GitTarget(remote), Identity("alice"), extra_files=files[1:])
    submit(plan, GitTarget(remote), work / "audit.jsonl", "ECB EXR")
    code, body = await _call(jp_fetch, "diff", body={"artefact": edited, "environment": "test"})
    assert code == 200 and body["branch"] == "deploy/test" and body["branch_version"] == "1.0"
    assert body["changes"] == [{"what": "CURRENCY no longer allows USD", "bump": "major"}]


async def test_the_process_configuration_form_and_saving_new_values(work, jp_fetch):
    write_process(work)
    code, form = await _call(jp_fetch, "processes", "exr_daily")
    assert code == 200
    assert form["version"] == "1.0.0" and form["next_version"] == "1.1.0"
    assert form["schema"]["properties"]["max_missing_share"]["maximum"] == 0.5
    assert form["values"]["max_missing_share"] == 0.1
    values = {**form["values"], "max_missing_share": 0.9}
    code, body = await _call(jp_fetch, "processes", "exr_daily", method="PUT", body={"values": values})
    assert code == 422
    assert "max_missing_share: 0.9 is greater than the maximum of 0.5" in body["message"]
    assert "max_missing_share = 0.1" in (work / "processes/exr_daily.toml").read_text()  # nothing written
    values["max_missing_share"] = 0.2
    code, body = await _call(jp_fetch, "processes", "exr_daily", method="PUT", body={"values": values})
    assert code == 200 and body["version"] == "1.1.0"
    code, form = await _call(jp_fetch, "processes", "exr_daily")
    assert form["version"] == "1.1.0" and form["values"]["max_missing_share"] == 0.2


async def test_the_preview_counts_the_stored_series_using_a_dropped_code(
    work, jp_fetch, dataops_config, tmp_path, shared_dir
):
    from dataops.sdmx.readers import read_data
    from dataops.settings import resolve
    from dataops.store.service import write
    from tests.metadata.store_config import store_sources

    store_sources(dataops_config, tmp_path, {"STORE": (work, "")})
    _, dsd = Registry.open(work).structure_for(FLOW)
    usd = read_data(shared_dir / "sdmx-samples/ECB_EXR/1/M.USD.EUR.SP00.A.xml", dsd)
    write(resolve().config, "STORE", "ECB:EXR", usd)
    _, form = await _call(jp_fetch, "constraints", params={"flow": FLOW})

    code, shown = await _call(
        jp_fetch, "preview", body={"artefact": _drop(form["constraint"], "CURRENCY", "USD")}
    )

    assert code == 200
    assert [a["sentence"] for a in shown["affected"]] == [
        "1 stored series uses USD (CURRENCY of ECB:EXR), e.g. M.USD.EUR.SP00.A"
    ]
