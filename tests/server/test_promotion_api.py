"""The Promote dialog's REST API: environments with rights, review (diff + scan), submit, merge requests."""

from __future__ import annotations

import json

import pytest
from jupyter_server.auth.identity import IdentityProvider, User
from nbformat.v4 import new_code_cell
from tornado.httpclient import HTTPClientError

from dataops.promotion import audit
from tests.fakes.git_http import git, git_server, make_bare_repo  # noqa: F401
from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401
from tests.fakes.gitlab.state import DEVELOPER, MAINTAINER
from tests.promotion.conftest import write_notebook

GROUPS = {"carol": ["deployers"]}


class HubLikeIdentity(IdentityProvider):
    """Token authentication as usual, then a named user with groups, as JupyterHub's provider gives."""

    async def get_user(self, handler):
        user = super().get_user(handler)
        if hasattr(user, "__await__"):
            user = await user
        if user is None:
            return None
        name = handler.request.headers.get("X-Test-User", "analyst")
        named = User(username=name, name=name.title())
        named.hub_user = {"name": name, "groups": GROUPS.get(name, [])}
        return named


@pytest.fixture
def jp_server_config(dataops_config):
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_dataops": True},
            "identity_provider_class": HubLikeIdentity,
        }
    }


async def _call(jp_fetch, *path, body=None, method=None, user="analyst"):
    kwargs = {"method": method or ("POST" if body is not None else "GET"), "headers": {"X-Test-User": user}}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    try:
        response = await jp_fetch("dataops", "api", "promotion", *path, **kwargs)
        return response.code, json.loads(response.body)
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)


@pytest.fixture
def deploy_remote(git_server):  # noqa: F811
    make_bare_repo(git_server.root, "deploy")
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
allowed_groups = ["deployers"]
"""
    )
    write_notebook(jp_root_dir / "analysis.ipynb", [new_code_cell("x = 1\nprint(x)")])
    return tmp_path / "audit.jsonl"


async def test_environments_show_prod_disabled_with_the_reason(configured, jp_fetch):
    code, body = await _call(jp_fetch, "environments")
    assert code == 200
    envs = {e["id"]: e for e in body["environments"]}
    assert envs["dev"]["may_promote"] is True and envs["dev"]["reason"] == ""
    assert envs["prod"]["may_promote"] is False
    assert envs["prod"]["reason"].startswith(
        "Only release-manager and members of deployers may promote to prod"
    )


async def test_user_without_rights_gets_403_for_prod(configured, jp_fetch, deploy_remote, jp_root_dir):
    code, body = await _call(jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "prod"})
    assert code == 403 and body["error"] == "forbidden"
    assert "may promote to prod; Analyst (analyst) may not" in body["message"]
    assert "refs/heads/deploy/prod" not in git(jp_root_dir, "ls-remote", deploy_remote)


async def test_group_member_may_promote_to_prod(configured, jp_fetch, deploy_remote, jp_root_dir):
    code, envs = await _call(jp_fetch, "environments", user="carol")
    assert [e["may_promote"] for e in envs["environments"]] == [True, True]
    code, plan = await _call(
        jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "prod"}, user="carol"
    )
    assert code == 200
    # another user cannot submit carol's review
    code, _ = await _call(jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "x"}, user="analyst")
    assert code == 404
    code, done = await _call(
        jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "x"}, user="carol"
    )
    assert code == 201 and done["user"] == "carol"


async def test_review_then_submit_lands_and_is_audited(configured, jp_fetch, deploy_remote, jp_root_dir):
    code, plan = await _call(jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "dev"})
    assert code == 200, plan
    assert [f["destination"] for f in plan["files"]] == ["notebooks/analysis.ipynb", "notebooks/analysis.py"]
    assert plan["scan"]["clean"] and plan["can_submit"] and plan["base_commit"] is None
    assert plan["files"][0]["diff"]["cells"][0]["status"] == "added"
    code, done = await _call(
        jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "First promotion"}
    )
    assert code == 201, done
    assert (
        git(jp_root_dir, "ls-remote", deploy_remote, "refs/heads/deploy/dev").split()[0] == done["commit_sha"]
    )
    (record,) = audit.read(configured)
    assert record["outcome"] == "landed" and record["commit_sha"] == done["commit_sha"]
    assert record["files"] == ["notebooks/analysis.ipynb", "notebooks/analysis.py"]
    assert record["scan"] == {"clean": True, "findings": []} and record["user"] == plan["user"]


async def test_secret_blocks_submit_and_points_at_cell_and_line(configured, jp_fetch, jp_root_dir):
    token = "".join(["AKIA", "IOSFODNN7", "QWERTYZ"])
    write_notebook(
        jp_root_dir / "leaky.ipynb", [new_code_cell("x = 1"), new_code_cell(f"import boto3\nkey = '{token}'")]
    )
    code, plan = await _call(jp_fetch, "plans", body={"path": "leaky.ipynb", "environment": "dev"})
    assert code == 200 and plan["can_submit"] is False
    finding = plan["scan"]["findings"][0]
    assert (finding["cell"], finding["line"], finding["kind"]) == (2, 2, "AWS Access Key")
    assert token not in json.dumps(plan)  # the secret itself never reaches the browser
    code, body = await _call(jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "x"})
    assert code == 422 and body["error"] == "secrets_found"
    assert "leaky.ipynb, cell 2 (source), line 2: AWS Access Key" in body["message"]
    assert audit.read(configured)[-1]["outcome"] == "blocked_by_secrets"


async def test_branch_moved_after_review_is_409_and_nothing_is_overwritten(
    configured, jp_fetch, deploy_remote, jp_root_dir
):
    _, first = await _call(jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "dev"})
    _, second = await _call(jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "dev"})
    code, landed = await _call(jp_fetch, "plans", first["plan_id"], "submit", body={"message": "one"})
    assert code == 201
    code, body = await _call(jp_fetch, "plans", second["plan_id"], "submit", body={"message": "two"})
    assert code == 409 and body["error"] == "conflict" and "review the new differences" in body["message"]
    assert (
        git(jp_root_dir, "ls-remote", deploy_remote, "refs/heads/deploy/dev").split()[0]
        == landed["commit_sha"]
    )


async def test_paths_outside_the_server_root_are_refused(configured, jp_fetch):
    code, body = await _call(jp_fetch, "plans", body={"path": "../../etc/passwd", "environment": "dev"})
    assert code == 400 and "outside the folder" in body["message"]


async def test_unknown_review_is_404(configured, jp_fetch):
    code, body = await _call(jp_fetch, "plans", "0" * 32, "submit", body={"message": "x"})
    assert code == 404 and "review again" in body["message"]


@pytest.fixture
def gitlab_configured(dataops_config, gitlab_fake, jp_root_dir, tmp_path, monkeypatch):  # noqa: F811
    state = gitlab_fake.state
    alice = state.add_user("alice", "glpat-server-0123456789abcdef")
    project = state.add_project("stats/deployment")
    project.members[alice.id] = DEVELOPER
    state.move_branch(project, "deploy/prod", state.head(project, "main"), None)
    state.protect(project, "deploy/prod", push=MAINTAINER)
    monkeypatch.setenv("DATAOPS_GITLAB_TOKEN", "glpat-server-0123456789abcdef")
    dataops_config.write_text(
        f"""
