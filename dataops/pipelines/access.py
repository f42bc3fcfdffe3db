"""Which GitLab project and branch an environment's pipelines run on, and the token to reach them."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from dataops.config import Config, load_config
from dataops.errors import ConfigError, NotConfigured
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
    """The GitLab token: the variable named by ``token_env``, else ``token_file`` (which must be 0600)."""
    cfg = PromotionConfig.from_config(config or load_config())
    token = os.environ.get(cfg.token_env, "").strip()
    if token:
        return token
    path = cfg.token_file
    if path.is_file():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(
                f"The GitLab token file {path} can be read by other users (mode {mode:o}); "
                f"run chmod 600 {path} first."
            )
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
    raise NotConfigured(
        f"No GitLab token: set the environment variable {cfg.token_env} "
        f"or write the token to {path} (mode 600)."
    )
