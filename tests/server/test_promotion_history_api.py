"""``GET promotion/history``: the last promotions per environment with their pipelines, for the Deploy
panel; only environments the signed-in user may promote to are shown."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from nbformat.v4 import new_code_cell
from tornado.httpclient import HTTPClientError

from dataops.promotion import audit
from tests.fakes.gitlab.ci_model import JobPlan, configure_ci, pipelines
from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401
from tests.fakes.gitlab.state import DEVELOPER
from tests.promotion.conftest import write_notebook
from tests.server.test_promotion_api import HubLikeIdentity

TOKEN = "glpat-server-0123456789abcdef"
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _json_schema(node, doc: str):  # noqa: ANN001, ANN202
    """An OpenAPI 3.0 schema of docs/<doc> as JSON Schema: nullable and (cross-file) $refs resolved."""
    if isinstance(node, list):
        return [_json_schema(n, doc) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        file, _, pointer = node["$ref"].partition("#")
        file = file or doc
        target = yaml.safe_load((DOCS / file).read_text())
        for part in pointer.strip("/").split("/"):
            target = target[part]
        return _json_schema(target, file)
    out = {
        k: _json_schema(v, doc) for k, v in node.items() if k not in ("nullable", "example", "description")
    }
    if "format" in out:
        del out["format"]
    return {"anyOf": [out, {"type": "null"}]} if node.get("nullable") else out


def _check_documented(body, path="/promotion/history") -> None:  # noqa: ANN001
    doc = yaml.safe_load((DOCS / "openapi-promotion.yaml").read_text())
    schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    jsonschema.validate(body, _json_schema(schema["schema"], "openapi-promotion.yaml"))


@pytest.fixture
def jp_server_config(dataops_config):
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_dataops": True},
            "identity_provider_class": HubLikeIdentity,
        }
    }


@pytest.fixture
def deployment(dataops_config, gitlab_fake, jp_root_dir, tmp_path, monkeypatch):  # noqa: F811
    """dev open to everyone, prod only for release-manager and the deployers group; CI on deploy/*."""
    state = gitlab_fake.state
    server = state.add_user("dataops", TOKEN, "Dataops Server")
    project = state.add_project("stats/deployment")
    project.members[server.id] = DEVELOPER
    for branch in ("deploy/dev", "deploy/prod"):
        state.move_branch(project, branch, state.head(project, "main"), None)
    configure_ci(
        state,
        project,
        [
            JobPlan("regression", "regression", ["PASSED notebooks/a.ipynb\n"], interval=0.2),
            JobPlan("publish-processes", "deploy", ["published\n"], interval=0.2),
        ],
    )
    monkeypatch.setenv("DATAOPS_GITLAB_TOKEN", TOKEN)
    log = tmp_path / "audit.jsonl"
    dataops_config.write_text(
        f"""
[promotion]
gitlab_url = "{gitlab_fake.url}"
audit_log = "{log}"

[[promotion.environments]]
id = "dev"
branch = "deploy/dev"
gitlab_project = "stats/deployment"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
gitlab_project = "stats/deployment"
allowed_users = ["release-manager"]
allowed_groups = ["deployers"]
"""
    )
    write_notebook(jp_root_dir / "gdp.ipynb", [new_code_cell("x = 1")])
    write_notebook(jp_root_dir / "cpi.ipynb", [new_code_cell("y = 2")])
    # an earlier promotion to prod, recorded as submit records it
    audit.append(
        log,
        {
            "user": "carol",
            "environment": "prod",
            "branch": "deploy/prod",
            "outcome": "landed",
            "commit_sha": "a" * 40,
            "commit_message": "Quarterly release",
            "files": ["notebooks/gdp.ipynb"],
        },
    )
    return log


async def _call(jp_fetch, *path, user="analyst", method="GET", body=None, **params):
    kwargs = {"method": method, "headers": {"X-Test-User": user}, "params": params or None}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    try:
        response = await jp_fetch("dataops", "api", "promotion", *path, **kwargs)
        text = response.body.decode()
        code = response.code
    except HTTPClientError as err:
        text, code = err.response.body.decode(), err.code
    assert TOKEN not in text
    return code, json.loads(text)


async def _promote(jp_fetch, path, message):
    code, plan = await _call(jp_fetch, "plans", method="POST", body={"path": path, "environment": "dev"})
    assert code == 200, plan
    code, done = await _call(
        jp_fetch, "plans", plan["plan_id"], "submit", method="POST", body={"message": message}
    )
    assert code == 201, done
    return done


async def test_history_lists_promotions_newest_first_with_their_pipelines(deployment, jp_fetch, gitlab_fake):  # noqa: F811
    first = await _promote(jp_fetch, "gdp.ipynb", "GDP nowcast")
    second = await _promote(jp_fetch, "cpi.ipynb", "CPI flash")

    code, body = await _call(jp_fetch, "history", environment="dev", limit="10")

    assert code == 200 and body["environment"] == "dev" and body["torn_last_line"] is False
    _check_documented(body)
    assert body["pipelines_error"] is None
    newest, older = body["entries"]
    assert (newest["commit_sha"], older["commit_sha"]) == (second["commit_sha"], first["commit_sha"])
    assert (newest["message"], newest["path"], newest["author"]) == ("CPI flash", "cpi.ipynb", "analyst")
    assert newest["outcome"] == "landed" and newest["branch"] == "deploy/dev"
    assert newest["commit_url"] == second["commit_url"]
    assert newest["files"] == ["notebooks/cpi.ipynb", "notebooks/cpi.py"]
    ran = {p.sha: p for p in pipelines(gitlab_fake.state).values()}
    pipeline = newest["pipeline"]
    assert pipeline["id"] == newest["pipeline_id"] == ran[second["commit_sha"]].id
    assert pipeline["sha"] == second["commit_sha"] and pipeline["environment"] == "dev"
    assert [j["name"] for j in pipeline["jobs"]] == ["regression", "publish-processes"]
    assert older["pipeline_id"] == ran[first["commit_sha"]].id

    code, body = await _call(jp_fetch, "history", environment="dev", limit="1")
    assert [e["message"] for e in body["entries"]] == ["CPI flash"]


async def test_prod_history_is_only_for_those_who_may_promote_there(deployment, jp_fetch):
    code, body = await _call(jp_fetch, "history", environment="prod")
    assert code == 403 and body["error"] == "forbidden"
    assert body["message"] == (
        "Only release-manager and members of deployers may see the promotions to prod; Analyst (analyst) may not."
    )
    code, body = await _call(jp_fetch, "history", environment="prod", user="carol")
    assert code == 200
    (entry,) = body["entries"]
    assert entry["message"] == "Quarterly release" and entry["author"] == "carol"
    # recorded without a URL: GitLab's commit page is derived; no pipeline ran that commit
    assert entry["commit_url"].endswith(f"/stats/deployment/-/commit/{'a' * 40}")
    assert entry["pipeline"] is None and entry["pipeline_id"] is None


async def test_environments_say_whose_history_the_user_may_see(deployment, jp_fetch):
    # the Deploy panel asks only for the histories it may see, so it never meets this 403
    code, body = await _call(jp_fetch, "environments")
    assert code == 200
    envs = {e["id"]: e for e in body["environments"]}
    assert envs["dev"]["may_see_history"] is True and envs["dev"]["history_reason"] == ""
    assert envs["prod"]["may_see_history"] is False
    assert envs["prod"]["history_reason"] == (
        "Only release-manager and members of deployers may see the promotions to prod; Analyst (analyst) may not."
    )
    _check_documented(body, "/promotion/environments")
    code, body = await _call(jp_fetch, "environments", user="carol")
    assert [e["may_see_history"] for e in body["environments"]] == [True, True]


async def test_without_an_environment_only_visible_ones_are_listed(deployment, jp_fetch):
    await _promote(jp_fetch, "gdp.ipynb", "GDP nowcast")
    code, body = await _call(jp_fetch, "history")
    assert code == 200 and body["environment"] is None
    assert [e["environment"] for e in body["entries"]] == ["dev"]
    assert body["hidden_environments"] == ["prod"]
    _check_documented(body)
    code, body = await _call(jp_fetch, "history", user="carol")
    assert [e["environment"] for e in body["entries"]] == ["dev", "prod"]
    assert body["hidden_environments"] == []


@pytest.mark.parametrize(
    ("params", "sentence"),
    [
        ({"limit": "ten"}, "'limit' must be a whole number of promotions, not 'ten'."),
        ({"limit": "0"}, "'limit' must be between 1 and 500, not 0."),
        ({"limit": "501"}, "'limit' must be between 1 and 500, not 501."),
        (
            {"environment": "staging"},
            "There is no deployment environment called 'staging' (configured: dev, prod).",
        ),
    ],
)
async def test_bad_limit_or_unknown_environment_is_400(deployment, jp_fetch, params, sentence):
    code, body = await _call(jp_fetch, "history", **params)
    assert code == 400 and body == {"error": "invalid_input", "message": sentence, "details": None}


async def test_gitlab_refusing_the_token_keeps_the_history_and_says_why(deployment, jp_fetch, monkeypatch):
    done = await _promote(jp_fetch, "gdp.ipynb", "GDP nowcast")
    monkeypatch.setenv("DATAOPS_GITLAB_TOKEN", "glpat-revoked-0123456789")
    code, body = await _call(jp_fetch, "history", environment="dev")
    assert code == 200
    assert [e["commit_sha"] for e in body["entries"]] == [done["commit_sha"]]
    assert body["entries"][0]["pipeline"] is None
    assert body["pipelines_error"].startswith(
        "The pipelines of these promotions could not be read: GitLab at"
    )
    assert "glpat" not in json.dumps(body)


async def test_a_promotion_being_written_is_flagged_not_fatal(deployment, jp_fetch):
    with deployment.open("ab") as f:
        f.write(b'{"environment": "dev", "user": "ana')
    code, body = await _call(jp_fetch, "history", user="carol")
    assert code == 200 and body["torn_last_line"] is True
    assert [e["message"] for e in body["entries"]] == ["Quarterly release"]


async def test_a_damaged_log_line_is_a_clear_server_error(deployment, jp_fetch):
    with deployment.open("ab") as f:
        f.write(b"garbage\n")
    audit.append(deployment, {"user": "ana", "environment": "dev", "outcome": "landed"})
    code, body = await _call(jp_fetch, "history", environment="dev", limit="5")
    assert code == 422 and body["error"] == "malformed_message"
    assert f"{deployment} is damaged at line 2" in body["message"]
