"""The Deploy panel's REST API against the GitLab fake: environments, runs, live logs, rights."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest
from tornado.httpclient import HTTPClientError

from dataops.pipelines.gitlab import GitLabCI
from tests.fakes.gitlab.ci_model import append_trace, finish_job, pipelines
from tests.pipelines.conftest import REGRESSION_LOG, TOKEN


async def _get(jp_fetch, *path, **params):
    response = await jp_fetch("dataops", "api", "pipelines", *path, params=params or None)
    assert TOKEN not in response.body.decode()
    return json.loads(response.body)


async def _run(jp_fetch, env="test", variables=None):
    body = json.dumps({"variables": variables or {}})
    response = await jp_fetch("dataops", "api", "pipelines", env, "run", method="POST", body=body)
    assert response.code == 201
    return json.loads(response.body)


async def _error(call):
    with pytest.raises(HTTPClientError) as err:
        await call
    return err.value.code, json.loads(err.value.response.body)


async def test_environments_say_which_have_pipelines(ci_config, jp_fetch):
    body = await _get(jp_fetch, "environments")
    assert [(e["id"], e["pipelines"]) for e in body["environments"]] == [
        ("test", True),
        ("prod", True),
        ("dev", False),
    ]
    assert "plain git remote" in body["environments"][2]["reason"]
    assert (
        body["environments"][2]["reason"]
        == "deploys to a plain git remote without local pipelines: no pipelines to show"
    )


async def test_running_a_pipeline_with_variables_shows_up_in_the_environment(ci_config, jp_fetch):
    started = await _run(jp_fetch, variables={"DATAOPS_SKIP_DEPLOY": "true", "RUNS": 2})

    assert started["ref"] == "deploy/test" and started["environment"] == "test"
    assert [j["name"] for j in started["jobs"]] == ["regression", "publish-processes"]
    assert pipelines(ci_config.state)[started["id"]].variables == {"DATAOPS_SKIP_DEPLOY": "true", "RUNS": "2"}
    listed = await _get(jp_fetch, "test")
    assert listed["branch"] == "deploy/test" and listed["gitlab_project"] == "stats/deployment"
    (only,) = listed["pipelines"]
    assert only["id"] == started["id"] and only["user"] == "alice"
    assert {j["name"]: j["stage"] for j in only["jobs"]} == {
        "regression": "regression",
        "publish-processes": "deploy",
    }
    assert (await _get(jp_fetch, "prod"))["pipelines"] == []


async def test_the_job_log_is_appended_from_offsets_without_duplication(ci_config, jp_fetch):
    started = await _run(jp_fetch)
    pipeline = pipelines(ci_config.state)[started["id"]]
    job = pipeline.jobs[0]
    job.plan = replace(job.plan, interval=None)  # this test drives the job's log by hand
    offset, shown = 0, ""

    async def poll(expected: str) -> None:
        nonlocal offset, shown
        piece = await _get(jp_fetch, "test", "jobs", str(job.id), "log", offset=str(offset))
        assert piece["offset"] == offset and not piece["reset"]
        assert piece["content"] == expected
        shown += piece["content"]
        offset = piece["next_offset"]

    await poll(job.trace)  # whatever the job wrote before the test took over
    await poll("")  # nothing new: nothing repeated
    for chunk in REGRESSION_LOG[job.chunks_done :]:
        append_trace(job, chunk)
        await poll(chunk)
    finish_job(pipeline, job)
    await poll("")

    assert shown == "".join(REGRESSION_LOG)
    assert offset == len("".join(REGRESSION_LOG).encode())
    done = await _get(jp_fetch, "test", "jobs", str(job.id), "log", offset=str(offset))
    assert done["finished"] is True and done["content"] == ""
    detail = await _get(jp_fetch, "test", "jobs", str(job.id))
    assert detail["status"] == "success" and detail["finished"] is True


async def test_pipeline_detail_and_test_report_after_the_run(ci_config, jp_fetch):
    started = await _run(jp_fetch)
    for _ in range(100):
        detail = await _get(jp_fetch, "test", "pipelines", str(started["id"]))
        if detail["status"] in ("success", "failed"):
            break
        await asyncio.sleep(0.1)
    assert detail["status"] == "success" and detail["duration"] is not None
    report = await _get(jp_fetch, "test", "pipelines", str(started["id"]), "test-report")
    assert (report["total"], report["success"], report["failed"]) == (3, 2, 1)
    assert report["suites"][0]["name"] == "regression"


async def test_only_users_allowed_in_an_environment_may_run_its_pipeline(ci_config, dataops_config, jp_fetch):
    dataops_config.write_text(
        dataops_config.read_text().replace("protected = true", 'protected = true\nallowed_users = ["rita"]')
    )
    code, body = await _error(_run(jp_fetch, env="prod"))
    assert code == 403 and body["error"] == "forbidden"
    assert body["message"].startswith("Only rita may promote to prod")
    assert pipelines(ci_config.state) == {}


async def test_environments_without_gitlab_and_unknown_ones_say_why(ci_config, jp_fetch):
    code, body = await _error(_get(jp_fetch, "dev"))
    assert code == 503 and "plain git remote" in body["message"]
    code, body = await _error(_get(jp_fetch, "staging"))
    assert code == 404 and "no deployment environment called 'staging'" in body["message"]


async def test_bad_offsets_and_refused_tokens_are_clear_errors(ci_config, jp_fetch, monkeypatch):
    started = await _run(jp_fetch)
    job_id = str(started["jobs"][0]["id"])
    code, body = await _error(_get(jp_fetch, "test", "jobs", job_id, "log", offset="-3"))
    assert code == 400 and "'offset' must be at least 0" in body["message"]
    monkeypatch.setenv("DATAOPS_GITLAB_TOKEN", "glpat-revoked-0123456789")
    code, body = await _error(_get(jp_fetch, "test"))
    assert code == 401 and "refused the token" in body["message"]
    assert "glpat" not in json.dumps(body)


def _restrict_prod(dataops_config) -> None:
    dataops_config.write_text(
        dataops_config.read_text().replace("protected = true", 'protected = true\nallowed_users = ["rita"]')
    )


async def _prod_pipeline(ci_project):
    async with GitLabCI(ci_project.url, ci_project.token, "stats/deployment") as ci:
        return await ci.trigger("deploy/prod", {}, environment="prod")


async def test_pipelines_jobs_and_logs_of_a_hidden_environment_are_refused(
    ci_config, dataops_config, jp_fetch
):
    _restrict_prod(dataops_config)
    started = await _prod_pipeline(ci_config)
    job = started.jobs[0].id
    for path in (
        ("prod",),
        ("prod", "pipelines", str(started.id)),
        ("prod", "pipelines", str(started.id), "test-report"),
        ("prod", "jobs", str(job)),
        ("prod", "jobs", str(job), "log"),
    ):
        code, body = await _error(_get(jp_fetch, *path))
        assert code == 403, path
        assert body["message"].startswith("Only rita may see the pipelines of prod"), path
    listed = {e["id"]: e for e in (await _get(jp_fetch, "environments"))["environments"]}
    assert listed["prod"]["pipelines"] is False
    assert listed["prod"]["reason"].startswith("Only rita may see the pipelines of prod")
    assert listed["test"]["pipelines"] is True


async def test_a_pipeline_or_job_of_another_branch_is_not_shown_under_an_environment(ci_config, jp_fetch):
    started = await _prod_pipeline(ci_config)
    job = started.jobs[0].id
    for path, what in (
        (("test", "pipelines", str(started.id)), f"Pipeline {started.id}"),
        (("test", "pipelines", str(started.id), "test-report"), f"Pipeline {started.id}"),
        (("test", "jobs", str(job)), f"Job {job}"),
        (("test", "jobs", str(job), "log"), f"Job {job}"),
    ):
        code, body = await _error(_get(jp_fetch, *path))
        assert code == 404, path
        assert body["message"].startswith(f"{what} did not run on test's branch deploy/test"), path
    assert (await _get(jp_fetch, "prod", "jobs", str(job)))["id"] == job


async def test_a_limit_of_one_shows_the_newest_pipeline_and_a_log_is_read_from_its_start(ci_config, jp_fetch):
    await _run(jp_fetch)
    newest = await _run(jp_fetch)
    listed = await _get(jp_fetch, "test", limit="1")
    assert [p["id"] for p in listed["pipelines"]] == [newest["id"]]
    job = pipelines(ci_config.state)[newest["id"]].jobs[0]
    job.plan = replace(job.plan, interval=None)  # this test writes the job's log itself
    append_trace(job, "first line\n")
    piece = await _get(jp_fetch, "test", "jobs", str(job.id), "log")  # no offset: from the start
    assert (piece["job_id"], piece["offset"]) == (job.id, 0)
    assert piece["content"] == job.trace and job.trace.endswith("first line\n")
    assert piece["next_offset"] == len(piece["content"].encode())


async def test_variables_that_are_not_an_object_are_refused(ci_config, jp_fetch):
    body = json.dumps({"variables": ["RUNS=2"]})
    code, error = await _error(
        jp_fetch("dataops", "api", "pipelines", "test", "run", method="POST", body=body)
    )
    assert code == 400
    assert error["message"] == "'variables' must be an object of variable names to text values."
    assert pipelines(ci_config.state) == {}
