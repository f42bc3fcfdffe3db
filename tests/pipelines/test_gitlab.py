"""The GitLab CI client against the stateful fake: pipelines, jobs, growing logs, triggers, errors."""

from __future__ import annotations

import asyncio
import time

import pytest

from dataops.errors import InvalidInput, NotFound, Unauthorized
from dataops.pipelines.gitlab import GitLabCI
from dataops.pipelines.trace import TraceFollower, slice_trace
from tests.fakes.gitlab.ci_model import JobPlan, append_trace, configure_ci, finish_job, pipelines
from tests.pipelines.conftest import REGRESSION_LOG


def _ci(ci_project, token=None):
    return GitLabCI(ci_project.url, token or ci_project.token, "stats/deployment")


async def _wait_finished(ci, pipeline_id, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        p = await ci.pipeline(pipeline_id)
        if p.finished:
            return p
        await asyncio.sleep(0.1)
    raise AssertionError(f"pipeline {pipeline_id} did not finish")


async def test_triggering_with_variables_starts_a_pipeline_on_the_branch(ci_project):
    async with _ci(ci_project) as ci:
        started = await ci.trigger("deploy/test", {"DATAOPS_SKIP_DEPLOY": "true", "NOTE": "re-run"})

    assert (started.ref, started.source, started.user) == ("deploy/test", "api", "alice")
    assert started.status == "running"
    assert [(j.name, j.status) for j in started.jobs] == [
        ("regression", "running"),
        ("publish-processes", "created"),
    ]
    fake = pipelines(ci_project.state)[started.id]
    assert fake.variables == {"DATAOPS_SKIP_DEPLOY": "true", "NOTE": "re-run"}


async def test_pipelines_of_a_branch_show_status_per_job_duration_and_who_started_them(ci_project):
    async with _ci(ci_project) as ci:
        first = await ci.trigger("deploy/test")
        await ci.trigger("deploy/prod")
        await _wait_finished(ci, first.id)
        second = await ci.trigger("deploy/test")

        listed = await ci.pipelines("deploy/test", environment="test")

    assert [p.id for p in listed] == [second.id, first.id]  # newest first, prod's not among them
    done = listed[1]
    assert (done.status, done.user, done.user_name, done.environment) == (
        "success",
        "alice",
        "Alice Analyst",
        "test",
    )
    assert done.duration is not None and done.duration >= 1  # five chunks of 0.3 s, then 0.2 s
    assert [(j.name, j.stage, j.status) for j in done.jobs] == [
        ("regression", "regression", "success"),
        ("publish-processes", "deploy", "success"),
    ]
    assert all(j.duration and j.duration > 0 for j in done.jobs)
    assert listed[0].status == "running"


async def test_a_failing_job_fails_the_pipeline_and_skips_the_deploy(ci_project):
    configure_ci(
        ci_project.state,
        ci_project.project,
        [
            JobPlan("regression", "regression", ["FAILED notebooks/c.ipynb\n"], 0.1, "failed"),
            JobPlan("deploy"),
        ],
    )
    async with _ci(ci_project) as ci:
        started = await ci.trigger("deploy/test")
        done = await _wait_finished(ci, started.id)

    assert done.status == "failed"
    assert [(j.name, j.status, j.failure_reason) for j in done.jobs] == [
        ("regression", "failed", "script_failure"),
        ("deploy", "skipped", ""),
    ]


async def test_following_a_growing_log_appends_every_byte_exactly_once(ci_project):
    async with _ci(ci_project) as ci:
        started = await ci.trigger("deploy/test")
        job_id = started.jobs[0].id
        follower, shown, polls = TraceFollower(), "", 0
        while True:
            job = await ci.job(job_id)
            piece = follower.feed(await ci.trace(job_id))
            assert not piece.reset
            shown += piece.content
            polls += 1
            if job.finished:
                break
            await asyncio.sleep(0.07)

    assert shown == "".join(REGRESSION_LOG)
    assert polls > len(REGRESSION_LOG)  # the log really grew while it was being read


async def test_a_hand_driven_job_log_is_read_incrementally(ci_project):
    configure_ci(ci_project.state, ci_project.project, [JobPlan("regression", interval=None)])
    async with _ci(ci_project) as ci:
        started = await ci.trigger("deploy/test")
        fake = pipelines(ci_project.state)[started.id]
        follower = TraceFollower()
        assert follower.feed(await ci.trace(started.jobs[0].id)).content == ""
        append_trace(fake.jobs[0], "step 1\n")
        assert follower.feed(await ci.trace(started.jobs[0].id)).content == "step 1\n"
        assert follower.feed(await ci.trace(started.jobs[0].id)).content == ""
        append_trace(fake.jobs[0], "step 2\n")
        finish_job(fake, fake.jobs[0], "success")
        assert follower.feed(await ci.trace(started.jobs[0].id)).content == "step 2\n"
        assert (await ci.pipeline(started.id)).status == "success"


def test_a_log_slice_never_splits_a_character_and_restarts_when_the_log_shrank():
    log = "Prüfung ✓\n".encode()
    cut = log.index("✓".encode()) + 1  # inside the three bytes of ✓
    first = slice_trace(log[:cut], 0)
    assert first.content == "Prüfung " and first.next_offset == cut - 1
    assert slice_trace(log, first.next_offset).content == "✓\n"
    restarted = slice_trace(b"retried job\n", 500)
    assert restarted.reset and restarted.content == "retried job\n"


async def test_test_report_summary_counts_the_published_junit(ci_project):
    async with _ci(ci_project) as ci:
        started = await ci.trigger("deploy/test")
        before = await ci.test_report_summary(started.id)
        await _wait_finished(ci, started.id)
        after = await ci.test_report_summary(started.id)

    assert before.total == 0  # nothing published while the job runs
    assert (after.total, after.success, after.failed, after.error) == (3, 2, 1, 0)
    assert after.suites[0]["name"] == "regression" and after.suites[0]["job_ids"] == [started.jobs[0].id]


async def test_a_refused_token_is_unauthorized_and_never_echoed(ci_project):
    async with _ci(ci_project, token="glpat-wrong-token") as ci:
        with pytest.raises(Unauthorized) as err:
            await ci.pipelines("deploy/test")
    assert "refused the token" in str(err.value) and "glpat" not in str(err.value)


async def test_an_unknown_branch_is_refused_with_gitlabs_reason(ci_project):
    async with _ci(ci_project) as ci:
        with pytest.raises(InvalidInput, match="Reference not found"):
            await ci.trigger("deploy/nowhere")
        with pytest.raises(InvalidInput, match="letters, digits and _"):
            await ci.trigger("deploy/test", {"BAD NAME": "x"})
        with pytest.raises(NotFound):
            await ci.pipeline(9999)


async def test_rate_limiting_is_waited_out_as_gitlab_asks(ci_project):
    ci_project.state.inject("GET", r"/pipelines$", 429, headers={"Retry-After": "1"})
    async with _ci(ci_project) as ci:
        started = time.monotonic()
        assert await ci.pipelines("deploy/test") == []
    assert time.monotonic() - started >= 1
