"""What a review refuses or blocks: secrets in any promoted file, bad destinations, bad requests.

Each case is what a user would see: the plan blocked (and nothing landing), or the sentence of
the error that explains what to change.
"""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell

from dataops.errors import InvalidInput, SecretsFound
from dataops.promotion.access import Identity
from dataops.promotion.config import Environment
from dataops.promotion.plan import build_plan
from dataops.promotion.submit import submit
from dataops.promotion.targets.git import GitTarget
from tests.fakes.git_http import git, make_bare_repo
from tests.promotion.conftest import write_notebook

ALICE = Identity("alice", name="Alice", email="alice@bank.example")
# A fake key assembled at run time so this file does not trip scanners itself.
KEY = "".join(["AKIA", "IOSFODNN7", "QWERTYZ"])
LEAK = f"aws_access_key_id = '{KEY}'\n"
BPMN = '<?xml version="1.0"?>\n<definitions id="d">\n<!-- {} -->\n</definitions>\n'


@pytest.fixture
def remote(git_server):
    make_bare_repo(git_server.root, "deploy")
    return f"{git_server.url}/deploy.git"


@pytest.fixture
def env(remote):
    return Environment("dev", "deploy/dev", remote=remote)


def _landed(git_server) -> str:
    return git(git_server.root / "deploy.git", "branch", "--list", "deploy/dev")


def _write(root, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text)


# (what the user promotes, extra files, the files in the folder, the file the secret is in)
LEAKY = {
    "a step module": ("load.py", [], {"load.py": "import os\n\n" + LEAK}, "load.py"),
    "a helper module a notebook imports": (
        "analysis.ipynb",
        [],
        {"helpers.py": "def scale(x):\n    return x\n" + LEAK},
        "helpers.py",
    ),
    "a process definition": ("flow.bpmn", [], {"flow.bpmn": BPMN.format(LEAK)}, "flow.bpmn"),
    "an extra file": ("analysis.ipynb", ["settings.py"], {"settings.py": LEAK}, "settings.py"),
}


@pytest.mark.parametrize("case", LEAKY, ids=list(LEAKY))
def test_a_secret_in_any_promoted_file_blocks_the_promotion(case, tmp_path, env, remote, git_server):
    source, extra, files, leaky = LEAKY[case]
    write_notebook(tmp_path / "analysis.ipynb", [new_code_cell("import helpers\nx = helpers.scale(1)")])
    for name, text in files.items():
        _write(tmp_path, name, text)

    plan = build_plan(tmp_path, source, env, GitTarget(remote), ALICE, extra_files=extra)

    assert leaky in plan.scan.scanned
    assert [(f.kind, f.file) for f in plan.scan.findings] == [("AWS Access Key", leaky)]
    shown = plan.to_json()
    assert shown["can_submit"] is False and KEY not in str(shown)
    with pytest.raises(SecretsFound, match=rf"{leaky}.*AWS Access Key"):
        submit(plan, GitTarget(remote), tmp_path / "audit.jsonl", "Promote")
    assert _landed(git_server) == ""


@pytest.mark.parametrize(
    "wanted",
    [
        "../outside.ipynb",
        "notebooks/../../x.py",
        "/etc/x.py",
        ".git/hooks/post-checkout",
        "steps/.GIT/config",
        "  ",
    ],
)
def test_a_destination_outside_the_repository_or_in_git_is_refused(wanted, tmp_path, env, remote):
    write_notebook(tmp_path / "analysis.ipynb", [new_code_cell("x = 1")])
    with pytest.raises(InvalidInput) as err:
        build_plan(
            tmp_path,
            "analysis.ipynb",
            env,
            GitTarget(remote),
            ALICE,
            destinations={"notebooks/analysis.ipynb": wanted},
        )
    assert err.value.message == (
        f"The destination {wanted!r} must be a relative path inside the repository, "
        "without '..' and not under .git."
    )


