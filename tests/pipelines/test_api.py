"""The notebook API: dataops.list_pipelines(env=...) and dataops.pipeline(id).logs(follow=True)."""

from __future__ import annotations

import asyncio
import io

import pytest

import dataops
from dataops.errors import Forbidden, NotConfigured, NotFound
from dataops.pipelines.gitlab import GitLabCI
from tests.pipelines.conftest import REGRESSION_LOG


async def _trigger(ci_project):
    async with GitLabCI(ci_project.url, ci_project.token, "stats/deployment") as ci:
        return await ci.trigger("deploy/test", {"WHY": "notebook"})


def test_pipelines_of_an_environment_and_following_a_pipelines_logs(ci_config):
    assert dataops.list_pipelines(env="test") == []
    created = asyncio.run(_trigger(ci_config))

    out = io.StringIO()
    assert dataops.pipeline(created.id).logs(follow=True, interval=0.1, out=out) is None

    text = out.getvalue()
    assert "".join(REGRESSION_LOG) in text  # every byte once, in order
    assert text.count("PASSED   notebooks/a.ipynb") == 1
    assert "── regression (regression, job" in text and "published processes/monthly.bpmn" in text
    assert f"── pipeline #{created.id}: success in " in text
    (listed,) = dataops.list_pipelines(env="test")
    assert (listed.id, listed.status, listed.user) == (created.id, "success", "alice")
    assert [j.status for j in listed.jobs] == ["success", "success"]
    report = dataops.pipeline(created.id).test_report()
    assert (report.total, report.failed) == (3, 1)
    job_log = dataops.pipeline(created.id).logs("publish-processes")
    assert job_log.endswith("published processes/monthly.bpmn\n")


def test_an_environment_without_gitlab_has_no_pipelines(ci_config):
    with pytest.raises(NotConfigured, match="plain git remote"):
        dataops.list_pipelines(env="dev")


def test_pipelines_of_an_environment_you_may_not_see_are_refused(ci_config, dataops_config):
    dataops_config.write_text(
        dataops_config.read_text().replace("protected = true", 'protected = true\nallowed_users = ["rita"]')
    )

    async def prod_pipeline():
        async with GitLabCI(ci_config.url, ci_config.token, "stats/deployment") as ci:
            return await ci.trigger("deploy/prod", {})

    created = asyncio.run(prod_pipeline())
    with pytest.raises(Forbidden, match="Only rita may see the pipelines of prod"):
        dataops.list_pipelines(env="prod")
    with pytest.raises(Forbidden, match="Only rita may see the pipelines of prod"):
        dataops.pipeline(created.id)
    with pytest.raises(NotFound, match=f"Pipeline {created.id} did not run on test's branch deploy/test"):
        dataops.pipeline(created.id, env="test").logs()
