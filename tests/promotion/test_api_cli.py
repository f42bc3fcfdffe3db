"""``dataops.promote`` and ``dataops promote``: the same promotion from a kernel or a shell."""

from __future__ import annotations

import os
import stat

import pytest
from nbformat.v4 import new_code_cell

import dataops
from dataops.cli import main
from dataops.errors import ConfigError, Forbidden, SecretsFound, Unauthorized
from dataops.promotion import audit
from dataops.promotion.access import Identity
from dataops.promotion.credentials import RedactingFilter, gitlab_token, redact
from tests.fakes.git_http import git, make_bare_repo
from tests.promotion.conftest import write_notebook


@pytest.fixture
def configured(dataops_config, git_server, tmp_path, monkeypatch, workspace):
    make_bare_repo(git_server.root, "deploy")
    remote = f"{git_server.url}/deploy.git"
    dataops_config.write_text(
        f"""
[promotion]
audit_log = "{tmp_path / "audit.jsonl"}"

[promotion.folders]
steps = "pipeline/steps"

[[promotion.environments]]
id = "test"
branch = "deploy/test"
remote = "{remote}"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
remote = "{remote}"
allowed_users = ["release-manager"]
"""
    )
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("JUPYTERHUB_USER", "analyst")
    return git_server.root / "deploy.git"


def test_promote_from_python_lands_and_audits(configured, workspace, tmp_path):
    done = dataops.promote("analysis.ipynb", env="test", message="Nowcast v2")
    assert git(configured, "log", "-1", "--format=%s", "deploy/test") == "Nowcast v2"
    assert done.files == ["notebooks/analysis.ipynb", "notebooks/analysis.py", "notebooks/helpers.py"]
    (record,) = audit.read(tmp_path / "audit.jsonl")
    assert (record["user"], record["environment"], record["commit_sha"]) == (
        "analyst",
        "test",
        done.commit_sha,
    )


def test_promote_from_python_refuses_users_without_rights(configured):
    with pytest.raises(Forbidden, match="Only release-manager may promote to prod; analyst may not"):
        dataops.promote("analysis.ipynb", env="prod", message="x")
    assert (
        dataops.promote("analysis.ipynb", env="prod", user=Identity("release-manager")).branch
        == "deploy/prod"
    )
    # A display name (JupyterHub's, or Jupyter's "Anonymous ..." for token logins) leads, the account follows.
    with pytest.raises(Forbidden, match=r"prod; Anonymous Io \(0091f845\) may not\.$"):
        dataops.promote("analysis.ipynb", env="prod", user=Identity("0091f845", name="Anonymous Io"))


def test_step_modules_and_bpmn_files_go_to_their_folders(configured, workspace):
    (workspace / "load.py").write_text("def run(ctx):\n    return 1\n")
    (workspace / "monthly.bpmn").write_text('<?xml version="1.0"?><definitions/>\n')
    assert dataops.promote("load.py", env="test").files == ["pipeline/steps/load.py"]
    assert dataops.promote("monthly.bpmn", env="test").files == ["processes/monthly.bpmn"]


def test_cli_review_shows_files_and_exits_1_on_secrets(configured, workspace, capsys):
    assert main(["promote", "analysis.ipynb", "--env", "test", "--review"]) == 0
    assert "new       notebooks/analysis.py" in capsys.readouterr().out
    token = "".join(["ghp_", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"])
    write_notebook(workspace / "leak.ipynb", [new_code_cell(f"token = '{token}'")])
    assert main(["promote", "leak.ipynb", "--env", "test", "-m", "x"]) == 1
    captured = capsys.readouterr()
    assert "leak.ipynb, cell 1 (source), line 1: GitHub Token" in captured.out
    assert token not in captured.out + captured.err
    assert "refs/heads/deploy/test" not in git(configured, "for-each-ref")
    with pytest.raises(SecretsFound):
        dataops.promote("leak.ipynb", env="test")


def test_token_file_must_be_private(tmp_path, monkeypatch):
    monkeypatch.delenv("DATAOPS_GITLAB_TOKEN", raising=False)
    path = tmp_path / "gitlab-token"
    with pytest.raises(Unauthorized, match="No GitLab token"):
        gitlab_token("DATAOPS_GITLAB_TOKEN", path)
    path.write_text("glpat-filetoken-0123456789\n")
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        gitlab_token("DATAOPS_GITLAB_TOKEN", path)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert gitlab_token("DATAOPS_GITLAB_TOKEN", path) == "glpat-filetoken-0123456789"
    assert "filetoken" not in redact("GitLab said: bad token glpat-filetoken-0123456789")


def test_logs_and_errors_never_show_credentials(caplog):
    import logging

    log = logging.getLogger("dataops.test")
    log.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO):
        log.info("pushing to %s", "https://oauth2:s3cr3t-pass@git.bank.example/deploy.git")
        log.info("header PRIVATE-TOKEN: abcdef123456")
    assert "s3cr3t-pass" not in caplog.text and "abcdef123456" not in caplog.text
    assert "https://[REDACTED]@git.bank.example/deploy.git" in caplog.text
