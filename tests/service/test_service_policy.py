"""The hub service's own configuration and credentials: what it says when one is missing, and which
git account it pushes with (seen by the git server's protected-branch hook)."""

from __future__ import annotations

import asyncio

import pytest

from dataops.errors import ConfigError, Forbidden, NotConfigured, Unauthorized
from dataops.promotion.inputs import PlanInput
from dataops.service.desk import PromotionDesk
from dataops.service.hub import Caller
from dataops.service.policy import ServicePolicy
from tests.fakes.git_http import git, git_server, make_bare_repo  # noqa: F401

STEP = PlanInput("step.py", {"step.py": b"print('promoted')\n"})
RELEASER = Caller("releaser", ("release-managers",))


def service(tmp_path, config: str, secrets: str | None = None) -> PromotionDesk:
    (tmp_path / "config.toml").write_text(config)
    if secrets is not None:
        (tmp_path / "secrets.toml").write_text(secrets)
    return PromotionDesk(ServicePolicy(tmp_path / "config.toml", tmp_path / "secrets.toml"))


def test_a_service_without_its_configuration_file_says_how_to_give_it_one(tmp_path):
    policy = ServicePolicy(tmp_path / "missing.toml", tmp_path / "secrets.toml")
    with pytest.raises(NotConfigured) as missing:
        policy.promotion()
    assert missing.value.message == (
        f"The DataOps service has no configuration: {tmp_path / 'missing.toml'} does not exist "
        "(start it with --config or DATAOPS_SERVICE_CONFIG)."
    )


def test_missing_or_unreadable_credentials_are_named_with_their_file(tmp_path):
    policy = ServicePolicy(tmp_path / "config.toml", tmp_path / "secrets.toml")
    with pytest.raises(Unauthorized) as no_token:
        policy.gitlab_token()
    assert no_token.value.message == (
        f"The DataOps service has no GitLab token: set [gitlab] token in {tmp_path / 'secrets.toml'}."
    )
    (tmp_path / "secrets.toml").write_text('[gitlab]\ntoken = "  "\n')
    with pytest.raises(Unauthorized, match="has no GitLab token"):
        policy.gitlab_token()
    (tmp_path / "secrets.toml").write_text("[gitlab\ntoken = 'x'\n")
    with pytest.raises(ConfigError) as broken:
        policy.gitlab_token()
    assert broken.value.message.startswith(
        f"The service's credentials file {tmp_path / 'secrets.toml'} cannot be read: "
    )
    (tmp_path / "secrets.toml").write_text('[gitlab]\nurl = "https://gitlab.example.org"\n')
    with pytest.raises(Unauthorized, match="has no GitLab token"):
        policy.gitlab_token()
    (tmp_path / "secrets.toml").write_text('note = "rotated monthly"\n[gitlab]\ntoken = " glpat-service "\n')
    assert policy.gitlab_token() == "glpat-service"


GIT_ENV = """[promotion]
audit_log = "{audit}"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
remote = "{remote}"
"""


@pytest.mark.parametrize(
    ("secrets", "lands"),
    [
        ('[git]\ntoken = "git-token"\nusername = "release-bot"\n', True),
        ('[gitlab]\ntoken = "glpat-service"\n[git]\nusername = "release-bot"\n', True),
        ('[git]\ntoken = "git-token"\n', False),  # pushes as oauth2
        ("", False),  # no credentials: anonymous
    ],
)
def test_the_service_pushes_to_a_git_remote_as_its_configured_git_user(
    tmp_path,
    git_server,  # noqa: F811
    secrets,
    lands,
):
    make_bare_repo(git_server.root, "deploy", protected=["deploy/prod"], pushers=["release-bot"])
    remote = f"{git_server.url}/deploy.git"
    desk = service(tmp_path, GIT_ENV.format(audit=tmp_path / "audit.jsonl", remote=remote), secrets)
    plan = desk.review(RELEASER, {"environment": "prod", "input": STEP.to_json()})
    if lands:
        landed = desk.submit(RELEASER, plan.id, "to prod")
        assert git(git_server.root / "deploy.git", "rev-parse", "deploy/prod") == landed["commit_sha"]
    else:
        with pytest.raises(Forbidden, match="may not push to it"):
            desk.submit(RELEASER, plan.id, "to prod")
        assert git(git_server.root / "deploy.git", "branch", "--list", "deploy/prod") == ""


def test_an_environment_the_service_cannot_reach_says_what_is_missing(tmp_path):
    desk = service(
        tmp_path,
        """[promotion]
[[promotion.environments]]
id = "ci-prod"
branch = "main"
gitlab_project = "stats/deployment"

[[promotion.environments]]
id = "archive"
branch = "main"
remote = "https://git.example/archive.git"
""",
        '[gitlab]\ntoken = "glpat-service"\n',
    )
    with pytest.raises(NotConfigured) as no_url:
        desk.review(RELEASER, {"environment": "ci-prod", "input": STEP.to_json()})
    assert no_url.value.message == (
        "Environment 'ci-prod' names a GitLab project but no gitlab_url is configured."
    )
    with pytest.raises(NotConfigured) as no_instance:
        asyncio.run(desk.pipelines(RELEASER, "ci-prod", 10))
    assert no_instance.value.message == "No GitLab instance configured: set gitlab_url in [promotion]."
    with pytest.raises(NotConfigured) as plain_git:
        asyncio.run(desk.pipelines(RELEASER, "archive", 10))
    assert plain_git.value.message == (
        "Environment 'archive' deploys to a plain git remote; it has no GitLab pipelines."
    )
