"""Promotion to a plain git remote over smart HTTP: atomic, fast-forward only, hook-aware."""

from __future__ import annotations

import threading

import pytest

from dataops.config import Config
from dataops.errors import ConfigError, Conflict, DataOpsError, Forbidden
from dataops.promotion.access import Identity
from dataops.promotion.config import Environment, PromotionConfig
from dataops.promotion.plan import build_plan
from dataops.promotion.submit import submit
from dataops.promotion.targets.git import GitTarget
from tests.fakes.git_http import git, make_bare_repo

ALICE = Identity("alice", name="Alice", email="alice@bank.example")


@pytest.fixture
def remote(git_server):
    make_bare_repo(git_server.root, "deploy", protected=["deploy/prod"], pushers=["release-bot"])
    return f"{git_server.url}/deploy.git"


def _show(git_server, ref, path):
    return git(git_server.root / "deploy.git", "show", f"{ref}:{path}")


def test_promotion_lands_cleaned_notebook_script_and_helper_in_one_commit(
    workspace, remote, git_server, tmp_path
):
    env = Environment("dev", "deploy/dev", remote=remote)
    plan = build_plan(workspace, "analysis.ipynb", env, GitTarget(remote), ALICE)
    assert [f.destination for f in plan.files] == [
        "notebooks/analysis.ipynb",
        "notebooks/analysis.py",
        "notebooks/helpers.py",
    ]
    assert plan.base_commit is None and plan.scan.clean
    done = submit(plan, GitTarget(remote), tmp_path / "audit.jsonl", "Promote analysis")
    repo = git_server.root / "deploy.git"
    assert git(repo, "rev-parse", "deploy/dev") == done.commit_sha
    assert git(repo, "show", "-s", "--format=%an <%ae>%n%s", done.commit_sha) == (
        "Alice <alice@bank.example>\nPromote analysis"
    )
    assert '"outputs": []' in _show(git_server, "deploy/dev", "notebooks/analysis.ipynb")
    assert '# %% tags=["parameters"]' in _show(git_server, "deploy/dev", "notebooks/analysis.py")
    assert "return x * 100" in _show(git_server, "deploy/dev", "notebooks/helpers.py")


def test_second_review_shows_only_the_changed_cell(workspace, remote):
    env = Environment("dev", "deploy/dev", remote=remote)
    target = GitTarget(remote)
    submit(build_plan(workspace, "analysis.ipynb", env, target, ALICE), target, workspace / "a.jsonl")
    nb_path = workspace / "analysis.ipynb"
    nb_path.write_text(nb_path.read_text().replace("year = 2025", "year = 2026"))
    again = build_plan(workspace, "analysis.ipynb", env, target, ALICE)
    notebook, script, helper = again.files
    assert [c.status for c in notebook.diff.cells] == ["unchanged", "modified", "unchanged"]
    assert "-year = 2025" in notebook.diff.cells[1].diff and "+year = 2026" in notebook.diff.cells[1].diff
    assert "-year = 2025" in script.diff.lines and "+year = 2026" in script.diff.lines
    assert helper.diff.status == "unchanged"


def test_branch_moved_since_review_is_a_conflict_and_nothing_is_overwritten(workspace, remote, git_server):
    env = Environment("dev", "deploy/dev", remote=remote)
    target = GitTarget(remote)
    first = build_plan(workspace, "analysis.ipynb", env, target, ALICE)
    second = build_plan(workspace, "analysis.ipynb", env, target, Identity("bob"))
    landed = submit(first, target, workspace / "a.jsonl")
    with pytest.raises(Conflict, match="changed since you reviewed") as moved:
        submit(second, target, workspace / "a.jsonl")
    assert git(git_server.root / "deploy.git", "rev-parse", "deploy/dev") == landed.commit_sha
    assert moved.value.message.startswith("The branch deploy/dev changed since you reviewed this promotion.")


def test_two_promotions_racing_to_one_branch_one_lands_one_conflicts(workspace, remote, git_server):
    env = Environment("dev", "deploy/dev", remote=remote)
    target = GitTarget(remote)
    submit(build_plan(workspace, "analysis.ipynb", env, target, ALICE), target, workspace / "a.jsonl")
    (workspace / "helpers.py").write_text("def scale(x):\n    return x * 1000\n")
    plans = [build_plan(workspace, "analysis.ipynb", env, target, Identity(u)) for u in ("alice", "bob")]
    outcomes: list = [None, None]
    barrier = threading.Barrier(2)

    def run(i):
        barrier.wait()
        try:
            outcomes[i] = submit(plans[i], GitTarget(remote), workspace / "a.jsonl", f"race {i}")
        except Exception as exc:  # recorded: anything but a Conflict fails the assertions below
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    landed = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(landed) == 1 and sum(isinstance(o, Conflict) for o in outcomes) == 1
    repo = git_server.root / "deploy.git"
    assert git(repo, "rev-parse", "deploy/dev") == landed[0].commit_sha
    # the earlier promotion is still in the history: nothing was lost
    assert len(git(repo, "rev-list", "deploy/dev").split()) == 2
    assert "x * 1000" in _show(git_server, "deploy/dev", "notebooks/helpers.py")


