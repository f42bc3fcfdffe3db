"""The hub service's rights, seen by a caller: every refusal names who may and who may not, and GitLab
hears nothing of a refused request (no read with the service's token, no commit, no pipeline).

``ci-dev`` is open to every hub user; ``ci-prod`` (protected: merge requests) is for release-managers
only. The service reaches the GitLab fake (spec-checked) with its own token.
"""

from __future__ import annotations

import asyncio

import pytest

from dataops.errors import Forbidden, InvalidInput, NotFound
from dataops.promotion.inputs import PlanInput
from dataops.service.desk import PromotionDesk
from dataops.service.hub import Caller
from dataops.service.policy import ServicePolicy
from tests.fakes.gitlab.ci_model import JobPlan, configure_ci, pipelines
from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401
from tests.fakes.gitlab.state import MAINTAINER

SERVICE_TOKEN = "service-bot-token"  # noqa: S105 (a test stand-in)
STEP = PlanInput("step.py", {"step.py": b"print('promoted')\n"})
ANALYST = Caller("analyst", ("statisticians",))
RELEASER = Caller("releaser", ("release-managers",))
PROD_REFUSAL = "Only rita, sam and members of release-managers may {action} ci-prod; analyst may not."


def policy_text(
    gitlab_url: str, audit_log, prod_groups: str = '"release-managers"', prod_extra: str = ""
) -> str:
    return f"""[promotion]
gitlab_url = "{gitlab_url}"
audit_log = "{audit_log}"

[[promotion.environments]]
id = "ci-dev"
branch = "main"
gitlab_project = "stats/deployment"

[[promotion.environments]]
id = "ci-prod"
label = "Production"
branch = "deploy/prod"
gitlab_project = "stats/deployment"
protected = true
allowed_users = ["rita", "sam"]
allowed_groups = [{prod_groups}]
folders = {{ notebooks = "nb" }}
{prod_extra}

[[promotion.environments]]
id = "archive"
branch = "main"
remote = "https://git.example/archive.git"
"""


@pytest.fixture
def gitlab(gitlab_fake):  # noqa: F811
    """The fake with ``stats/deployment`` (main and deploy/prod) and the service's bot."""
    state = gitlab_fake.state
    bot = state.add_user("dataops-bot", SERVICE_TOKEN, "DataOps service")
    project = state.add_project("stats/deployment")
    project.members[bot.id] = MAINTAINER
    state.move_branch(project, "deploy/prod", state.head(project, "main"), None)
    configure_ci(state, project, [JobPlan("regression", interval=None)], push_branches=None)
    return gitlab_fake


@pytest.fixture
def desk(tmp_path, gitlab) -> PromotionDesk:
    config = tmp_path / "config.toml"
    config.write_text(policy_text(gitlab.url, tmp_path / "audit.jsonl"))
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[gitlab]\ntoken = "{SERVICE_TOKEN}"\n')
    secrets.chmod(0o600)
    return PromotionDesk(ServicePolicy(config, secrets))


def review(desk: PromotionDesk, caller: Caller, env_id: str):
    return desk.review(caller, {"environment": env_id, "input": STEP.to_json()})


def test_a_review_of_an_environment_the_caller_may_not_promote_to_is_refused_before_gitlab_is_read(
    desk, gitlab
):
    with pytest.raises(Forbidden) as refused:
        review(desk, ANALYST, "ci-prod")
    assert refused.value.message == PROD_REFUSAL.format(action="promote to")
    assert gitlab.state.requests == []
    assert desk.plans == {}


def test_rights_withdrawn_after_the_review_refuse_the_submit_and_nothing_lands(desk, gitlab, tmp_path):
    plan = review(desk, RELEASER, "ci-prod")
    (tmp_path / "config.toml").write_text(policy_text(gitlab.url, tmp_path / "audit.jsonl", '"auditors"'))
    project = gitlab.state.project("stats/deployment")
    branches = gitlab.state.branches(project)
    with pytest.raises(Forbidden) as refused:
        desk.submit(RELEASER, plan.id, "to prod")
    assert (
        refused.value.message
        == "Only rita, sam and members of auditors may promote to ci-prod; releaser may not."
    )
    assert gitlab.state.branches(project) == branches
    assert not [r for r in gitlab.state.requests if r.method == "POST"]
    assert not (tmp_path / "audit.jsonl").exists()


