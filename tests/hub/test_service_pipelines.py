"""Through a real JupyterHub: the Deploy panel's pipelines are read and run by the DataOps service.

The service reaches the GitLab fake (spec-checked) with its own token; ``ci-prod`` is for
release-managers only, so ``analyst`` may neither see nor run its pipelines.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.hub.kernel import KernelError

pytestmark = pytest.mark.timeout(900)


def panel(hub, user: str) -> httpx.Client:
    """The Deploy panel's HTTP client: ``user``'s own server, with ``user``'s hub token."""
    return httpx.Client(
        base_url=f"{hub.url}/user/{user}/dataops/api/",
        headers={"Authorization": f"token {hub.token(user)}"},
        timeout=120,
    )


def test_analyst_may_neither_see_nor_run_ci_prods_pipelines(hub):
    with pytest.raises(KernelError) as refused:
        hub.run_in_kernel("analyst", "import dataops\ndataops.list_pipelines('ci-prod')")
    assert str(refused.value) == (
        "Forbidden: Only members of release-managers may see the pipelines of ci-prod; analyst may not."
    )
    with panel(hub, "analyst") as client:
        reply = client.post("pipelines/ci-prod/run", json={"variables": {"X": "1"}})
        assert reply.status_code == 403
        assert reply.json()["message"] == (
            "Only members of release-managers may run pipelines of ci-prod; analyst may not."
        )
        ids = [e["id"] for e in client.get("pipelines/environments").json()["environments"]]
        assert "ci-prod" not in ids and "dev" in ids


def test_releaser_runs_a_pipeline_and_follows_its_job_log(hub, deploy_gitlab):
    with panel(hub, "releaser") as client:
        started = client.post("pipelines/ci-prod/run", json={"variables": {"REASON": "hub test"}})
        assert started.status_code == 201, started.text
        pipeline = started.json()
        # Started with the service's GitLab account, not with anything the user holds.
        assert pipeline["user"] == "dataops-bot"
        listed = hub.run_in_kernel(
            "releaser", "import dataops\nprint([p.id for p in dataops.list_pipelines('ci-prod')])"
        )
        assert str(pipeline["id"]) in listed
        deadline = time.monotonic() + 60
        while True:
            jobs = client.get(f"pipelines/ci-prod/pipelines/{pipeline['id']}").json()["jobs"]
            if jobs or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        job = jobs[0]
        content, offset = "", 0
        while time.monotonic() < deadline:
            piece = client.get(f"pipelines/ci-prod/jobs/{job['id']}/log", params={"offset": offset}).json()
            content, offset = content + piece["content"], piece["next_offset"]
            if piece["finished"]:
                break
            time.sleep(0.3)
    assert piece["finished"] is True
    assert "PASSED   notebooks/a.ipynb" in content


def test_dashboards_are_answered_by_the_service_with_the_pipelines_rule(hub):
    with panel(hub, "analyst") as client:
        refused = client.get("dashboards/ci-prod")
        assert refused.status_code == 403
        assert refused.json()["message"] == (
            "Only members of release-managers may see the pipelines of ci-prod; analyst may not."
        )
        # dev has no dashboard targets in the service's policy: an empty list, not an error
        assert client.get("dashboards/dev").json() == {"environment": "dev", "dashboards": []}