def test_pre_receive_hook_refusal_is_forbidden_with_the_hooks_reason(workspace, remote):
    env = Environment("prod", "deploy/prod", remote=remote)
    target = GitTarget(remote)
    plan = build_plan(workspace, "analysis.ipynb", env, target, ALICE)
    with pytest.raises(Forbidden, match="deploy/prod is a protected branch"):
        submit(plan, target, workspace / "a.jsonl")


def test_protected_environment_on_git_lands_on_a_promotion_branch(workspace, remote, git_server):
    env = Environment("prod", "deploy/prod", remote=remote, protected=True)
    target = GitTarget(remote)
    plan = build_plan(workspace, "analysis.ipynb", env, target, ALICE)
    assert plan.mode == "merge_request" and plan.review_branch == "promote/prod/analysis"
    done = submit(plan, target, workspace / "a.jsonl")
    assert done.branch == "promote/prod/analysis"
    assert "refs/heads/deploy/prod" not in git(git_server.root / "deploy.git", "for-each-ref")


def test_a_remote_that_looks_like_an_option_never_runs_a_command(workspace, tmp_path):
    witness = tmp_path / "ran"
    remote = f"--upload-pack=touch {witness};false"
    env = Environment("dev", "deploy/dev", remote=remote)
    with pytest.raises(DataOpsError):
        build_plan(workspace, "analysis.ipynb", env, GitTarget(remote), ALICE)
    assert not witness.exists()


@pytest.mark.parametrize("field", ["remote", "branch"])
def test_a_configured_remote_or_branch_starting_with_a_dash_is_refused(field):
    entry = {"id": "dev", "branch": "deploy/dev", "remote": "https://git.example.org/d.git"}
    entry[field] = "--upload-pack=touch /tmp/x"
    with pytest.raises(ConfigError, match=f"The {field} of environment 'dev' starts with '-'"):
        PromotionConfig.from_config(Config({"promotion": {"environments": [entry]}}))


@pytest.mark.parametrize("destination", [".gitlab-ci.yml", ".gitlab/ci/deploy.yml", "steps/CODEOWNERS"])
def test_a_promotion_may_not_write_ci_configuration(workspace, remote, git_server, destination):
    env = Environment("dev", "deploy/dev", remote=remote)
    with pytest.raises(Forbidden, match=f"{destination} is a protected path in environment 'dev'"):
        build_plan(
            workspace,
            "analysis.ipynb",
            env,
            GitTarget(remote),
            ALICE,
            destinations={"notebooks/helpers.py": destination},
        )


def test_an_environment_that_allows_a_protected_path_may_write_it(workspace, remote, git_server, tmp_path):
    entry = {"id": "dev", "branch": "deploy/dev", "remote": remote, "protected_paths": [".github/"]}
    env = PromotionConfig.from_config(Config({"promotion": {"environments": [entry]}})).environment("dev")
    plan = build_plan(
        workspace,
        "analysis.ipynb",
        env,
        GitTarget(remote),
        ALICE,
        destinations={"notebooks/helpers.py": ".gitlab-ci.yml"},
    )
    submit(plan, GitTarget(remote), tmp_path / "audit.jsonl", "CI lands on purpose")
    assert "return x * 100" in _show(git_server, "deploy/dev", ".gitlab-ci.yml")


def test_two_promotions_in_a_row_to_a_protected_git_environment_both_land_for_review(
    workspace, remote, git_server
):
    env = Environment("prod", "deploy/prod", remote=remote, protected=True)
    target = GitTarget(remote)
    first = submit(build_plan(workspace, "analysis.ipynb", env, target, ALICE), target, workspace / "a.jsonl")
    (workspace / "helpers.py").write_text("def scale(x):\n    return x * 1000\n")

    second = submit(
        build_plan(workspace, "analysis.ipynb", env, target, ALICE), target, workspace / "a.jsonl"
    )

    repo = git_server.root / "deploy.git"
    assert second.branch == first.branch == "promote/prod/analysis"
    assert git(repo, "rev-parse", "promote/prod/analysis") == second.commit_sha
    assert git(repo, "rev-parse", f"{second.commit_sha}^") == first.commit_sha  # fast-forward, no force
    assert "return x * 1000" in _show(git_server, "promote/prod/analysis", "notebooks/helpers.py")


