"""A single-user server (no JupyterHub): promotions are by the account the server runs as, not by
the anonymous session Jupyter makes up for each browser, through the real server and its default
identity provider."""

from __future__ import annotations

import getpass
import json

import pytest
from nbformat.v4 import new_code_cell
from tornado.httpclient import HTTPClientError

from dataops.promotion import audit
from tests.fakes.git_http import git, git_server, make_bare_repo  # noqa: F401
from tests.promotion.conftest import write_notebook

DISPLAY_NAME = "Statistics Team Server"


@pytest.fixture
def jp_server_config(dataops_config):
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dataops": True}},
        "PromotionSettings": {"display_name": DISPLAY_NAME},
    }


@pytest.fixture
def bare(git_server):  # noqa: F811
    return make_bare_repo(git_server.root, "deploy")


@pytest.fixture
def deploy_remote(git_server, bare):  # noqa: F811
    return f"{git_server.url}/deploy.git"


@pytest.fixture
def configured(dataops_config, deploy_remote, jp_root_dir, tmp_path):
    dataops_config.write_text(
        f"""
[promotion]
audit_log = "{tmp_path / "audit.jsonl"}"

[[promotion.environments]]
id = "dev"
branch = "deploy/dev"
remote = "{deploy_remote}"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
remote = "{deploy_remote}"
allowed_users = ["release-manager"]
"""
    )
    write_notebook(jp_root_dir / "analysis.ipynb", [new_code_cell("x = 1\nprint(x)")])
    return tmp_path / "audit.jsonl"


async def _call(jp_fetch, *path, body=None):  # each call is a new session: jp_fetch keeps no cookie
    kwargs = {"method": "POST" if body is not None else "GET"}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    try:
        response = await jp_fetch("dataops", "api", "promotion", *path, **kwargs)
        return response.code, json.loads(response.body)
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)


async def test_without_a_hub_promotions_are_by_the_servers_account(configured, jp_fetch, bare):
    account = getpass.getuser()
    code, envs = await _call(jp_fetch, "environments")
    assert code == 200 and envs["user"] == account
    (prod,) = [e for e in envs["environments"] if e["id"] == "prod"]
    assert prod["reason"] == f"Only release-manager may promote to prod; {DISPLAY_NAME} ({account}) may not."

    code, plan = await _call(jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "dev"})
    assert code == 200 and plan["user"] == account
    # another browser session of the same server submits the review: it is the same person
    code, done = await _call(jp_fetch, "plans", plan["plan_id"], "submit", body={"message": ""})
    assert code == 201, done
    assert done["user"] == account

    (record,) = audit.read(configured)
    assert (record["user"], record["user_name"]) == (account, DISPLAY_NAME)
    code, history = await _call(jp_fetch, "history")
    assert [(e["author"], e["outcome"]) for e in history["entries"]] == [
        (f"{DISPLAY_NAME} ({account})", "landed")
    ]
    log = git(bare, "log", "-1", "deploy/dev")
    assert f"Author: {DISPLAY_NAME} <" in log and f"Promoted by {account}." in log
