"""Through a real JupyterHub and two real engines: workflow rights per environment, decided by the service.

``dev`` is open; ``prod`` is protected: everybody reads, release-managers operate, and nobody
publishes to it directly (its definitions come from promotion and the pipeline's publish job, which
this test stands in for by publishing to the prod engine itself).
"""

from __future__ import annotations

import asyncio
import json

import httpx
import jsonschema
import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from dataops.workflows.camunda import CamundaEngine
from tests.engine import EngineServer, free_port
from tests.hub import environment as env
from tests.hub import flows
from tests.workflows.support import process_xml, unique

pytestmark = pytest.mark.timeout(900)

NO_DIRECT_PUBLISH = (
    "Definitions reach prod only through promotion and the pipeline's publish job; "
    "nobody publishes to prod directly."
)


@pytest.fixture(scope="module")
def prod_engine(tmp_path_factory):
    """A second real engine for prod (each environment has its own)."""
    server = EngineServer(port=free_port(), data=tmp_path_factory.mktemp("prod-engine"))
    server.start()
    client = CamundaEngine(server.url)
    yield client
    client.close()
    server.stop()


@pytest.fixture(scope="module")
def flow_hub(tmp_path_factory, engine_url, prod_engine):
    """A hub whose service has the dev/prod workflow policy; both users' servers spawned."""
    with env.machine_lock():
        env.ensure_unix_accounts()
        env.ensure_service_secrets()
        env.ensure_proxy()
        bin_dir = env.ensure_venv()
    policy = flows.write_policy(engine_url, prod_engine.url)
    running = flows.FlowHub(
        tmp_path_factory.mktemp("flowhub"), bin_dir, extra_config=flows.extra_config(policy)
    )
    try:
        running.start()
        for user in env.USERS:
            running.spawn(user)
    except Exception as exc:
        log = running.log()
        running.stop()
        pytest.fail(f"the test JupyterHub did not come up: {exc}\n--- jupyterhub log ---\n{log[-20000:]}")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def waiting_process(engine, prod_engine):
    """A process whose run waits at an external task nobody serves, published on both engines (for
    prod, as the pipeline's publish job would)."""
    key = unique("hub_rights")
    xml = process_xml(key, [("wait", unique("nobody_serves"))]).encode()
    for client in (engine, prod_engine):
        client.publish({f"{key}.bpmn": xml}, name=key)
    return key


def call(hub, user, path, method="GET", body=None, **kwargs):
    return hub.call_service_as(user, f"api/workflows/{path}", method=method, body=body, **kwargs)


def test_each_user_sees_what_they_may_do_in_each_environment(flow_hub):
    status, answer = call(flow_hub, "analyst", "environments")
    assert status == 200
    jsonschema.validate(answer, flows.schema("WorkflowEnvironments"))
    rights = {e["id"]: e["may"] for e in answer["environments"]}
    assert rights["dev"] == {
        "view": {"allowed": True, "reason": ""},
        "start": {"allowed": True, "reason": ""},
        "publish": {"allowed": True, "reason": ""},
    }
    assert rights["prod"]["view"]["allowed"] is True
    assert rights["prod"]["start"] == {
        "allowed": False,
        "reason": "Only members of release-managers may start runs in prod; analyst may not.",
    }
    assert rights["prod"]["publish"] == {"allowed": False, "reason": NO_DIRECT_PUBLISH}
    _, answer = call(flow_hub, "releaser", "environments")
    prod = next(e for e in answer["environments"] if e["id"] == "prod")
    assert prod["may"]["start"]["allowed"] is True
    assert prod["may"]["publish"]["allowed"] is False


def test_a_direct_publish_to_prod_is_refused_for_everybody(flow_hub, prod_engine):
    key = unique("direct")
    body = {"name": key, "resources": {f"{key}.bpmn": process_xml(key, [("t", unique("topic"))])}}
    for user in env.USERS:
        status, answer = call(flow_hub, user, "prod/publish", "POST", body)
        assert status == 403
        assert answer["message"] == NO_DIRECT_PUBLISH
        jsonschema.validate(answer, flows.schema("Error"))
    assert key not in {d.key for d in prod_engine.definitions()}


