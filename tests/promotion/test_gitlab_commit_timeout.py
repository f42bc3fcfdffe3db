"""A commit whose answer from GitLab never arrives in time: the branch tells what happened, and the
promotion is reported as it is (landed, or not), never the other way round."""

from __future__ import annotations

import pytest

from dataops.errors import Unreachable
from dataops.promotion import audit
from dataops.promotion.plan import build_plan
from dataops.promotion.submit import submit
from dataops.promotion.targets.gitlab import GitLabTarget
from tests.promotion.test_gitlab_target import ALICE, TOKEN, _env, project  # noqa: F401

TIMEOUT = 0.5  # the client's; the fake answers the commit later than this
COMMITS = r"/repository/commits$"


def _target(fake):
    return GitLabTarget(fake.url, "stats/deployment", TOKEN, timeout=TIMEOUT)


def _commit_requests(state):
    return [r for r in state.requests if getattr(r, "method", "") == "POST" and r.path.endswith("/commits")]


@pytest.mark.parametrize("existing_branch", [False, True])
def test_a_commit_that_landed_before_the_answer_timed_out_is_reported_as_landed(
    workspace,
    gitlab_fake,
    project,
    tmp_path,
    existing_branch,  # noqa: F811
):
    state = gitlab_fake.state
    if existing_branch:
        state.move_branch(project, "deploy/dev", state.head(project, "main"), None)
    target = _target(gitlab_fake)
    plan = build_plan(workspace, "analysis.ipynb", _env(), target, ALICE)
    state.delay("POST", COMMITS, TIMEOUT * 4)

    done = submit(plan, target, tmp_path / "audit.jsonl", "Promote analysis")

    assert done.commit_sha == state.head(project, "deploy/dev")
    assert done.commit_url.endswith(f"/-/commit/{done.commit_sha}")
    assert len(_commit_requests(state)) == 1  # never sent twice
    (record,) = audit.read(tmp_path / "audit.jsonl")
    assert (record["outcome"], record["commit_sha"]) == ("landed", done.commit_sha)


def test_a_commit_that_timed_out_without_landing_is_reported_as_not_landed(
    workspace,
    gitlab_fake,
    project,
    tmp_path,  # noqa: F811
):
    state = gitlab_fake.state
    state.move_branch(project, "deploy/dev", state.head(project, "main"), None)
    before = state.head(project, "deploy/dev")
    target = _target(gitlab_fake)
    plan = build_plan(workspace, "analysis.ipynb", _env(), target, ALICE)
    state.inject("POST", COMMITS, 500)  # GitLab fails the commit, and says so too late
    state.delay("POST", COMMITS, TIMEOUT * 4)

    with pytest.raises(Unreachable, match="The promotion did not land: deploy/dev has not changed"):
        submit(plan, target, tmp_path / "audit.jsonl", "Promote analysis")

    assert state.head(project, "deploy/dev") == before
    (record,) = audit.read(tmp_path / "audit.jsonl")
    assert record["outcome"] != "landed" and "did not land" in record["message"]


@pytest.mark.timeout(20)  # a guard only: GitLab would answer after 60 s
def test_a_commit_gitlab_answers_too_late_is_settled_within_the_clients_timeout(
    workspace,
    gitlab_fake,
    project,
    tmp_path,  # noqa: F811
):
    state = gitlab_fake.state
    target = _target(gitlab_fake)
    plan = build_plan(workspace, "analysis.ipynb", _env(), target, ALICE)
    state.delay("POST", COMMITS, 60)

    done = submit(plan, target, tmp_path / "audit.jsonl", "Promote analysis")

    assert done.commit_sha == state.head(project, "deploy/dev")
