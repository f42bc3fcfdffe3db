"""``GET /dataops/api/status`` tells the panels what is configured."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_dataops import __version__


async def test_status_reports_version_and_unconfigured_backends(jp_fetch):
    response = await jp_fetch("dataops", "api", "status")
    body = json.loads(response.body)
    assert body["version"] == __version__
    assert body["capabilities"]["workflows"] == {
        "configured": False,
        "summary": "No workflow engine configured — see Settings",
    }
    assert body["capabilities"]["data"]["summary"] == "0 data sources configured"
    assert body["capabilities"]["promotion"]["configured"] is False


@pytest.fixture
def configured(dataops_config):
    dataops_config.write_text(
        """
[[sources]]
id = "ECB"
name = "ECB Data Portal"
url = "https://data-api.ecb.europa.eu/service"

[[sources]]
id = "LOCAL"
name = "Local files"
url = "file:///data/sdmx"
api = "files"

[workflows]
engine_url = "http://localhost:8080/engine-rest"

[[promotion.environments]]
id = "dev"
branch = "deploy/dev"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
protected = true
"""
    )


async def test_status_counts_configured_backends(configured, jp_fetch):
    body = json.loads((await jp_fetch("dataops", "api", "status")).body)["capabilities"]
    assert body["data"] == {"configured": True, "summary": "2 data sources configured"}
    assert body["workflows"]["summary"] == "Workflow engine at http://localhost:8080/engine-rest"
    assert body["promotion"]["summary"] == "2 environments: dev, prod"


async def test_unknown_endpoint_is_a_json_404(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("dataops", "api", "no-such-thing")
    assert err.value.code == 404
    body = json.loads(err.value.response.body)
    assert body["error"] == "not_found"
    assert "no-such-thing" in body["message"]


async def test_broken_configuration_is_reported_not_crashed(dataops_config, jp_fetch):
    dataops_config.write_text("[[sources]]\nid = 'X'\nbogus = 1\n")
    body = json.loads((await jp_fetch("dataops", "api", "status")).body)["capabilities"]
    assert body["data"]["configured"] is False
    assert body["data"]["summary"].startswith("Configuration error: Source entry 'X' is invalid")


async def test_status_names_the_file_and_key_a_user_file_could_not_set(configured, dataops_config, jp_fetch):
    user_file = dataops_config.parent / "xdg" / "dataops" / "config.toml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text(
        '[[promotion.environments]]\nid = "prod"\nbranch = "deploy/prod"\nallowed_groups = []\n'
    )
    body = json.loads((await jp_fetch("dataops", "api", "status")).body)["capabilities"]
    promotion = body["promotion"]
    assert promotion["summary"].startswith("2 environments: dev, prod — ignored in ")
    assert str(user_file) in promotion["summary"]
    assert "promotion.environments.prod.allowed_groups" in promotion["summary"]
    assert {"file": str(user_file), "key": "promotion.environments.prod.allowed_groups"} in promotion[
        "ignored"
    ]
    assert "ignored" not in body["data"] and "ignored" not in body["workflows"]


async def test_status_says_the_compiled_scanner_reads_data_and_its_version(jp_fetch):
    # The test environment installs the `fast` extra (the wheel `make native-wheel` builds).
    readers = json.loads((await jp_fetch("dataops", "api", "status")).body)["readers"]

    assert readers["compiled"] is True
    assert readers["version"] == "0.1.0"
    assert readers["summary"].startswith("Compiled SDMX scanner 0.1.0 in use: read paths ")
    assert "native-xml" in readers["summary"]
