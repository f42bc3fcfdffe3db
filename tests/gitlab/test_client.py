"""The one GitLab client against the fake: both runners, rate limits, and no token in any error."""

from __future__ import annotations

import asyncio
import email.utils
import json
import socket
import time

import pytest

from dataops.errors import Conflict, DataOpsError, Forbidden, InvalidInput, NotFound, RateLimited, Unreachable
from dataops.gitlab import pipelines, repository
from dataops.gitlab.client import AsyncGitLab, GitLab
from dataops.gitlab.exchange import RetryPolicy
from dataops.promotion.targets import Change
from tests.fakes.gitlab.ci_model import JobPlan, configure_ci
from tests.fakes.gitlab.state import DEVELOPER

# Not shaped like a GitLab token, so only the client's own redaction can hide it.
TOKEN = "plain-secret-4711-token"
PROJECT = "stats/deployment"


@pytest.fixture
def project(gitlab_fake):
    state = gitlab_fake.state
    project = state.add_project(PROJECT)
    project.members[state.add_user("alice", TOKEN).id] = DEVELOPER
    state.move_branch(project, "deploy/test", state.head(project, "main"), None)
    return project


def _leaks(error: DataOpsError) -> bool:
    return TOKEN in error.message or TOKEN in json.dumps(error.to_json(), default=str)


def test_both_runners_give_the_same_answer(gitlab_fake, project):
    with GitLab(gitlab_fake.url, TOKEN) as gitlab:
        blocking = gitlab.run(repository.read(PROJECT, "deploy/test", ["README.md"]))

    async def awaited():
        async with AsyncGitLab(gitlab_fake.url, TOKEN) as gitlab:
            return await gitlab.run(repository.read(PROJECT, "deploy/test", ["README.md"]))

    assert asyncio.run(awaited()) == blocking
    assert blocking.base_commit == gitlab_fake.state.head(project, "deploy/test")


def test_pipelines_with_their_jobs_read_alike_blocking_and_awaited(gitlab_fake, project):
    configure_ci(gitlab_fake.state, project, [JobPlan("check", interval=None), JobPlan("publish")])

    async def awaited():
        async with AsyncGitLab(gitlab_fake.url, TOKEN) as gitlab:
            for _ in range(3):
                await gitlab.run(pipelines.trigger(PROJECT, "deploy/test"))
            return await gitlab.run(pipelines.pipelines(PROJECT, "deploy/test", limit=2))

    listed = asyncio.run(awaited())
    with GitLab(gitlab_fake.url, TOKEN) as gitlab:
        again = gitlab.run(pipelines.pipelines(PROJECT, "deploy/test", limit=2))
    assert [(p.id, [j.name for j in p.jobs]) for p in again] == [
        (p.id, [j.name for j in p.jobs]) for p in listed
    ]
    assert [p.id for p in listed] == [3, 2] and [j.name for j in listed[0].jobs] == ["check", "publish"]


def test_a_token_named_in_a_failing_request_is_redacted(gitlab_fake, project):
    with GitLab(gitlab_fake.url, TOKEN) as gitlab, pytest.raises(InvalidInput) as err:
        gitlab.run(pipelines.trigger(PROJECT, f"deploy/{TOKEN}"))
    assert "Reference not found" in err.value.message and "deploy/[REDACTED]" in err.value.message
    assert not _leaks(err.value)


def test_a_token_in_a_calls_own_refusal_is_redacted(gitlab_fake, project):
    change = Change(f"deploy/{TOKEN}", "0" * 40, {"a.py": b"x = 1\n"}, {}, "m", "Alice", "a@example.org")
    with GitLab(gitlab_fake.url, TOKEN) as gitlab, pytest.raises(Conflict) as err:
        gitlab.run(repository.land(PROJECT, change))
    assert err.value.message.startswith("The branch deploy/[REDACTED] changed since you reviewed")
    assert not _leaks(err.value) and TOKEN not in str(err.value)


def test_a_token_gitlab_echoes_back_is_redacted(gitlab_fake, project):
    gitlab_fake.state.inject("GET", r"/pipelines$", 403, message=f"token {TOKEN} may not read")
    with GitLab(gitlab_fake.url, TOKEN) as gitlab, pytest.raises(Forbidden) as err:
        gitlab.run(pipelines.pipelines(PROJECT, "deploy/test"))
    assert "may not read" in err.value.message and not _leaks(err.value)


def test_an_unreachable_gitlab_is_named_without_the_credentials_in_its_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    url = f"http://alice:{TOKEN}@127.0.0.1:{port}"
    with GitLab(url, TOKEN) as gitlab, pytest.raises(Unreachable) as err:
        gitlab.run(repository.default_branch(PROJECT))
    assert "could not be reached while reading project stats/deployment" in err.value.message
    assert not _leaks(err.value)


def test_an_http_date_in_retry_after_is_waited_out(gitlab_fake, project):
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    gitlab_fake.state.inject("GET", r"/projects/\{id\}$", 429, headers={"Retry-After": when})
    waits: list[float] = []
    with GitLab(gitlab_fake.url, TOKEN, sleep=waits.append) as gitlab:
        assert gitlab.run(repository.default_branch(PROJECT)) == "main"
    assert len(waits) == 1 and 17 <= waits[0] <= 20


def test_a_long_retry_after_is_capped_then_reported_in_whole_seconds(gitlab_fake, project):
    gitlab_fake.state.inject("GET", r"/projects/\{id\}$", 429, times=3, headers={"Retry-After": "600"})
    waits: list[float] = []
    policy = RetryPolicy(max_retries=2, max_wait=5.0)
    with GitLab(gitlab_fake.url, TOKEN, retry=policy, sleep=waits.append) as gitlab:
        with pytest.raises(RateLimited, match="try again in 600 seconds"):
            gitlab.run(repository.default_branch(PROJECT))
    assert waits == [5.0, 5.0]


def test_a_missing_item_is_not_found_and_says_what_was_asked(gitlab_fake, project):
    with GitLab(gitlab_fake.url, TOKEN) as gitlab, pytest.raises(NotFound) as err:
        gitlab.run(pipelines.job(PROJECT, 4242))
    assert "reading job 4242 of stats/deployment" in err.value.message
