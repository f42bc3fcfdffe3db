"""Promotion to GitLab through the fake held to GitLab's OpenAPI subset."""

from __future__ import annotations

import threading

import pytest

from dataops.errors import Conflict, Forbidden, RateLimited, Unauthorized, Unreachable
from dataops.promotion.access import Identity
from dataops.promotion.config import Environment
from dataops.promotion.plan import build_plan
from dataops.promotion.submit import submit
from dataops.promotion.targets.gitlab import GitLabTarget
from tests.fakes.gitlab.state import DEVELOPER, MAINTAINER

ALICE = Identity("alice", name="Alice", email="alice@bank.example")
TOKEN = "glpat-alice-0123456789abcdef"


@pytest.fixture
def project(gitlab_fake):
    state = gitlab_fake.state
    alice = state.add_user("alice", TOKEN)
    approver = state.add_user("carol", "glpat-carol-0123456789abcdef")
    project = state.add_project("stats/deployment")
    project.members[alice.id] = DEVELOPER
    project.members[approver.id] = MAINTAINER
    return project


def _target(fake, token=TOKEN, **kw):
    return GitLabTarget(
        fake.url, "stats/deployment", token, sleep=lambda s: fake.state.requests.append(s), **kw
    )


def _env(**kw):
    return Environment(
        kw.pop("id", "dev"), kw.pop("branch", "deploy/dev"), gitlab_project="stats/deployment", **kw
    )


def test_one_commit_with_every_file_never_forced(workspace, gitlab_fake, project, tmp_path):
    target = _target(gitlab_fake)
    plan = build_plan(workspace, "analysis.ipynb", _env(), target, ALICE)
    done = submit(plan, target, tmp_path / "audit.jsonl", "Promote analysis")
    state = gitlab_fake.state
    assert state.head(project, "deploy/dev") == done.commit_sha
    assert done.commit_url.endswith(f"/stats/deployment/-/commit/{done.commit_sha}")
    listing = state.git(project, "ls-tree", "-r", "--name-only", done.commit_sha).split()
    assert listing == ["notebooks/analysis.ipynb", "notebooks/analysis.py", "notebooks/helpers.py"]
    commits = [
        r for r in state.requests if getattr(r, "method", "") == "POST" and r.path.endswith("/commits")
    ]
    assert len(commits) == 1 and "force" not in commits[0].body


def test_update_sends_each_files_last_commit_id(workspace, gitlab_fake, project, tmp_path):
    target = _target(gitlab_fake)
    first = submit(
        build_plan(workspace, "analysis.ipynb", _env(), target, ALICE), target, tmp_path / "a.jsonl"
    )
    (workspace / "helpers.py").write_text("def scale(x):\n    return x * 10\n")
    submit(build_plan(workspace, "analysis.ipynb", _env(), target, ALICE), target, tmp_path / "a.jsonl")
    last = [r for r in gitlab_fake.state.requests if getattr(r, "method", "") == "POST"][-1]
    assert {a["action"] for a in last.body["actions"]} == {"update"}
    assert {a["last_commit_id"] for a in last.body["actions"]} == {first.commit_sha}


def test_racing_promotions_one_lands_the_other_conflicts(workspace, gitlab_fake, project, tmp_path):
    plans = [build_plan(workspace, "analysis.ipynb", _env(), _target(gitlab_fake), Identity(u)) for u in "ab"]
    outcomes: list = [None, None]
    barrier = threading.Barrier(2)

    def run(i):
        barrier.wait()
        try:
            outcomes[i] = submit(plans[i], _target(gitlab_fake), tmp_path / "a.jsonl", f"race {i}")
        except Exception as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    landed = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(landed) == 1 and sum(isinstance(o, Conflict) for o in outcomes) == 1
    assert gitlab_fake.state.head(project, "deploy/dev") == landed[0].commit_sha


def test_file_changed_by_someone_else_is_a_conflict(workspace, gitlab_fake, project, tmp_path):
    target = _target(gitlab_fake)
    submit(build_plan(workspace, "analysis.ipynb", _env(), target, ALICE), target, tmp_path / "a.jsonl")
    (workspace / "helpers.py").write_text("def scale(x):\n    return -x\n")
    plan = build_plan(workspace, "analysis.ipynb", _env(), target, ALICE)
    state = gitlab_fake.state
    before = state.head(project, "deploy/dev")
    hotfix = state.write_commit(
        project, before, {"notebooks/helpers.py": b"x = 1\n"}, "hotfix", state.users[1]
    )
    state.move_branch(project, "deploy/dev", hotfix, before)
    # even if the head check were passed, GitLab's per-file last_commit_id check refuses the update
    plan.base_commit = hotfix
    with pytest.raises(Conflict, match="changed since"):
        submit(plan, target, tmp_path / "a.jsonl")
    assert state.head(project, "deploy/dev") == hotfix
    assert state.git(project, "show", "deploy/dev:notebooks/helpers.py") == "x = 1"


