"""Rights on an environment hold at every step of the Promote dialog, not only at review.

An administrator may take a user's rights away between the review and the submit; a merge
request's state (title, approvals, who opened it) belongs to its environment's promoters only.
"""

from __future__ import annotations

import json
import os
import time

import pytest
from nbformat.v4 import new_code_cell
from tornado.httpclient import HTTPClientError

from dataops.promotion import audit
from tests.fakes.git_http import git, git_server, make_bare_repo  # noqa: F401
from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401
from tests.fakes.gitlab.state import DEVELOPER, MAINTAINER
from tests.promotion.conftest import write_notebook
from tests.server.test_promotion_api import GROUPS, HubLikeIdentity


@pytest.fixture
def jp_server_config(dataops_config):
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_dataops": True},
            "identity_provider_class": HubLikeIdentity,
        }
    }


async def call(jp_fetch, *path, body=None, user="analyst"):
    """(status, JSON body) of a request to the promotion API as ``user``."""
    kwargs = {"method": "POST" if body is not None else "GET", "headers": {"X-Test-User": user}}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    try:
        response = await jp_fetch("dataops", "api", "promotion", *path, **kwargs)
        return response.code, json.loads(response.body)
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)


def administer(config, text: str) -> None:
    """Rewrite the administrator's file so the server sees a new modification time."""
    before = config.stat().st_mtime_ns
    config.write_text(text)
    stamp = max(time.time_ns(), before + 1_000_000_000)
    os.utime(config, ns=(stamp, stamp))


def prod_config(remote: str, audit_log, groups: str) -> str:
    return f"""
[promotion]
audit_log = "{audit_log}"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
remote = "{remote}"
allowed_users = ["release-manager"]
allowed_groups = [{groups}]
"""


async def test_rights_withdrawn_after_review_refuse_the_submit(
    dataops_config,
    git_server,  # noqa: F811
    jp_fetch,
    jp_root_dir,
    tmp_path,
):
    assert GROUPS["carol"] == ["deployers"]
    make_bare_repo(git_server.root, "deploy")
    remote = f"{git_server.url}/deploy.git"
    audit_log = tmp_path / "audit.jsonl"
    administer(dataops_config, prod_config(remote, audit_log, '"deployers"'))
    write_notebook(jp_root_dir / "analysis.ipynb", [new_code_cell("x = 1")])

    code, plan = await call(
        jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "prod"}, user="carol"
    )
    assert code == 200 and plan["can_submit"], plan

    administer(dataops_config, prod_config(remote, audit_log, ""))  # deployers lose prod
    code, body = await call(jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "x"}, user="carol")
    assert code == 403 and body["error"] == "forbidden", body
    assert "Carol (carol) may not" in body["message"]
    assert "refs/heads/deploy/prod" not in git(jp_root_dir, "ls-remote", remote)
    assert not audit_log.exists() or all(r["outcome"] != "landed" for r in audit.read(audit_log))


@pytest.fixture
def gitlab_prod(dataops_config, gitlab_fake, jp_root_dir, tmp_path, monkeypatch):  # noqa: F811
    """A protected GitLab environment only carol's group may promote to."""
    state = gitlab_fake.state
    bot = state.add_user("bot", "glpat-server-0123456789abcdef")
    project = state.add_project("stats/deployment")
    project.members[bot.id] = DEVELOPER
    state.move_branch(project, "deploy/prod", state.head(project, "main"), None)
    state.protect(project, "deploy/prod", push=MAINTAINER)
    monkeypatch.setenv("DATAOPS_GITLAB_TOKEN", "glpat-server-0123456789abcdef")
    administer(
        dataops_config,
        f"""
[promotion]
gitlab_url = "{gitlab_fake.url}"
audit_log = "{tmp_path / "audit.jsonl"}"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
gitlab_project = "stats/deployment"
protected = true
allowed_groups = ["deployers"]
""",
    )
    write_notebook(jp_root_dir / "analysis.ipynb", [new_code_cell("x = 1")])
    return project


async def test_merge_request_state_needs_rights_on_its_environment(gitlab_prod, jp_fetch):
    code, plan = await call(
        jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "prod"}, user="carol"
    )
    assert code == 200 and plan["mode"] == "merge_request", plan
    code, done = await call(
        jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "Secret title"}, user="carol"
    )
    assert code == 201, done
    iid = str(done["merge_request"]["iid"])

    code, state = await call(jp_fetch, "environments", "prod", "merge_requests", iid, user="carol")
    assert code == 200 and state["merge_status"] == "not_approved"

    code, body = await call(jp_fetch, "environments", "prod", "merge_requests", iid, user="analyst")
    assert code == 403 and body["error"] == "forbidden", body
    assert "Analyst (analyst) may not" in body["message"]
    assert "Secret title" not in json.dumps(body)
