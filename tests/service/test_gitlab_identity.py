"""Per-user GitLab identity: which GitLab token the hub service promotes with, seen in the GitLab fake.

In ``gitlab_identity = "user"`` mode the commit (and merge request) is made by the caller's own GitLab
account, the token the hub keeps in their ``auth_state``; in ``service`` mode by the service's bot.
A caller without a token is refused with a sentence and the fake receives nothing.
"""

from __future__ import annotations

import pytest

from dataops.errors import ConfigError, Unauthorized
from dataops.promotion.inputs import PlanInput
from dataops.service.desk import PromotionDesk
from dataops.service.hub import Caller, gitlab_token
from dataops.service.policy import ServicePolicy
from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401
from tests.fakes.gitlab.state import DEVELOPER, MAINTAINER

SERVICE_TOKEN = "service-bot-token"  # noqa: S105 (test stand-ins)
RELEASER_TOKEN = "releaser-own-token"  # noqa: S105
STEP = PlanInput("step.py", {"step.py": b"print('promoted')\n"})


@pytest.fixture
def gitlab(gitlab_fake):  # noqa: F811
    """The fake with ``stats/deployment``, the service's bot and releaser (a developer there)."""
    state = gitlab_fake.state
    bot = state.add_user("dataops-bot", SERVICE_TOKEN, "DataOps service")
    releaser = state.add_user("releaser", RELEASER_TOKEN, "Rita Releaser")
    project = state.add_project("stats/deployment")
    project.members.update({bot.id: MAINTAINER, releaser.id: DEVELOPER})
    return gitlab_fake


def make_desk(tmp_path, gitlab_url: str, identity: str, prod_identity: str = "") -> PromotionDesk:
    """A desk whose ``ci-dev`` lands on ``main`` directly and ``ci-prod`` through a merge request."""
    override = f'gitlab_identity = "{prod_identity}"\n' if prod_identity else ""
    config = tmp_path / "config.toml"
    config.write_text(
        f"""[promotion]
gitlab_url = "{gitlab_url}"
audit_log = "{tmp_path / "audit.jsonl"}"
gitlab_identity = "{identity}"

[[promotion.environments]]
id = "ci-dev"
branch = "main"
gitlab_project = "stats/deployment"

[[promotion.environments]]
id = "ci-prod"
branch = "main"
gitlab_project = "stats/deployment"
protected = true
{override}"""
    )
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[gitlab]\ntoken = "{SERVICE_TOKEN}"\n')
    secrets.chmod(0o600)
    return PromotionDesk(ServicePolicy(config, secrets))


def promote(desk: PromotionDesk, caller: Caller, env_id: str) -> dict:
    plan = desk.review(caller, {"environment": env_id, "input": STEP.to_json()})
    return desk.submit(caller, plan.id, f"promote to {env_id}")


def commit_author(gitlab, sha: str) -> str:
    project = gitlab.state.project("stats/deployment")
    return gitlab.state.git(project, "show", "-s", "--format=%an <%ae> / %cn <%ce>", sha)


def test_in_user_mode_the_commit_is_made_by_the_callers_own_gitlab_account(tmp_path, gitlab):
    desk = make_desk(tmp_path, gitlab.url, "user")
    caller = Caller("releaser", ("release-managers",), gitlab_token=RELEASER_TOKEN)
    landed = promote(desk, caller, "ci-dev")
    assert landed["user"] == "releaser"
    assert commit_author(gitlab, landed["commit_sha"]) == (
        "Rita Releaser <releaser@example.org> / Rita Releaser <releaser@example.org>"
    )


def test_in_service_mode_the_commit_is_made_by_the_services_account(tmp_path, gitlab):
    desk = make_desk(tmp_path, gitlab.url, "service")
    caller = Caller("releaser", ("release-managers",), gitlab_token=RELEASER_TOKEN)
    landed = promote(desk, caller, "ci-dev")
    assert commit_author(gitlab, landed["commit_sha"]).startswith("DataOps service <dataops-bot@example.org>")


