"""The single-user server says who decides rights, and under JupyterHub forwards promotion, pipeline and
workflow requests to the DataOps service."""

from __future__ import annotations

import json
import socket

import pytest
from tornado.httpclient import HTTPClientError


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/services/dataops/"


async def test_standalone_status_says_rights_are_not_enforced(jp_fetch):
    body = json.loads((await jp_fetch("dataops", "api", "status")).body)
    assert body["rights"] == {"mode": "single-user", "summary": "single-user mode: rights are not enforced"}


async def test_under_the_hub_the_panels_offer_promotion_without_local_environments(jp_fetch, monkeypatch):
    # The user's server has no environments of its own: the service's policy has them.
    monkeypatch.setenv("DATAOPS_SERVICE_URL", _dead_url())
    body = json.loads((await jp_fetch("dataops", "api", "status")).body)["capabilities"]
    assert body["promotion"] == {
        "configured": True,
        "summary": "Promotion through the DataOps service (rights enforced)",
    }


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", ("promotion", "environments"), None),
        ("POST", ("promotion", "plans"), {"path": "nb.ipynb", "environment": "prod"}),
        ("GET", ("promotion", "history"), None),
        ("GET", ("pipelines", "prod"), None),
        ("POST", ("pipelines", "prod", "run"), {}),
        ("GET", ("workflows", "environments"), None),
        ("GET", ("workflows", "runs"), None),
        ("POST", ("workflows", "runs"), {"key": "sdmx_production", "env": "prod"}),
        ("POST", ("workflows", "runs", "r-1", "cancel"), {}),
    ],
)
async def test_a_service_that_does_not_answer_is_one_sentence_in_the_panels(
    jp_fetch, jp_root_dir, monkeypatch, method, path, body
):
    # ?env= names the workflow environment (before the service is asked for its environments)
    params = {"env": "dev"} if path == ("workflows", "runs") else None
    import nbformat

    (jp_root_dir / "nb.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    dead = _dead_url()
    monkeypatch.setenv("DATAOPS_SERVICE_URL", dead)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "a-token")
    status = json.loads((await jp_fetch("dataops", "api", "status")).body)["rights"]
    assert status == {"mode": "hub", "summary": f"rights are decided by the DataOps service at {dead}"}
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "dataops",
            "api",
            *path,
            method=method,
            body=None if body is None else json.dumps(body),
            params=params,
        )
    assert err.value.code == 503
    answer = json.loads(err.value.response.body)
    assert answer["error"] == "service_unreachable"
    assert answer["message"].startswith(f"the DataOps service at {dead} does not answer")
    assert "a-token" not in answer["message"]
