"""The loop for dashboards: a Shiny app and a Voilà notebook promoted to a plain git dev environment
with local pipelines; the generated pipeline's deploy job publishes them, and the real Shiny Server and
Voilà server answer on their URLs with the data the apps read from a source."""

from __future__ import annotations

import shutil

import httpx
import nbformat
import pytest

import dataops
from dataops.config import load_config
from dataops.dashboards.publish import published_dashboards
from tests.dashboards.apps import latest_observation, shiny_app, voila_notebook
from tests.dashboards.servers import (
    REPO,
    SAMPLES,
    samples_server,
    shiny_server,
    voila_server,
    world_readable_dir,
)
from tests.pipelines.deployment import git, local_pipelines_config, seeded_remote
from tests.workflows.support import wait_until

REGRESSION = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert 1 + 1 == 2")]))


@pytest.fixture
def sites():
    shiny, voila = world_readable_dir("dataops-dash-shiny-"), world_readable_dir("dataops-dash-voila-")
    yield shiny, voila
    shutil.rmtree(shiny, ignore_errors=True)
    shutil.rmtree(voila, ignore_errors=True)


def finished(sha: str):
    found = [p for p in dataops.list_pipelines(env="dev") if p.sha == sha]
    return found[0] if found and found[0].finished else None


def test_promoted_dashboards_are_published_by_the_pipeline_and_answer_with_their_data(
    tmp_path, dataops_config, gitlab_ci_local, sites, monkeypatch
):
    # The pipeline's jobs call `dataops`: this checkout's package, whatever the venv's entry point is.
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    shiny_site, voila_site = sites
    remote = seeded_remote(tmp_path, {"notebooks/check.ipynb": REGRESSION})
    period, value = latest_observation(SAMPLES)
    with (
        samples_server() as source,
        shiny_server(shiny_site) as shiny_url,
        voila_server(voila_site) as voila_url,
    ):
        dataops_config.write_text(
            local_pipelines_config(tmp_path, remote, gitlab_ci_local)
            + f"""
[[dashboards.environments]]
id = "dev"
shiny = {{ target = "shiny-server", site_dir = "{shiny_site}", url = "{shiny_url}" }}
voila = {{ target = "voila", site_dir = "{voila_site}", url = "{voila_url}" }}
"""
        )
        app = shiny_app(tmp_path / "work" / "rates", source)
        (app / "README.md").write_text("Monthly EUR/USD.\n")
        first = dataops.promote_dashboard(app, env="dev")
        notebook = voila_notebook(tmp_path / "work" / "overview.ipynb", source)
        second = dataops.promote_dashboard(notebook, env="dev")

        tree = git("ls-tree", "-r", "--name-only", second.commit_sha, cwd=remote).splitlines()
        assert {
            "dashboards/rates/app.R",
            "dashboards/rates/README.md",
            "dashboards/overview/overview.ipynb",
        } <= set(tree)
        for promotion in (first, second):
            pipeline = wait_until(
                lambda p=promotion: finished(p.commit_sha), timeout=600, what="the pipeline"
            )
            assert pipeline.status == "success", dataops.pipeline(pipeline.id, env="dev").logs(
                "publish-dashboards"
            )
            assert ("publish-dashboards", "success") in [(j.name, j.status) for j in pipeline.jobs]

        listed = {p.name: p for p in published_dashboards(load_config(), "dev")}
        assert listed["rates"].url == f"{shiny_url}rates/"
        assert listed["overview"].commit == second.commit_sha
        shiny_page = httpx.get(listed["rates"].url, timeout=120)
        voila_page = httpx.get(listed["overview"].url, timeout=180)

    assert shiny_page.status_code == 200
    assert "EUR/USD exchange rate" in shiny_page.text and f"Latest {period}: {value}" in shiny_page.text
    assert voila_page.status_code == 200 and f"Latest {period}: {value}" in voila_page.text
