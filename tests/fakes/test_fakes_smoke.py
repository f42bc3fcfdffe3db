"""The fakes behave like the services they stand in for, and refuse what those would refuse."""

from __future__ import annotations

import base64
import subprocess

import httpx
import pytest

from tests.fakes.git_http import git, make_bare_repo
from tests.fakes.gitlab.state import DEVELOPER, MAINTAINER


def _clone_push(tmp_path, url, branch, user="alice"):
    work = tmp_path / f"work-{branch.replace('/', '-')}"
    auth_url = url.replace("http://", f"http://{user}:pw@")
    git(tmp_path, "clone", "-q", auth_url, str(work))
    (work / "a.txt").write_text(branch)
    git(work, "add", "a.txt")
    git(work, "-c", "user.name=A", "-c", "user.email=a@x", "commit", "-qm", "x")
    return subprocess.run(
        ["git", "push", "origin", f"HEAD:refs/heads/{branch}"], cwd=work, capture_output=True
    )


def test_git_server_accepts_pushes_and_its_hook_guards_protected_branches(tmp_path, git_server):
    make_bare_repo(git_server.root, "deploy", protected=["deploy/prod"], pushers=["release-bot"])
    url = f"{git_server.url}/deploy.git"
    assert _clone_push(tmp_path, url, "deploy/dev").returncode == 0
    refused = _clone_push(tmp_path, url, "deploy/prod")
    assert refused.returncode != 0
    assert b"deploy/prod is a protected branch" in refused.stderr
    heads = git(tmp_path, "ls-remote", url)
    assert "refs/heads/deploy/dev" in heads and "refs/heads/deploy/prod" not in heads


@pytest.fixture
def project(gitlab_fake):
    state = gitlab_fake.state
    alice = state.add_user("alice", "tok-alice")
    project = state.add_project("stats/deploy")
    project.members[alice.id] = DEVELOPER
    return project


def _client(fake, token="tok-alice"):
    return httpx.Client(base_url=f"{fake.url}/api/v4", headers={"PRIVATE-TOKEN": token})


def test_fake_commits_with_git_and_answers_per_spec(gitlab_fake, project):
    with _client(gitlab_fake) as gl:
        body = {
            "branch": "deploy/dev",
            "start_branch": "main",
            "commit_message": "Promote",
            "actions": [
                {
                    "action": "create",
                    "file_path": "notebooks/a.py",
                    "content": base64.b64encode(b"x=1\n").decode(),
                    "encoding": "base64",
                }
            ],
        }
        made = gl.post(f"/projects/{project.id}/repository/commits", json=body)
        assert made.status_code == 201, made.text
        sha = made.json()["id"]
        got = gl.get(
            f"/projects/{project.id}/repository/files/notebooks%2Fa.py", params={"ref": "deploy/dev"}
        )
        assert base64.b64decode(got.json()["content"]) == b"x=1\n"
        assert got.json()["last_commit_id"] == sha
    assert gitlab_fake.state.git(project, "show", f"{sha}:notebooks/a.py") == "x=1"


def test_fake_flags_requests_outside_the_spec(gitlab_fake, project):
    with _client(gitlab_fake) as gl:
        answer = gl.get(f"/projects/{project.id}/repository/branches", params={"colour": "blue"})
    assert answer.status_code == 500
    assert "query parameter 'colour' is not declared" in gitlab_fake.state.violations[0]
    gitlab_fake.state.violations.clear()


def test_fake_refuses_pushes_to_protected_branches_for_developers(gitlab_fake, project):
    gitlab_fake.state.protect(project, "main", push=MAINTAINER)
    with _client(gitlab_fake) as gl:
        branch = gl.get(f"/projects/{project.id}/repository/branches/main").json()
        assert branch["protected"] is True and branch["can_push"] is False
        body = {
            "branch": "main",
            "commit_message": "x",
            "actions": [{"action": "create", "file_path": "b", "content": "b"}],
        }
        assert gl.post(f"/projects/{project.id}/repository/commits", json=body).status_code == 403


def test_injected_faults_answer_with_their_status_and_headers(gitlab_fake, project):
    gitlab_fake.state.inject("GET", r"/user$", 429, headers={"Retry-After": "3"})
    with _client(gitlab_fake) as gl:
        first = gl.get("/user")
        assert (first.status_code, first.headers["Retry-After"]) == (429, "3")
        assert gl.get("/user").json()["username"] == "alice"
        assert _client(gitlab_fake, "wrong").get("/user").status_code == 401