def test_a_review_belongs_to_the_caller_who_made_it(desk):
    plan = review(desk, ANALYST, "ci-dev")
    for other in (Caller("bob", ("statisticians",)), RELEASER):
        with pytest.raises(NotFound, match="review again"):
            desk.plan(other, plan.id)
        with pytest.raises(NotFound, match="review again"):
            desk.submit(other, plan.id, "not mine")
    assert desk.plan(ANALYST, plan.id) is plan
    landed = desk.submit(ANALYST, plan.id, "mine")
    assert landed["user"] == "analyst" and landed["files"] == ["steps/step.py"]
    assert landed["audit"]["commit_message"] == "mine"
    with pytest.raises(NotFound):  # a landed review is spent
        desk.submit(ANALYST, plan.id, "twice")


def test_a_merge_request_is_shown_to_its_environments_promoters_only(desk, gitlab):
    landed = desk.submit(RELEASER, review(desk, RELEASER, "ci-prod").id, "Quarterly release")
    iid = landed["merge_request"]["iid"]
    assert desk.merge_request(RELEASER, "ci-prod", iid)["state"] == "opened"
    gitlab.state.requests.clear()
    with pytest.raises(Forbidden) as refused:
        desk.merge_request(ANALYST, "ci-prod", iid)
    assert refused.value.message == PROD_REFUSAL.format(action="promote to")
    assert gitlab.state.requests == []


def test_the_promote_dialog_lists_every_environment_with_what_the_caller_may_do(desk):
    listed = desk.environments(ANALYST)
    assert listed["user"] == "analyst"
    by_id = {e["id"]: e for e in listed["environments"]}
    assert list(by_id) == ["ci-dev", "ci-prod", "archive"]
    assert (by_id["ci-dev"]["may_promote"], by_id["ci-dev"]["reason"]) == (True, "")
    assert by_id["ci-prod"] == {
        "id": "ci-prod",
        "label": "Production",
        "branch": "deploy/prod",
        "target": "gitlab",
        "gitlab_project": "stats/deployment",
        "protected": True,
        "folders": {"notebooks": "nb", "steps": "steps", "processes": "processes"},
        "may_promote": False,
        "reason": PROD_REFUSAL.format(action="promote to"),
        "may_see_history": False,
        "history_reason": PROD_REFUSAL.format(action="see the promotions to"),
    }
    assert (by_id["archive"]["label"], by_id["archive"]["target"]) == ("archive", "git")
    assert (by_id["archive"]["protected"], by_id["archive"]["folders"]["notebooks"]) == (False, "notebooks")
    assert all(e["may_promote"] for e in desk.environments(RELEASER)["environments"])


def test_history_shows_only_the_environments_the_caller_may_see(desk):
    desk.submit(ANALYST, review(desk, ANALYST, "ci-dev").id, "to dev")
    desk.submit(RELEASER, review(desk, RELEASER, "ci-prod").id, "to prod")

    mine = asyncio.run(desk.history(ANALYST, None, 20))
    assert [e["environment"] for e in mine["entries"]] == ["ci-dev"]
    assert mine["hidden_environments"] == ["ci-prod"]
    everything = asyncio.run(desk.history(RELEASER, None, 20))
    assert [e["environment"] for e in everything["entries"]] == ["ci-prod", "ci-dev"]
    assert everything["hidden_environments"] == []
    assert [e["environment"] for e in asyncio.run(desk.history(RELEASER, "ci-prod", 20))["entries"]] == [
        "ci-prod"
    ]

    with pytest.raises(Forbidden) as refused:
        asyncio.run(desk.history(ANALYST, "ci-prod", 20))
    assert refused.value.message == PROD_REFUSAL.format(action="see the promotions to")
    with pytest.raises(InvalidInput) as unknown:
        asyncio.run(desk.history(ANALYST, "staging", 20))
    assert unknown.value.message == (
        "There is no deployment environment called 'staging' (configured: ci-dev, ci-prod, archive)."
    )


def test_the_deploy_panel_lists_only_the_environments_whose_pipelines_the_caller_may_see(desk):
    assert desk.pipeline_environments(ANALYST)["environments"] == [
        {
            "id": "ci-dev",
            "branch": "main",
            "gitlab_project": "stats/deployment",
            "pipelines": True,
            "reason": "",
            "may_run": True,
        },
        {
            "id": "archive",
            "branch": "main",
            "gitlab_project": "",
            "pipelines": False,
            "reason": "deploys to a plain git remote without local pipelines: no pipelines to show",
            "may_run": True,
        },
    ]
    listed = desk.pipeline_environments(RELEASER)["environments"]
    assert [(e["id"], e["may_run"]) for e in listed] == [
        ("ci-dev", True),
        ("ci-prod", True),
        ("archive", True),
    ]


