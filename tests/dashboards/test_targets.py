"""Shiny Server and Voilà targets against the real servers: an app published to a site folder is
served on its URL with the data it reads from a source, replaced whole by the next publication, and
listed from the site itself."""

from __future__ import annotations

import shutil

import httpx
import pytest

from dataops.config import load_config
from dataops.dashboards.discovery import discover
from dataops.dashboards.publish import publish_dashboards, published_dashboards
from dataops.dashboards.site import VERSIONS
from dataops.dashboards.targets import ShinyServerTarget, VoilaTarget
from dataops.errors import ConfigError, DataOpsError, InvalidInput, NotConfigured
from tests.dashboards.apps import latest_observation, shiny_app, voila_notebook
from tests.dashboards.servers import SAMPLES, samples_server, shiny_server, voila_server, world_readable_dir
from tests.workflows.support import wait_until


@pytest.fixture
def site():
    path = world_readable_dir("dataops-dash-site-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def source():
    with samples_server() as url:
        yield url


def test_the_dashboards_folder_holds_shiny_apps_and_notebooks(tmp_path):
    shiny_app(tmp_path / "dashboards" / "rates", "http://x/")
    split = tmp_path / "dashboards" / "split"
    split.mkdir()
    (split / "ui.R").write_text("")
    (split / "server.R").write_text("")
    voila_notebook(tmp_path / "dashboards" / "overview.ipynb", "http://x/")
    voila_notebook(tmp_path / "dashboards" / "alone" / "report.ipynb", "http://x/")
    (tmp_path / "dashboards" / "notes").mkdir()
    (tmp_path / "dashboards" / "README.md").write_text("")

    found = [(a.name, a.kind) for a in discover(tmp_path)]

    assert found == [("report", "voila"), ("overview", "voila"), ("rates", "shiny"), ("split", "shiny")]


def test_two_apps_of_one_name_are_refused(tmp_path):
    shiny_app(tmp_path / "dashboards" / "rates", "http://x/")
    voila_notebook(tmp_path / "dashboards" / "rates.ipynb", "http://x/")
    with pytest.raises(InvalidInput, match="have the same name 'rates'"):
        discover(tmp_path)


def test_a_shiny_app_is_served_by_shiny_server_with_its_data_and_replaced_whole(tmp_path, site, source):
    app = shiny_app(tmp_path / "dashboards" / "rates", source)
    target = ShinyServerTarget(site, "http://unused/")
    (first,) = discover(tmp_path)
    target.publish(first, commit="a" * 40)
    period, value = latest_observation(SAMPLES)

    with shiny_server(site) as base:
        target.url = base
        page = httpx.get(f"{base}rates/", timeout=120)
        assert page.status_code == 200
        assert "EUR/USD exchange rate" in page.text
        assert f"Latest {period}: {value}" in page.text

        shiny_app(app, source, title="EUR/USD, monthly")
        done = target.publish(first, commit="b" * 40)
        assert (done.url, done.commit) == (f"{base}rates/", "b" * 40)
        wait_until(
            lambda: "EUR/USD, monthly" in httpx.get(f"{base}rates/", timeout=120).text,
            timeout=120,
            what="the new version served",
        )

    (listed,) = target.published()
    assert (listed.name, listed.kind, listed.target, listed.commit) == (
        "rates",
        "shiny",
        "shiny-server",
        "b" * 40,
    )
    assert listed.published_at == done.published_at
    assert len(list((site / VERSIONS).iterdir())) == 1  # the first version is gone


def test_a_notebook_is_shown_by_voila_with_its_output(tmp_path, site, source):
    voila_notebook(tmp_path / "dashboards" / "overview.ipynb", source)
    # a notebook alone in its folder is published with the folder (its data files, its modules)
    voila_notebook(tmp_path / "dashboards" / "detail" / "detail.ipynb", source)
    (tmp_path / "dashboards" / "detail" / "notes.txt").write_text("EUR/USD notes")
    target = VoilaTarget(site, "http://unused/")
    detail, app = discover(tmp_path)
    period, value = latest_observation(SAMPLES)

    with voila_server(site) as base:
        target.url = base
        done = target.publish(app, commit="c" * 40)
        assert done.url == f"{base}voila/render/overview/overview.ipynb"
        page = httpx.get(done.url, timeout=180)
        target.publish(detail, commit="c" * 40)

    assert page.status_code == 200
    assert f"Latest {period}: {value}" in page.text
    assert [p.name for p in target.published()] == ["detail", "overview"]
    assert (site / "detail" / "notes.txt").read_text() == "EUR/USD notes"


def test_publishing_a_checkout_sends_each_app_to_its_kind_of_target(tmp_path, site, dataops_config):
    checkout = tmp_path / "checkout"
    shiny_app(checkout / "dashboards" / "rates", "http://x/")
    voila_notebook(checkout / "dashboards" / "overview.ipynb", "http://x/")
    dataops_config.write_text(
        f"""
[[dashboards.environments]]
id = "dev"
shiny = {{ target = "shiny-server", site_dir = "{site / "shiny"}", url = "http://dash:3838/dev" }}
voila = {{ target = "voila", site_dir = "{site / "voila"}", url = "http://dash:8866/" }}
"""
    )
    done = publish_dashboards(load_config(), "dev", checkout, commit="d" * 40)

    assert [(p.name, p.target, p.url) for p in done] == [
        ("overview", "voila", "http://dash:8866/voila/render/overview/overview.ipynb"),
        ("rates", "shiny-server", "http://dash:3838/dev/rates/"),
    ]
    assert [p.as_json() for p in published_dashboards(load_config(), "dev")] == [p.as_json() for p in done]
    assert published_dashboards(load_config(), "prod") == []


def test_an_environment_without_a_target_for_an_app_publishes_nothing(tmp_path, site, dataops_config):
    checkout = tmp_path / "checkout"
    shiny_app(checkout / "dashboards" / "rates", "http://x/")
    voila_notebook(checkout / "dashboards" / "overview.ipynb", "http://x/")
    dataops_config.write_text(
        f'[[dashboards.environments]]\nid = "dev"\nvoila = {{ site_dir = "{site}", url = "http://d/" }}\n'
    )
    with pytest.raises(NotConfigured, match="publishes no shiny dashboards"):
        publish_dashboards(load_config(), "dev", checkout, commit="e" * 40)
    assert list(site.iterdir()) == []


def test_a_wrong_dashboards_entry_says_what_is_wrong(dataops_config):
    dataops_config.write_text('[[dashboards.environments]]\nid = "dev"\nshiny = { target = "rsconnect" }\n')
    with pytest.raises(ConfigError, match="unknown shiny target 'rsconnect'"):
        published_dashboards(load_config(), "dev")
    dataops_config.write_text('[[dashboards.environments]]\nid = "dev"\nshiny = { url = "http://d/" }\n')
    with pytest.raises(ConfigError, match="needs site_dir"):
        published_dashboards(load_config(), "dev")


def test_a_folder_the_site_did_not_publish_is_never_replaced(tmp_path, site):
    shiny_app(tmp_path / "dashboards" / "rates", "http://x/")
    (site / "rates").mkdir()
    (site / "rates" / "app.R").write_text("# someone else's")
    (app,) = discover(tmp_path)
    with pytest.raises(DataOpsError, match="is not a dashboard this site published"):
        ShinyServerTarget(site, "http://d/").publish(app, commit="f" * 40)
    assert (site / "rates" / "app.R").read_text() == "# someone else's"