def test_two_files_sent_to_one_destination_are_refused(tmp_path, env, remote):
    write_notebook(tmp_path / "analysis.ipynb", [new_code_cell("x = 1")])
    with pytest.raises(InvalidInput) as err:
        build_plan(
            tmp_path,
            "analysis.ipynb",
            env,
            GitTarget(remote),
            ALICE,
            destinations={"notebooks/analysis.py": "notebooks/analysis.ipynb"},
        )
    assert err.value.message == (
        "Two files would be written to notebooks/analysis.ipynb; change one destination."
    )


@pytest.mark.parametrize("name", ["data.csv", "report.html", "Makefile"])
def test_a_file_of_another_type_cannot_be_promoted(name, tmp_path, env, remote):
    _write(tmp_path, name, "a,b\n1,2\n")
    with pytest.raises(InvalidInput) as err:
        build_plan(tmp_path, name, env, GitTarget(remote), ALICE)
    assert err.value.message == (
        f"{name} cannot be promoted: choose a notebook, a Python step module or a .bpmn file."
    )


def test_a_review_with_no_change_says_there_is_nothing_to_promote(tmp_path, env, remote, git_server):
    write_notebook(tmp_path / "analysis.ipynb", [new_code_cell("x = 1")])
    target = GitTarget(remote)
    first = submit(build_plan(tmp_path, "analysis.ipynb", env, target, ALICE), target, tmp_path / "a.jsonl")

    again = build_plan(tmp_path, "analysis.ipynb", env, target, ALICE)
    assert again.to_json()["changed"] is False and again.to_json()["can_submit"] is False
    with pytest.raises(InvalidInput) as err:
        submit(again, target, tmp_path / "a.jsonl", "Again")
    assert err.value.message == "Nothing to promote: deploy/dev already has exactly these files."
    assert git(git_server.root / "deploy.git", "rev-parse", "deploy/dev") == first.commit_sha


def test_a_blank_commit_message_is_refused_and_none_takes_the_default(tmp_path, env, remote, git_server):
    write_notebook(tmp_path / "analysis.ipynb", [new_code_cell("x = 1")])
    target = GitTarget(remote)
    plan = build_plan(tmp_path, "analysis.ipynb", env, target, ALICE)
    with pytest.raises(InvalidInput) as err:
        submit(plan, target, tmp_path / "a.jsonl", " \n\t")
    assert err.value.message == "A promotion needs a commit message."
    assert _landed(git_server) == ""

    done = submit(plan, target, tmp_path / "a.jsonl", "")
    subject = git(git_server.root / "deploy.git", "show", "-s", "--format=%s", done.commit_sha)
    assert subject == "Promote analysis.ipynb to dev"


def test_the_review_shows_every_file_and_its_diff_with_found_secrets_masked(tmp_path, env, remote):
    write_notebook(tmp_path / "analysis.ipynb", [new_code_cell(f"key = '{KEY}'\nx = 1")])

    shown = build_plan(tmp_path, "analysis.ipynb", env, GitTarget(remote), ALICE).to_json()

    notebook, script = shown["files"]
    assert {k: notebook[k] for k in ("source", "destination", "kind", "status")} == {
        "source": "analysis.ipynb",
        "destination": "notebooks/analysis.ipynb",
        "kind": "notebook",
        "status": "new",
    }
    assert notebook["size"] == len((tmp_path / "analysis.ipynb").read_bytes())  # already clean: as it is
    assert notebook["diff"]["cells"][0]["diff"][1:] == ["+key = '[secret]'", "+x = 1"]
    assert (script["source"], script["destination"], script["kind"]) == (
        "",
        "notebooks/analysis.py",
        "script",
    )
    assert script["diff"]["lines"][-2:] == ["+key = '[secret]'", "+x = 1"]
    assert shown["scan"]["scanned"] == ["analysis.ipynb", "notebooks/analysis.py"]
    assert KEY not in str(shown)
