"""Through a real JupyterHub that keeps each user's GitLab token in ``auth_state``: a promotion to a
``gitlab_identity = "user"`` environment is committed by the user's own GitLab account, and a user
whose auth_state holds no token is told to sign in again through GitLab (nothing reaches GitLab).
"""

from __future__ import annotations

import os

import httpx
import pytest

from dataops.promotion.inputs import PlanInput
from tests.conftest import SHARED
from tests.fakes.gitlab.spec import SPEC_PATH
from tests.hub import environment as env
from tests.hub import identity

pytestmark = pytest.mark.timeout(900)

STEP = PlanInput("step.py", {"step.py": b"print('promoted as myself')\n"})


@pytest.fixture(scope="module")
def identity_gitlab(tmp_path_factory):
    """The spec-checked GitLab fake with the deployment project and releaser's GitLab account."""
    spec = SHARED / SPEC_PATH.relative_to(SPEC_PATH.parents[1])
    if not spec.is_file():
        pytest.fail(f"{spec} is missing: the GitLab fake checks every call against it")
    fake = identity.start_gitlab(tmp_path_factory.mktemp("gitlab-identity"), spec)
    yield fake
    fake.stop()
    assert fake.state.violations == [], f"outside GitLab's spec: {fake.state.violations}"


@pytest.fixture(scope="module")
def identity_hub(tmp_path_factory, identity_gitlab):
    """A hub with the auth_state authenticator; both users have signed in through its login form."""
    if os.geteuid() != 0:
        pytest.fail("the JupyterHub tests run as root: they create Unix accounts and the hub setuids to them")
    with env.machine_lock():
        env.ensure_unix_accounts()
        env.ensure_service_secrets()
        env.ensure_proxy()
        bin_dir = env.ensure_venv()
        config = identity.write_service_config(identity_gitlab.url)
    running = identity.IdentityHub(
        tmp_path_factory.mktemp("identity-hub"), bin_dir, extra_config=identity.extra_config(config)
    )
    try:
        running.start()
        for user in env.USERS:
            signed_in = running.login(user)
            assert signed_in.status_code == 302, f"{user} could not sign in: HTTP {signed_in.status_code}"
    except Exception as exc:
        log = running.log()
        running.stop()
        pytest.fail(f"the test JupyterHub did not come up: {exc}\n--- jupyterhub log ---\n{log[-20000:]}")
    yield running
    running.stop()


def promote(hub, user: str) -> httpx.Response:
    """Review ``step.py`` for ci-dev and submit it, as ``user``'s kernel would call the service."""
    with httpx.Client(
        base_url=hub.service_url + "api/", headers={"Authorization": f"token {hub.token(user)}"}, timeout=60
    ) as client:
        plan = client.post("promotion/plans", json={"environment": "ci-dev", "input": STEP.to_json()})
        if plan.status_code != 200:
            return plan
        return client.post(f"promotion/plans/{plan.json()['plan_id']}/submit", json={"message": "as me"})


def test_releasers_promotion_is_committed_by_releasers_own_gitlab_account(identity_hub, identity_gitlab):
    landed = promote(identity_hub, "releaser")
    assert landed.status_code == 201, landed.text
    assert landed.json()["user"] == "releaser"
    state = identity_gitlab.state
    project = state.project(identity.PROJECT)
    sha = landed.json()["commit_sha"]
    assert state.head(project, "main") == sha
    assert state.git(project, "show", "-s", "--format=%an <%ae>|%cn <%ce>", sha) == (
        "Rita Releaser <releaser@example.org>|Rita Releaser <releaser@example.org>"
    )


def test_a_user_whose_auth_state_holds_no_gitlab_token_is_told_to_sign_in_again(
    identity_hub, identity_gitlab
):
    state = identity_gitlab.state
    project = state.project(identity.PROJECT)
    before, calls = state.head(project, "main"), len(state.requests)
    refused = promote(identity_hub, "analyst")
    assert refused.status_code == 401
    assert refused.json()["message"] == (
        "Promotions to ci-dev are made with your own GitLab account, and the hub holds no GitLab token "
        "for analyst: sign in again through GitLab."
    )
    assert state.head(project, "main") == before
    assert len(state.requests) == calls  # the service's own token was not tried instead


def test_the_environments_list_tells_each_user_whether_they_can_commit_as_themselves(identity_hub):
    for user, allowed in (("releaser", True), ("analyst", False)):
        reply = httpx.get(
            identity_hub.service_url + "api/promotion/environments",
            headers={"Authorization": f"token {identity_hub.token(user)}"},
            timeout=60,
        )
        (ci_dev,) = reply.json()["environments"]
        assert ci_dev["may_promote"] is allowed
        assert ci_dev["reason"].endswith("sign in again through GitLab.") is not allowed
