"""The Launcher's examples and templates: listed with their titles, served as files to create, and
a new process whose BPMN, configuration and steps module match each other."""

from __future__ import annotations

import json
import re

import pytest
from tornado.httpclient import HTTPClientError

from dataops.metadata.processes import load_config
from dataops.metadata.registry import Registry
from dataops.workflows.steps import StepsFolder


async def get(jp_fetch, *path: str, **params: str) -> dict:
    response = await jp_fetch("dataops", "api", "guide", *path, params=params)
    return json.loads(response.body)


async def test_the_catalogue_lists_every_example_and_template_with_its_title(jp_fetch):
    body = await get(jp_fetch)
    assert [e["name"] for e in body["examples"]] == [
        "01_read_and_chart.ipynb",
        "02_vintages_and_revisions.ipynb",
        "03_production_run.ipynb",
        "04_try_a_step.ipynb",
        "05_regression_test.ipynb",
        "06_promote_and_follow.ipynb",
    ]
    assert body["examples"][0]["title"] == "Read SDMX series into pandas and chart them"
    assert {t["name"]: t["needs_key"] for t in body["templates"]} == {
        "step": False,
        "regression-test": False,
        "process": True,
    }


async def test_an_example_is_served_as_a_notebook_to_create(jp_fetch):
    (file,) = (await get(jp_fetch, "examples", "04_try_a_step.ipynb"))["files"]
    assert (file["path"], file["type"], file["format"]) == ("04_try_a_step.ipynb", "notebook", "json")
    assert any("wf.try_step" in "".join(c["source"]) for c in file["content"]["cells"])


async def test_a_new_process_has_a_bpmn_a_configuration_and_steps_for_each_of_its_tasks(jp_fetch, tmp_path):
    files = (await get(jp_fetch, "templates", "process", key="monthly_bop"))["files"]
    by_path = {f["path"]: f["content"] for f in files}
    assert sorted(by_path) == [
        "processes/monthly_bop.bpmn",
        "processes/monthly_bop.schema.json",
        "processes/monthly_bop.toml",
        "steps/monthly_bop.py",
    ]
    # The configuration meets the schema shipped with it: a worker hands it to the steps.
    registry = Registry({p: c.encode() for p, c in by_path.items() if p.startswith("processes/")}, "template")
    config = load_config(registry, "monthly_bop")
    assert (config.version, config.values) == ("1.0.0", {"source": "SAMPLES", "minimum_rows": 1})
    bpmn = by_path["processes/monthly_bop.bpmn"]
    assert 'bpmn:process id="monthly_bop"' in bpmn
    topics = set(re.findall(r'camunda:topic="([^"]+)"', bpmn))
    (tmp_path / "monthly_bop.py").write_text(by_path["steps/monthly_bop.py"])
    folder = StepsFolder(tmp_path)
    try:
        folder.refresh()
        assert set(folder.registry.topics) == topics == {"monthly_bop_fetch", "monthly_bop_check"}
    finally:
        folder.close()


@pytest.mark.parametrize(
    ("path", "params", "code", "sentence"),
    [
        (
            ("templates", "process"),
            {"key": "Monthly BoP"},
            400,
            "A process name starts with a lower-case letter",
        ),
        (("templates", "process"), {}, 400, "A process name starts with a lower-case letter"),
        (("templates", "dashboard"), {}, 404, "There is no template 'dashboard'"),
        (("examples", "..%2Fguide.py"), {}, 404, "There is no example"),
    ],
)
async def test_bad_requests_get_a_sentence(jp_fetch, path, params, code, sentence):
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("dataops", "api", "guide", *path, params=params)
    assert caught.value.code == code
    assert sentence in json.loads(caught.value.response.body)["message"]
