"""``dataops.promotions()``: the last promotions from the audit log, joined with the GitLab pipelines
that ran their commits (the GitLab fake runs a pipeline for every push to ``deploy/*``)."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import dataops
from dataops.errors import Forbidden, InvalidInput, NotFound
from tests.fakes.gitlab.ci_model import pipelines


@pytest.fixture
def history_config(ci_config, dataops_config, tmp_path, monkeypatch):
    """ci_config plus an audit log in the test's folder, a workspace, and alice as the kernel's user."""
    log = tmp_path / "audit.jsonl"
    text = dataops_config.read_text().replace("[promotion]\n", f'[promotion]\naudit_log = "{log}"\n', 1)
    dataops_config.write_text(
        text.replace("protected = true", 'protected = true\nallowed_users = ["rita"]', 1)
    )
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    ci_config.log = log
    return ci_config


def _notebook(name: str, source: str) -> str:
    nbformat.write(new_notebook(cells=[new_code_cell(source)]), name)
    return name


def test_promotions_newest_first_with_the_pipeline_of_each_commit(history_config):
    first = dataops.promote(_notebook("gdp.ipynb", "x = 1"), env="test", message="GDP nowcast")
    second = dataops.promote(_notebook("cpi.ipynb", "y = 2"), env="test", message="CPI flash")

    frame = dataops.promotions(env="test", limit=20)

    assert list(frame["commit_sha"]) == [second.commit_sha, first.commit_sha]
    assert list(frame["message"]) == ["CPI flash", "GDP nowcast"]
    assert list(frame["path"]) == ["cpi.ipynb", "gdp.ipynb"]
    assert set(frame["author"]) == {"alice"} and set(frame["outcome"]) == {"landed"}
    assert frame["commit_url"][0] == second.commit_url
    by_sha = {p.sha: p for p in pipelines(history_config.state).values()}
    assert list(frame["pipeline_id"]) == [by_sha[second.commit_sha].id, by_sha[first.commit_sha].id]
    assert frame["pipeline_status"][0] in {"running", "pending", "success"}
    assert frame["pipeline_url"][0].endswith(f"/pipelines/{by_sha[second.commit_sha].id}")
    assert str(frame["time"].dt.tz) == "UTC"
    assert list(dataops.promotions(env="test", limit=1)["message"]) == ["CPI flash"]


def test_without_pipelines_no_gitlab_request_is_made(history_config):
    dataops.promote(_notebook("gdp.ipynb", "x = 1"), env="test", message="GDP")
    before = len(history_config.state.requests)
    frame = dataops.promotions(env="test", pipelines=False)
    assert len(history_config.state.requests) == before
    assert frame["pipeline_status"].isna().all() and frame["message"][0] == "GDP"


def test_gitlab_refusing_the_token_keeps_the_history_and_warns(history_config, monkeypatch):
    done = dataops.promote(_notebook("gdp.ipynb", "x = 1"), env="test", message="GDP")
    monkeypatch.setenv("DATAOPS_GITLAB_TOKEN", "glpat-revoked-0123456789")
    with pytest.warns(
        UserWarning, match="pipelines of these promotions could not be read.*refused the token"
    ):
        frame = dataops.promotions(env="test")
    assert list(frame["commit_sha"]) == [done.commit_sha] and frame["pipeline_status"].isna().all()


def test_environments_the_user_may_not_promote_to_are_not_shown(history_config):
    dataops.promote(_notebook("gdp.ipynb", "x = 1"), env="test", message="GDP")
    with pytest.raises(Forbidden, match="Only rita may see the promotions to prod; alice may not"):
        dataops.promotions(env="prod")
    assert set(dataops.promotions()["environment"]) == {"test"}
    with pytest.raises(NotFound, match="no deployment environment called 'staging'"):
        dataops.promotions(env="staging")
    with pytest.raises(InvalidInput, match="between 1 and 500"):
        dataops.promotions(env="test", limit=0)


def test_a_promotion_being_written_is_left_out_with_a_warning(history_config):
    dataops.promote(_notebook("gdp.ipynb", "x = 1"), env="test", message="GDP")
    with history_config.log.open("ab") as f:
        f.write(b'{"environment": "test", "user": "al')
    with pytest.warns(UserWarning, match="last line of .* is incomplete"):
        frame = dataops.promotions(env="test", pipelines=False)
    assert list(frame["message"]) == ["GDP"]
