"""The GitLab fake on a port of the caller's choosing (the UI tests' configuration names one)."""

from __future__ import annotations

import errno
import socket

import httpx
import pytest

from tests.fakes.gitlab.server import GitLabFake
from tests.fakes.gitlab.state import DEVELOPER


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fake_listens_on_the_port_it_is_given_and_refuses_a_taken_one(tmp_path, gitlab_spec):
    port = _free_port()
    fake = GitLabFake(tmp_path / "one", gitlab_spec, port=port)
    try:
        assert fake.url == f"http://127.0.0.1:{port}" and fake.state.base_url == fake.url
        ana = fake.state.add_user("ana", "glpat-ana-0123456789abcdef")
        project = fake.state.add_project("stats/deployment")
        project.members[ana.id] = DEVELOPER
        answer = httpx.get(
            f"{fake.url}/api/v4/projects/{project.id}",
            headers={"PRIVATE-TOKEN": "glpat-ana-0123456789abcdef"},
        )
        assert answer.status_code == 200 and answer.json()["path_with_namespace"] == "stats/deployment"
        with pytest.raises(OSError) as taken:
            GitLabFake(tmp_path / "two", gitlab_spec, port=port)
        assert taken.value.errno == errno.EADDRINUSE
    finally:
        fake.stop()
    assert fake.state.violations == []
