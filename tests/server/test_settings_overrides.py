"""The server's traitlets override the administrator's TOML file, by the resolver's one rule."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def jp_server_config(dataops_config):
    dataops_config.write_text(
        '[workflows]\nengine_url = "http://file.example/engine-rest"\n\n'
        '[[promotion.environments]]\nid = "dev"\nbranch = "deploy/dev"\n'
    )
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dataops": True}},
        "WorkflowSettings": {"engine_url": "http://server.example/engine-rest"},
        "PromotionSettings": {"gitlab_url": ""},
    }


async def test_a_traitlet_the_administrator_sets_wins_over_the_file(jp_fetch):
    body = json.loads((await jp_fetch("dataops", "api", "status")).body)["capabilities"]
    assert body["workflows"]["summary"] == "Workflow engine at http://server.example/engine-rest"


async def test_a_user_file_cannot_undo_a_traitlet(dataops_config, jp_fetch):
    user_file = dataops_config.parent / "xdg" / "dataops" / "config.toml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text('[workflows]\nengine_url = "http://laptop/engine-rest"\n')
    body = json.loads((await jp_fetch("dataops", "api", "status")).body)["capabilities"]
    assert body["workflows"]["summary"].startswith(
        "Workflow engine at http://server.example/engine-rest — ignored"
    )
    assert body["workflows"]["ignored"] == [{"file": str(user_file), "key": "workflows.engine_url"}]
