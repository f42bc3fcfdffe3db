"""``c.DataOpsApp.config_file_path`` names the administrator's file of this server."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def jp_server_config(dataops_config, tmp_path, monkeypatch):
    server_file = tmp_path / "server-dataops.toml"
    server_file.write_text(
        '[[promotion.environments]]\nid = "prod"\nbranch = "deploy/prod"\nallowed_groups = ["release-managers"]\n'
    )
    mine = tmp_path / "mine.toml"
    mine.write_text('[[promotion.environments]]\nid = "prod"\nbranch = "deploy/prod"\nallowed_groups = []\n')
    monkeypatch.setenv("DATAOPS_CONFIG", str(mine))
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dataops": True}},
        "DataOpsApp": {"config_file_path": str(server_file)},
    }


async def test_the_servers_file_sets_policy_and_a_user_file_cannot_change_it(jp_fetch, tmp_path):
    status = json.loads((await jp_fetch("dataops", "api", "status")).body)["capabilities"]["promotion"]
    assert status["summary"].startswith("1 environment: prod — ignored in ")
    assert status["ignored"] == [
        {"file": str(tmp_path / "mine.toml"), "key": "promotion.environments.prod.branch"},
        {"file": str(tmp_path / "mine.toml"), "key": "promotion.environments.prod.allowed_groups"},
    ]
    envs = json.loads((await jp_fetch("dataops", "api", "promotion", "environments")).body)
    prod = next(e for e in envs["environments"] if e["id"] == "prod")
    assert prod["may_promote"] is False