def _hook(git_server, name: str, script: str) -> None:
    hook = git_server.root / "deploy.git" / "hooks" / name
    hook.write_text("#!/bin/sh\n" + script)
    hook.chmod(0o755)


def _promote_to_dev(workspace, remote):
    env = Environment("dev", "deploy/dev", remote=remote)
    target = GitTarget(remote)
    return submit(build_plan(workspace, "analysis.ipynb", env, target, ALICE), target, workspace / "a.jsonl")


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        # git prefixes each line the hook prints with "remote: "; the sentence quotes the lines
        (
            r"printf 'Zugriff verweigert f\374r deploy/dev.\nFrag das Release-Team.\n' >&2; exit 1",
            "Zugriff verweigert f\ufffdr deploy/dev. Frag das Release-Team.",
        ),
        ("exit 1", "the server's hook refused the push"),
    ],
)
def test_a_hooks_refusal_quotes_what_the_hook_said(workspace, remote, git_server, script, reason):
    _hook(git_server, "pre-receive", script)
    with pytest.raises(Forbidden) as refused:
        _promote_to_dev(workspace, remote)
    # git may add lines of its own around the hook's: the hook's lines are quoted, without "remote:"
    assert refused.value.message.startswith("The git server refused the promotion to deploy/dev: ")
    assert reason in refused.value.message and "remote:" not in refused.value.message
    assert git(git_server.root / "deploy.git", "branch", "--list", "deploy/dev") == ""


def test_a_branch_moved_while_the_push_was_under_way_is_a_conflict(workspace, remote, git_server):
    # The hook moves the branch after the review's fetch: the push then cannot update it.
    _hook(git_server, "pre-receive", "env -u GIT_QUARANTINE_PATH git update-ref refs/heads/deploy/dev main\n")
    with pytest.raises(Conflict) as moved:
        _promote_to_dev(workspace, remote)
    assert moved.value.message == (
        "The branch deploy/dev changed since you reviewed this promotion. Nothing was overwritten: "
        "review the new differences and submit again."
    )
    repo = git_server.root / "deploy.git"
    assert git(repo, "rev-parse", "deploy/dev") == git(repo, "rev-parse", "main")


def test_a_push_refused_for_another_reason_names_the_remote(workspace, remote, git_server):
    _hook(git_server, "update", "echo 'quota exceeded' >&2; exit 1\n")
    with pytest.raises(DataOpsError) as failed:
        _promote_to_dev(workspace, remote)
    assert failed.value.code == "remote_error"
    assert failed.value.message.startswith(f"git could not push to {remote}: ")
    assert "quota exceeded" in failed.value.message


def test_a_git_user_allowed_on_a_protected_branch_lands_there_with_its_token(workspace, remote, git_server):
    env = Environment("prod", "deploy/prod", remote=remote)
    target = GitTarget(remote, "deploy-token", "release-bot")  # noqa: S106 (a test stand-in)
    landed = submit(
        build_plan(workspace, "analysis.ipynb", env, target, ALICE), target, workspace / "a.jsonl"
    )
    assert git(git_server.root / "deploy.git", "rev-parse", "deploy/prod") == landed.commit_sha


def test_a_remote_nobody_answers_at_is_unreachable_and_named(workspace):
    remote = "http://127.0.0.1:9/deploy.git"  # the discard port: nothing listens
    with pytest.raises(DataOpsError) as failed:
        build_plan(
            workspace,
            "analysis.ipynb",
            Environment("dev", "deploy/dev", remote=remote),
            GitTarget(remote),
            ALICE,
        )
    assert failed.value.code == "unreachable"
    assert failed.value.message.startswith(f"The git remote {remote} could not be reached: ")


def test_a_protected_review_of_a_file_named_with_spaces_gets_a_clean_branch_name(workspace, remote):
    (workspace / "analysis.ipynb").rename(workspace / "Q1 Report.ipynb")
    env = Environment("prod", "deploy/prod", remote=remote, protected=True)
    plan = build_plan(workspace, "Q1 Report.ipynb", env, GitTarget(remote), ALICE)
    assert (plan.to_json()["source"], plan.review_branch) == ("Q1 Report.ipynb", "promote/prod/q1-report")
