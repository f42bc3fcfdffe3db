"""Through a real JupyterHub: the DataOps service knows each caller only from the hub."""

from __future__ import annotations

import json

import httpx
import jsonschema
import pytest
import yaml

from tests.hub import environment as env

# The first session builds the hub's venv inside the first test's setup; later ones take ~1 min.
pytestmark = pytest.mark.timeout(900)

API = yaml.safe_load((env.REPO / "docs" / "openapi-service.yaml").read_text())
WHOAMI_SCHEMA = API["paths"]["/whoami"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
ERROR_SCHEMA = API["components"]["schemas"]["Error"]


def test_whoami_from_each_users_kernel_is_that_user_with_the_hubs_groups(hub):
    assert hub.call_service_as("analyst", "api/whoami") == (200, {"name": "analyst", "groups": []})
    assert hub.call_service_as("releaser", "api/whoami") == (
        200,
        {"name": "releaser", "groups": ["release-managers"]},
    )


def test_a_kernel_that_claims_another_name_is_still_its_user(hub):
    code = f"""
import json, os, pwd, urllib.request
os.environ["JUPYTERHUB_USER"] = "releaser"
request = urllib.request.Request(
    {hub.service_url + "api/whoami"!r},
    headers={{"Authorization": "token " + os.environ["JUPYTERHUB_API_TOKEN"], "X-Forwarded-User": "releaser"}},
)
unix_user = pwd.getpwuid(os.getuid()).pw_name
print(json.dumps([unix_user, json.loads(urllib.request.urlopen(request).read())]))
"""
    unix_user, answer = json.loads(hub.run_in_kernel("analyst", code))
    assert unix_user == "analyst"
    assert answer == {"name": "analyst", "groups": []}


def test_a_users_own_api_token_from_the_hub_is_that_user(hub):
    for user, groups in (("analyst", []), ("releaser", ["release-managers"])):
        reply = httpx.get(
            hub.service_url + "api/whoami", headers={"Authorization": f"token {hub.token(user)}"}
        )
        assert reply.status_code == 200
        assert reply.json() == {"name": user, "groups": groups}


@pytest.mark.parametrize(
    ("path", "headers", "body", "extra_env"),
    [
        ("api/whoami", {"X-Forwarded-User": "releaser", "X-Remote-User": "releaser"}, None, None),
        ("api/whoami?user=releaser&groups=release-managers", {}, None, None),
        ("api/whoami", {}, {"user": "releaser", "groups": ["release-managers"]}, None),
        ("api/whoami", {}, None, {"JUPYTERHUB_USER": "releaser", "USER": "releaser"}),
    ],
    ids=["forwarded-user-header", "query-arguments", "json-body", "kernel-environment"],
)
def test_identity_the_caller_claims_changes_nothing(hub, path, headers, body, extra_env):
    status, answer = hub.call_service_as("analyst", path, headers=headers, body=body, extra_env=extra_env)
    assert (status, answer) == (200, {"name": "analyst", "groups": []})


def test_a_missing_or_unknown_token_is_refused_with_a_sentence(hub):
    status, answer = hub.call_service_as("analyst", "api/whoami", token=None)
    assert status == 401
    assert answer["error"] == "unauthorized"
    assert "JupyterHub token" in answer["message"]
    jsonschema.validate(answer, ERROR_SCHEMA)
    status, answer = hub.call_service_as("analyst", "api/whoami", token="not-a-hub-token")
    assert status == 401


def test_a_hub_token_without_access_to_the_service_is_forbidden(hub):
    reply = hub.api(
        "POST",
        "/users/analyst/tokens",
        json={"note": "no service access", "expires_in": 600, "scopes": ["read:users:name!user"]},
    )
    assert reply.status_code == 201, reply.text
    status, answer = hub.call_service_as("analyst", "api/whoami", token=reply.json()["token"])
    assert status == 403
    assert answer["error"] == "forbidden"
    assert "does not grant access to the DataOps service" in answer["message"]


def test_health_answers_without_a_token_and_other_paths_are_json_404(hub):
    assert httpx.get(hub.service_url + "api/health").json() == {"ok": True}
    reply = httpx.get(
        hub.service_url + "api/users", headers={"Authorization": f"token {hub.token('releaser')}"}
    )
    assert reply.status_code == 404
    assert reply.json()["error"] == "not_found"


def test_the_service_and_each_server_run_as_their_own_unix_accounts(hub):
    assert hub.service_process().username() == env.SERVICE_ACCOUNT
    for user in env.USERS:
        assert hub.server_process(user).username() == user


def test_analyst_cannot_read_the_services_credentials_or_its_environment(hub):
    secrets = hub.run_as("analyst", ["cat", str(env.SECRETS)])
    assert secrets.returncode != 0
    assert "Permission denied" in secrets.stderr
    # The service's environment holds its hub token: another account may not read it from /proc.
    environ = hub.run_as("analyst", ["cat", f"/proc/{hub.service_process().pid}/environ"])
    assert environ.returncode != 0
    assert "Permission denied" in environ.stderr
