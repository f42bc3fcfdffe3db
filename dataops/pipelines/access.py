"""Which GitLab project and branch an environment's pipelines run on, and the token to reach them."""

from __future__ import annotations

from dataclasses import dataclass

from dataops.config import Config, load_config
from dataops.errors import NotConfigured
from dataops.promotion import credentials
from dataops.promotion.config import Environment, PromotionConfig


@dataclass(frozen=True)
class CITarget:
    """An environment's pipelines: GitLab instance, project and branch."""

    environment: str
    branch: str
    project: str
    gitlab_url: str


def ci_targets(config: Config | None = None, gitlab_url: str = "") -> list[CITarget]:
    """Every environment deploying through a GitLab project (``gitlab_url`` overrides the configured one)."""
    cfg = PromotionConfig.from_config(config or load_config())
    return [_target(cfg, env, gitlab_url) for env in cfg.environments if env.gitlab_project]


def ci_target(env_id: str, config: Config | None = None, gitlab_url: str = "") -> CITarget:
    """The pipelines of environment ``env_id``; `NotConfigured` when it has no GitLab project."""
    cfg = PromotionConfig.from_config(config or load_config())
    env = cfg.environment(env_id)
    if not env.gitlab_project:
        raise NotConfigured(
            f"Environment {env_id!r} deploys to a plain git remote; pipelines need a gitlab_project "
            "in its [[promotion.environments]] entry."
        )
    return _target(cfg, env, gitlab_url)


def _target(cfg: PromotionConfig, env: Environment, gitlab_url: str) -> CITarget:
    url = (gitlab_url or cfg.gitlab_url).rstrip("/")
    if not url:
        raise NotConfigured("No GitLab instance configured: set gitlab_url in [promotion].")
    return CITarget(env.id, env.branch, env.gitlab_project, url)


def gitlab_token(config: Config | None = None) -> str:
    """The GitLab token, from where the promotion capability reads it (variable or 0600 file)."""
    cfg = PromotionConfig.from_config(config or load_config())
    return credentials.gitlab_token(cfg.token_env, cfg.token_file)