def test_analyst_cannot_operate_releasers_prod_run_but_reads_it(flow_hub, prod_engine, waiting_process):
    status, run = call(
        flow_hub, "releaser", "prod/runs", "POST", {"key": waiting_process, "variables": {"flow": "EXR"}}
    )
    assert status == 201, run
    jsonschema.validate(run, flows.schema("WorkflowRun"))
    assert run["started_by"] == "releaser"
    assert run["may"]["cancel"]["allowed"] is True
    run_id = run["id"]

    refusal = "Only members of release-managers may cancel releaser's run in prod; analyst may not."
    status, answer = call(flow_hub, "analyst", f"prod/runs/{run_id}/cancel", "POST", {})
    assert (status, answer["message"]) == (403, refusal)
    status, answer = call(flow_hub, "analyst", f"prod/runs/{run_id}/retry", "POST", {})
    assert status == 403
    assert answer["message"] == refusal.replace("cancel", "retry")
    status, answer = call(flow_hub, "analyst", "prod/runs", "POST", {"key": waiting_process})
    assert status == 403
    assert answer["message"] == "Only members of release-managers may start runs in prod; analyst may not."

    # The panel learns the same before anybody clicks.
    status, listed = call(flow_hub, "analyst", f"prod/runs/{run_id}")
    assert status == 200
    assert listed["may"]["cancel"] == {"allowed": False, "reason": refusal}

    # Reading is allowed in prod: variables and logs.
    status, answer = call(flow_hub, "analyst", f"prod/runs/{run_id}/variables")
    assert status == 200
    assert {v["name"]: v["value"] for v in answer["variables"]} == {"flow": "EXR"}
    status, answer = call(flow_hub, "analyst", f"prod/runs/{run_id}/logs")
    assert status == 200
    jsonschema.validate(answer, flows.schema("WorkflowLogPage"))
    assert answer["run_id"] == run_id

    assert prod_engine.run(run_id).status.value == "running"
    status, answer = call(flow_hub, "releaser", f"prod/runs/{run_id}/cancel", "POST", {"reason": "test"})
    assert (status, answer) == (200, {"run_id": run_id, "cancelled": True})
    assert prod_engine.run(run_id).status.value == "cancelled"


@pytest.mark.parametrize(
    ("suffix", "headers", "body", "extra_env"),
    [
        ("", {"X-Forwarded-User": "releaser"}, {}, None),
        ("?user=releaser&groups=release-managers", {}, {}, None),
        ("", {}, {"user": "releaser", "started_by": "analyst", "groups": ["release-managers"]}, None),
        ("", {}, {}, {"JUPYTERHUB_USER": "releaser", "USER": "releaser"}),
    ],
    ids=["forwarded-user-header", "query-arguments", "json-body", "kernel-environment"],
)
def test_a_forged_identity_changes_nothing(flow_hub, waiting_process, suffix, headers, body, extra_env):
    status, run = call(flow_hub, "releaser", "prod/runs", "POST", {"key": waiting_process})
    assert status == 201
    status, answer = call(
        flow_hub,
        "analyst",
        f"prod/runs/{run['id']}/cancel{suffix}",
        "POST",
        body,
        headers=headers,
        extra_env=extra_env,
    )
    assert status == 403
    assert "analyst may not" in answer["message"]
    assert call(flow_hub, "releaser", f"prod/runs/{run['id']}/cancel", "POST", {})[0] == 200


def test_analyst_publishes_runs_and_cancels_their_own_run_in_dev(flow_hub, engine):
    key = unique("analyst_dev")
    xml = process_xml(key, [("wait", unique("nobody_serves"))])
    status, deployment = call(flow_hub, "analyst", "dev/publish", "POST", {"resources": {f"{key}.bpmn": xml}})
    assert status == 201, deployment
    # A starter named in the body is not believed: the hub says who is calling.
    forged = {"key": key, "started_by": "releaser", "user": "releaser"}
    status, run = call(flow_hub, "analyst", "dev/runs", "POST", forged)
    assert status == 201
    assert run["started_by"] == "analyst"
    status, mine = call(flow_hub, "analyst", f"dev/runs?scope=mine&definition_key={key}")
    assert status == 200
    assert [(r["id"], r["may"]["cancel"]["allowed"]) for r in mine["items"]] == [(run["id"], True)]
    status, answer = call(flow_hub, "analyst", f"dev/runs/{run['id']}/cancel", "POST", {})
    assert status == 200
    assert engine.run(run["id"]).status.value == "cancelled"


def test_a_run_is_reached_only_through_its_own_environment(flow_hub, waiting_process):
    status, run = call(flow_hub, "releaser", "prod/runs", "POST", {"key": waiting_process})
    assert status == 201
    # dev is open to analyst, but the prod run is not on dev's engine.
    status, answer = call(flow_hub, "analyst", f"dev/runs/{run['id']}/cancel", "POST", {})
    assert status == 404
    status, answer = call(flow_hub, "analyst", "staging/runs")
    assert status == 404
    assert "configured ones are: dev, prod" in answer["message"]
    assert call(flow_hub, "releaser", f"prod/runs/{run['id']}/cancel", "POST", {})[0] == 200