def test_a_merge_request_in_user_mode_is_opened_by_the_caller(tmp_path, gitlab):
    desk = make_desk(tmp_path, gitlab.url, "service", prod_identity="user")
    caller = Caller("releaser", (), gitlab_token=RELEASER_TOKEN)
    landed = promote(desk, caller, "ci-prod")
    assert landed["merge_request"] is not None
    assert commit_author(gitlab, landed["commit_sha"]).startswith("Rita Releaser <releaser@example.org>")
    project = gitlab.state.project("stats/deployment")
    opened = gitlab.state.collection(f"merge_requests:{project.id}")
    (mr,) = [m for m in opened.values() if m.iid == landed["merge_request"]["iid"]]
    assert mr.author.username == "releaser"
    # Its state is read with the caller's own token too.
    assert desk.merge_request(caller, "ci-prod", mr.iid)["state"] == "opened"
    # The environment's override applies to it alone: ci-dev still commits as the service.
    other = promote(desk, caller, "ci-dev")
    assert commit_author(gitlab, other["commit_sha"]).startswith("DataOps service")


def test_without_a_token_in_auth_state_the_promotion_is_refused_and_gitlab_hears_nothing(tmp_path, gitlab):
    desk = make_desk(tmp_path, gitlab.url, "user")
    project = gitlab.state.project("stats/deployment")
    before = gitlab.state.head(project, "main")
    with pytest.raises(Unauthorized) as refused:
        desk.review(Caller("analyst", ()), {"environment": "ci-dev", "input": STEP.to_json()})
    assert refused.value.message == (
        "Promotions to ci-dev are made with your own GitLab account, and the hub holds no GitLab token "
        "for analyst: sign in again through GitLab."
    )
    assert gitlab.state.requests == []
    assert gitlab.state.head(project, "main") == before


def test_the_promote_dialog_shows_a_user_mode_environment_disabled_without_a_token(tmp_path, gitlab):
    desk = make_desk(tmp_path, gitlab.url, "service", prod_identity="user")
    listed = {e["id"]: e for e in desk.environments(Caller("analyst", ()))["environments"]}
    assert (listed["ci-dev"]["may_promote"], listed["ci-dev"]["reason"]) == (True, "")
    assert listed["ci-prod"]["may_promote"] is False
    assert listed["ci-prod"]["reason"].endswith(
        "the hub holds no GitLab token for analyst: sign in again through GitLab."
    )
    with_token = desk.environments(Caller("releaser", (), gitlab_token=RELEASER_TOKEN))["environments"]
    assert all(e["may_promote"] for e in with_token)


def test_a_token_lost_between_review_and_submit_is_refused_without_the_services_token(tmp_path, gitlab):
    desk = make_desk(tmp_path, gitlab.url, "user")
    project = gitlab.state.project("stats/deployment")
    plan = desk.review(
        Caller("releaser", (), gitlab_token=RELEASER_TOKEN),
        {"environment": "ci-dev", "input": STEP.to_json()},
    )
    before = gitlab.state.head(project, "main")
    with pytest.raises(Unauthorized, match="sign in again through GitLab"):
        desk.submit(Caller("releaser", ()), plan.id, "after the token expired")
    assert gitlab.state.head(project, "main") == before
    assert not [r for r in gitlab.state.requests if r.method == "POST"]


def test_the_auth_state_token_is_read_from_access_token_only():
    assert gitlab_token({"access_token": " glpat-x ", "refresh_token": "r"}) == "glpat-x"
    assert gitlab_token({"refresh_token": "r"}) is None
    assert gitlab_token(None) is None
    assert "glpat" not in repr(Caller("releaser", (), gitlab_token="glpat-x"))


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            'gitlab_identity = "users"',
            '[promotion] gitlab_identity must be "service" or "user", not \'users\'.',
        ),
        (
            '[[promotion.environments]]\nid = "dev"\nbranch = "main"\nremote = "https://git.example/d.git"\n'
            'gitlab_identity = "user"',
            "Environment 'dev' sets gitlab_identity but names no gitlab_project; "
            "only GitLab environments commit with a GitLab account.",
        ),
    ],
)
def test_a_wrong_gitlab_identity_setting_names_itself(tmp_path, setting, message):
    config = tmp_path / "config.toml"
    config.write_text(f"[promotion]\n{setting}\n")
    with pytest.raises(ConfigError) as wrong:
        ServicePolicy(config, tmp_path / "secrets.toml").promotion()
    assert wrong.value.message == message