def test_pipelines_of_an_environment_are_refused_to_callers_who_may_not_see_it(desk, gitlab):
    calls = {
        "see the pipelines of": [
            desk.pipelines(ANALYST, "ci-prod", 10),
            desk.pipeline(ANALYST, "ci-prod", 1),
            desk.test_report(ANALYST, "ci-prod", 1),
            desk.job(ANALYST, "ci-prod", 1),
            desk.job_log(ANALYST, "ci-prod", 1, 0),
        ],
        "run pipelines of": [desk.run_pipeline(ANALYST, "ci-prod", {"REASON": "x"})],
    }
    for action, refused_calls in calls.items():
        for call in refused_calls:
            with pytest.raises(Forbidden) as refused:
                asyncio.run(call)
            assert refused.value.message == PROD_REFUSAL.format(action=action)
    assert gitlab.state.requests == []
    listed = asyncio.run(desk.pipelines(RELEASER, "ci-prod", 10))
    assert (listed["environment"], listed["branch"], listed["pipelines"]) == ("ci-prod", "deploy/prod", [])


def test_where_the_policy_refuses_the_dialog_gives_the_policys_reason_not_the_missing_token(tmp_path, gitlab):
    config = tmp_path / "config.toml"
    config.write_text(
        policy_text(gitlab.url, tmp_path / "audit.jsonl", prod_extra='gitlab_identity = "user"')
    )
    desk = PromotionDesk(ServicePolicy(config, tmp_path / "secrets.toml"))
    refused = {e["id"]: e for e in desk.environments(ANALYST)["environments"]}["ci-prod"]
    assert (refused["may_promote"], refused["reason"]) == (False, PROD_REFUSAL.format(action="promote to"))
    no_token = {e["id"]: e for e in desk.environments(RELEASER)["environments"]}["ci-prod"]
    assert no_token["may_promote"] is False
    assert no_token["reason"] == (
        "Promotions to ci-prod are made with your own GitLab account, and the hub holds no GitLab token "
        "for releaser: sign in again through GitLab."
    )


def test_a_releaser_runs_a_pipeline_with_variables_as_text_and_follows_its_job(desk, gitlab):
    started = asyncio.run(desk.run_pipeline(RELEASER, "ci-prod", {"RUNS": 2, "DRY": True, "NOTE": "x"}))
    assert started["ref"] == "deploy/prod"
    assert pipelines(gitlab.state)[started["id"]].variables == {"RUNS": "2", "DRY": "True", "NOTE": "x"}
    (job,) = started["jobs"]
    shown = asyncio.run(desk.job(RELEASER, "ci-prod", job["id"]))
    assert (shown["id"], shown["name"], shown["finished"]) == (job["id"], "regression", False)
    log = asyncio.run(desk.job_log(RELEASER, "ci-prod", job["id"], 0))
    assert log == {
        "job_id": job["id"],
        "status": "running",
        "finished": False,
        "offset": 0,
        "next_offset": 0,
        "content": "",
        "reset": False,
    }
    with pytest.raises(InvalidInput) as before_the_start:
        asyncio.run(desk.job_log(RELEASER, "ci-prod", job["id"], -1))
    assert before_the_start.value.message == "'offset' must be at least 0."
    with pytest.raises(InvalidInput) as bad:
        asyncio.run(desk.run_pipeline(RELEASER, "ci-prod", {"RUNS": [1, 2]}))
    assert bad.value.message == "'variables' must be an object of variable names to text values."
    for limit in (0, 51):
        with pytest.raises(InvalidInput) as out_of_range:
            asyncio.run(desk.pipelines(RELEASER, "ci-prod", limit))
        assert out_of_range.value.message == "'limit' must be between 1 and 50."


def test_without_environments_an_unknown_one_is_named_as_such(tmp_path, gitlab):
    config = tmp_path / "config.toml"
    config.write_text(f'[promotion]\ngitlab_url = "{gitlab.url}/"\n')
    desk = PromotionDesk(ServicePolicy(config, tmp_path / "secrets.toml"))
    with pytest.raises(InvalidInput) as unknown:
        asyncio.run(desk.history(ANALYST, "prod", 20))
    assert unknown.value.message == "There is no deployment environment called 'prod' (configured: none)."


def test_a_gitlab_url_written_with_a_final_slash_reaches_the_same_pipelines(desk, gitlab, tmp_path):
    started = asyncio.run(desk.run_pipeline(RELEASER, "ci-prod", {}))
    config = tmp_path / "config.toml"
    config.write_text(
        config.read_text().replace(f'gitlab_url = "{gitlab.url}"', f'gitlab_url = "{gitlab.url}/"')
    )
    listed = asyncio.run(desk.pipelines(RELEASER, "ci-prod", 10))
    assert [p["id"] for p in listed["pipelines"]] == [started["id"]]