def test_the_kernel_api_forwards_to_the_service_with_the_users_rights(flow_hub, waiting_process, tmp_path):
    status, theirs = call(flow_hub, "releaser", "prod/runs", "POST", {"key": waiting_process})
    assert status == 201
    code = f"""
import json, os
import dataops.workflows as wf
from dataops.errors import Forbidden
os.environ["JUPYTERHUB_USER"] = "releaser"  # changes nothing: the service asks the hub
out = {{}}
mine = wf.start({waiting_process!r}, env="dev", variables={{"flow": "EXR"}})
out["mine"] = [mine.info["started_by"], mine.variables()]
listed = wf.runs(definition_key={waiting_process!r}, env="dev")
out["listed"] = listed[listed["id"] == mine.id]["started_by"].tolist()
out["definitions"] = {waiting_process!r} in set(wf.definitions(env="dev")["key"])
mine.cancel()
out["mine_after"] = mine.status
try:
    wf.run({theirs["id"]!r}, env="prod").cancel()
except Forbidden as exc:
    out["theirs"] = str(exc)
try:
    wf.start({waiting_process!r}, env="prod")
except Forbidden as exc:
    out["start_prod"] = str(exc)
print(json.dumps(out))
"""
    out = json.loads(flow_hub.run_in_kernel("analyst", code))
    assert out["mine"] == ["analyst", {"flow": "EXR"}]
    assert out["listed"] == ["analyst"]
    assert out["definitions"] is True
    assert out["mine_after"] == "cancelled"
    assert (
        out["theirs"]
        == "Only members of release-managers may cancel releaser's run in prod; analyst may not."
    )
    assert out["start_prod"] == "Only members of release-managers may start runs in prod; analyst may not."
    assert call(flow_hub, "releaser", f"prod/runs/{theirs['id']}/cancel", "POST", {})[0] == 200


def test_the_servers_workflow_api_forwards_and_tells_the_panel_what_it_may_do(flow_hub, waiting_process):
    status, theirs = call(flow_hub, "releaser", "prod/runs", "POST", {"key": waiting_process})
    assert status == 201
    server = httpx.Client(
        base_url=f"{flow_hub.url}/user/analyst/dataops/api/workflows/",
        headers={"Authorization": f"token {flow_hub.token('analyst')}"},
        timeout=60,
    )
    with server:
        environments = server.get("environments").json()["environments"]
        assert [e["id"] for e in environments] == ["dev", "prod"]
        runs = server.get("runs", params={"env": "prod", "definition_key": waiting_process}).json()
        listed = next(r for r in runs["items"] if r["id"] == theirs["id"])
        assert listed["started_by"] == "releaser"
        assert listed["may"]["cancel"]["allowed"] is False
        reply = server.post(f"runs/{theirs['id']}/cancel", params={"env": "prod"}, json={})
        assert reply.status_code == 403
        assert reply.json()["message"].endswith("analyst may not.")
        reply = server.post(
            "publish", params={"env": "prod"}, json={"resources": {"x.bpmn": process_xml("x", [])}}
        )
        assert (reply.status_code, reply.json()["message"]) == (403, NO_DIRECT_PUBLISH)
    assert call(flow_hub, "releaser", f"prod/runs/{theirs['id']}/cancel", "POST", {})[0] == 200


def test_the_run_stream_relays_the_service_with_the_users_rights(flow_hub, waiting_process):
    status, theirs = call(flow_hub, "releaser", "prod/runs", "POST", {"key": waiting_process})
    assert status == 201
    url = (
        f"{flow_hub.url.replace('http', 'ws', 1)}/user/analyst/dataops/api/workflows/runs/"
        f"{theirs['id']}/stream?offset=0&env=prod"
    )

    async def first_status() -> dict:
        request = HTTPRequest(url, headers={"Authorization": f"token {flow_hub.token('analyst')}"})
        conn = await websocket_connect(request)
        try:
            while True:
                message = json.loads(await asyncio.wait_for(conn.read_message(), 30))
                if message["type"] == "status":
                    return message["run"]
        finally:
            conn.close()

    run = asyncio.run(first_status())
    assert (run["id"], run["status"], run["started_by"]) == (theirs["id"], "running", "releaser")
    assert run["may"]["cancel"]["allowed"] is False
    assert call(flow_hub, "releaser", f"prod/runs/{theirs['id']}/cancel", "POST", {})[0] == 200
