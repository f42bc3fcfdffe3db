"""Which GitLab project and branch an environment's pipelines run on, and the token to reach them."""

from __future__ import annotations

from dataclasses import dataclass

from dataops.config import Config
from dataops.errors import NotConfigured
from dataops.promotion import credentials
from dataops.promotion.config import Environment, PromotionConfig
from dataops.settings import settings_for


@dataclass(frozen=True)
class CITarget:
    """An environment's pipelines: GitLab instance, project and branch."""

    environment: str
    branch: str
    project: str
    gitlab_url: str


def ci_targets(config: Config | None = None) -> list[CITarget]:
    """Every environment deploying through a GitLab project."""
    cfg = settings_for(config).promotion
    return [_target(cfg, env) for env in cfg.environments if env.gitlab_project]


def ci_target(env_id: str, config: Config | None = None) -> CITarget:
    """The pipelines of environment ``env_id``; `NotConfigured` when it has no GitLab project."""
    cfg = settings_for(config).promotion
    env = cfg.environment(env_id)
    if not env.gitlab_project:
        raise NotConfigured(
            f"Environment {env_id!r} deploys to a plain git remote; pipelines need a gitlab_project "
            "in its [[promotion.environments]] entry."
        )
    return _target(cfg, env)


def _target(cfg: PromotionConfig, env: Environment) -> CITarget:
    url = cfg.gitlab_url.rstrip("/")
    if not url:
        raise NotConfigured("No GitLab instance configured: set gitlab_url in [promotion].")
    return CITarget(env.id, env.branch, env.gitlab_project, url)


def gitlab_token(config: Config | None = None) -> str:
    """The GitLab token, from where the promotion capability reads it (variable or 0600 file)."""
    cfg = settings_for(config).promotion
    return credentials.gitlab_token(cfg.token_env, cfg.token_file)