def test_protected_environment_opens_then_reuses_a_merge_request(workspace, gitlab_fake, project, tmp_path):
    state = gitlab_fake.state
    # the target branch exists and is protected in GitLab
    state.move_branch(project, "deploy/prod", state.head(project, "main"), None)
    state.protect(project, "deploy/prod", push=MAINTAINER, merge=MAINTAINER)
    target = _target(gitlab_fake)
    plan = build_plan(workspace, "analysis.ipynb", _env(id="prod", branch="deploy/prod"), target, ALICE)
    assert plan.mode == "merge_request"  # read from GitLab: alice cannot push to deploy/prod
    first = submit(plan, target, tmp_path / "a.jsonl", "Promote to prod")
    mr = first.merge_request
    assert (mr["iid"], mr["state"], mr["target_branch"]) == (1, "opened", "deploy/prod")
    assert mr["approvals"] == {"required": 1, "approved_by": [], "approved": False} and not mr["mergeable"]
    (workspace / "helpers.py").write_text("def scale(x):\n    return x\n")
    plan2 = build_plan(workspace, "analysis.ipynb", _env(id="prod", branch="deploy/prod"), target, ALICE)
    second = submit(plan2, target, tmp_path / "a.jsonl", "Promote to prod, take 2")
    assert second.merge_request["iid"] == 1  # GitLab's 409 led to the open one being updated
    assert state.head(project, "deploy/prod") == state.head(project, "main")  # nothing merged yet
    assert target.merge_request(1)["title"] == "Promote to prod, take 2"


def test_unauthorised_token_is_a_clear_error_without_the_token(workspace, gitlab_fake, project):
    with pytest.raises(Unauthorized) as err:
        build_plan(
            workspace, "analysis.ipynb", _env(), _target(gitlab_fake, token="glpat-wrong-0000000000"), ALICE
        )
    assert "glpat-wrong" not in err.value.message


def test_rate_limit_is_retried_after_the_servers_delay(workspace, gitlab_fake, project, tmp_path):
    gitlab_fake.state.inject("POST", r"/repository/commits$", 429, times=2, headers={"Retry-After": "7"})
    target = _target(gitlab_fake)
    done = submit(
        build_plan(workspace, "analysis.ipynb", _env(), target, ALICE), target, tmp_path / "a.jsonl"
    )
    assert done.commit_sha
    assert [r for r in gitlab_fake.state.requests if isinstance(r, float)] == [7.0, 7.0]


def test_rate_limit_that_persists_is_reported(workspace, gitlab_fake, project, tmp_path):
    gitlab_fake.state.inject("GET", r"/branches/\{branch\}$", 429, times=5, headers={"Retry-After": "2"})
    with pytest.raises(RateLimited, match="try again in 2 seconds"):
        build_plan(workspace, "analysis.ipynb", _env(), _target(gitlab_fake), ALICE)


@pytest.mark.parametrize(
    ("status", "error", "sentence"),
    [
        (403, Forbidden, "does not allow"),
        (500, Unreachable, "server error"),
        (401, Unauthorized, "refused the token"),
    ],
)
def test_gitlab_refusals_map_to_clear_errors(
    workspace, gitlab_fake, project, tmp_path, status, error, sentence
):
    target = _target(gitlab_fake)
    plan = build_plan(workspace, "analysis.ipynb", _env(), target, ALICE)
    gitlab_fake.state.inject("POST", r"/repository/commits$", status)
    with pytest.raises(error, match=sentence):
        submit(plan, target, tmp_path / "a.jsonl")
    assert gitlab_fake.state.head(project, "deploy/dev") is None  # nothing landed


def test_merge_request_409_for_an_existing_open_request_is_not_a_failure(
    workspace, gitlab_fake, project, tmp_path
):
    gitlab_fake.state.inject(
        "POST", r"/merge_requests$", 409, message=["Another open merge request already exists"]
    )
    state = gitlab_fake.state
    state.move_branch(project, "deploy/prod", state.head(project, "main"), None)
    target = _target(gitlab_fake)
    plan = build_plan(
        workspace, "analysis.ipynb", _env(id="prod", branch="deploy/prod", protected=True), target, ALICE
    )
    with pytest.raises(Conflict):  # the 409 came with no open request to reuse: reported, not hidden
        submit(plan, target, tmp_path / "a.jsonl")
