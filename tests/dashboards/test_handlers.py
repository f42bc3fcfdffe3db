"""``GET dashboards/{env}``: what an environment serves, for the people who may see its pipelines,
in the shape docs/openapi-dashboards.yaml documents."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from tornado.httpclient import HTTPClientError

from dataops.dashboards.discovery import discover
from dataops.dashboards.targets import ShinyServerTarget
from tests.dashboards.apps import shiny_app
from tests.server.test_promotion_api import HubLikeIdentity

DOCS = Path(__file__).resolve().parents[2] / "docs"


def check_documented(body: dict) -> None:
    """``body`` is what docs/openapi-dashboards.yaml says ``GET dashboards/{env}`` answers."""
    doc = yaml.safe_load((DOCS / "openapi-dashboards.yaml").read_text())
    schema = doc["paths"]["/dashboards/{env}"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    schema["properties"]["dashboards"]["items"] = doc["components"]["schemas"]["Published"]
    jsonschema.validate(body, schema)


@pytest.fixture
def jp_server_config(dataops_config):
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_dataops": True},
            "identity_provider_class": HubLikeIdentity,
        }
    }


@pytest.fixture
def published(dataops_config, tmp_path):
    """dev open to everyone, prod for rita only; one Shiny app published to each."""
    checkout = tmp_path / "checkout"
    shiny_app(checkout / "dashboards" / "rates", "http://source/")
    (app,) = discover(checkout)
    for env in ("dev", "prod"):
        ShinyServerTarget(tmp_path / env, "unused").publish(app, commit=env[0] * 40)
    dataops_config.write_text(
        f"""
[[promotion.environments]]
id = "dev"
branch = "deploy/dev"
remote = "{tmp_path / "deployment.git"}"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
remote = "{tmp_path / "deployment.git"}"
allowed_users = ["rita"]

[[dashboards.environments]]
id = "dev"
shiny = {{ site_dir = "{tmp_path / "dev"}", url = "http://dash:3838/dev/" }}

[[dashboards.environments]]
id = "prod"
shiny = {{ site_dir = "{tmp_path / "prod"}", url = "http://dash:3838/prod/" }}
"""
    )


async def _get(jp_fetch, env, user="analyst"):
    response = await jp_fetch("dataops", "api", "dashboards", env, headers={"X-Test-User": user})
    return json.loads(response.body)


async def test_an_environment_lists_its_dashboards_with_url_commit_and_time(published, jp_fetch):
    body = await _get(jp_fetch, "dev")

    check_documented(body)
    assert body["environment"] == "dev"
    (rates,) = body["dashboards"]
    assert {k: rates[k] for k in ("name", "kind", "target", "url", "commit")} == {
        "name": "rates",
        "kind": "shiny",
        "target": "shiny-server",
        "url": "http://dash:3838/dev/rates/",
        "commit": "d" * 40,
    }
    assert rates["published_at"].startswith("20")


async def test_dashboards_are_hidden_from_whoever_may_not_see_the_pipelines(published, jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, "prod")
    assert err.value.code == 403
    assert "rita" in json.loads(err.value.response.body)["message"]
    assert [d["commit"] for d in (await _get(jp_fetch, "prod", user="rita"))["dashboards"]] == ["p" * 40]


async def test_an_unknown_environment_is_not_found(published, jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, "qa")
    assert err.value.code == 404