[promotion]
gitlab_url = "{gitlab_fake.url}"
audit_log = "{tmp_path / "audit.jsonl"}"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
gitlab_project = "stats/deployment"
protected = true
"""
    )
    write_notebook(jp_root_dir / "analysis.ipynb", [new_code_cell("x = 1")])
    return project


async def test_protected_gitlab_environment_opens_a_merge_request_and_reports_its_state(
    gitlab_configured,
    jp_fetch,
    gitlab_fake,  # noqa: F811
):
    code, plan = await _call(jp_fetch, "plans", body={"path": "analysis.ipynb", "environment": "prod"})
    assert (
        code == 200 and plan["mode"] == "merge_request" and plan["review_branch"] == "promote/prod/analysis"
    )
    code, done = await _call(jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "To prod"})
    assert code == 201, done
    mr = done["merge_request"]
    assert mr["state"] == "opened" and mr["web_url"].endswith("/stats/deployment/-/merge_requests/1")
    code, state = await _call(jp_fetch, "environments", "prod", "merge_requests", "1")
    assert code == 200 and state["approvals"]["approved"] is False and state["merge_status"] == "not_approved"
    assert "glpat-server" not in json.dumps([plan, done, state])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"environment": "dev"}, "A review needs 'path' (the file to promote) and 'environment'."),
        (
            {"path": "analysis.ipynb", "environment": "dev", "extra_files": "helpers.py"},
            "'extra_files' must be a list of paths and 'destinations' an object.",
        ),
    ],
)
async def test_a_malformed_review_request_says_what_it_needs(configured, jp_fetch, body, message):
    code, error = await _call(jp_fetch, "plans", body=body)
    assert (code, error["message"]) == (400, message)


async def test_a_review_lands_its_extra_files_once_and_only_once(configured, jp_fetch, jp_root_dir):
    (jp_root_dir / "settings.py").write_text("REGION = 'EA'\n")
    code, plan = await _call(
        jp_fetch,
        "plans",
        body={"path": "analysis.ipynb", "environment": "dev", "extra_files": ["settings.py"]},
    )
    assert code == 200
    assert [f["destination"] for f in plan["files"]][-1] == "steps/settings.py"
    code, error = await _call(jp_fetch, "plans", plan["plan_id"], "submit", body={"message": 5})
    assert (code, error["message"]) == (400, "'message' must be text.")
    code, done = await _call(jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "With settings"})
    assert code == 201 and "steps/settings.py" in done["files"]
    code, again = await _call(jp_fetch, "plans", plan["plan_id"], "submit", body={"message": "Twice"})
    assert code == 404 and "review again" in again["message"]
