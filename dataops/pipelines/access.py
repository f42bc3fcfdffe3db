"""Which GitLab project and branch an environment's pipelines run on, and the token to reach them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dataops.config import Config
from dataops.errors import NotConfigured
from dataops.promotion import credentials
from dataops.promotion.config import Environment, PromotionConfig
from dataops.settings import settings_for

NO_PIPELINES = "deploys to a plain git remote without local pipelines: no pipelines to show"


def has_pipelines(env: Environment) -> bool:
    """Does ``env`` have pipelines to show (a GitLab project, or local pipelines)?"""
    return bool(env.gitlab_project or env.local_pipelines)


@dataclass(frozen=True)
class CITarget:
    """An environment's pipelines: GitLab instance, project and branch; or, for a plain git remote
    with local pipelines, the folder they are recorded in and how they are run."""

    environment: str
    branch: str
    project: str
    gitlab_url: str
    local_root: Path | None = None
    remote: str = ""
    command: str = ""
    variables: tuple[tuple[str, str], ...] = ()


def ci_targets(config: Config | None = None) -> list[CITarget]:
    """Every environment deploying through a GitLab project."""
    cfg = settings_for(config).promotion
    return [_target(cfg, env) for env in cfg.environments if env.gitlab_project]


def ci_target(env_id: str, config: Config | None = None) -> CITarget:
    """The pipelines of environment ``env_id``; `NotConfigured` when it has neither a GitLab project
    nor local pipelines."""
    cfg = settings_for(config).promotion
    env = cfg.environment(env_id)
    if env.local_pipelines:
        return local_target(cfg, env)
    if not env.gitlab_project:
        raise NotConfigured(
            f"Environment {env_id!r} deploys to a plain git remote; pipelines need a gitlab_project, "
            "or local_pipelines = true, in its [[promotion.environments]] entry."
        )
    return _target(cfg, env)


def local_target(cfg: PromotionConfig, env: Environment) -> CITarget:
    """The local pipelines of a plain git environment (``local_pipelines = true``)."""
    return CITarget(
        env.id,
        env.branch,
        "",
        "",
        local_root=cfg.local_pipelines_dir,
        remote=env.remote,
        command=cfg.gitlab_ci_local,
        variables=tuple(sorted(env.variables.items())),
    )


def _target(cfg: PromotionConfig, env: Environment) -> CITarget:
    url = cfg.gitlab_url.rstrip("/")
    if not url:
        raise NotConfigured("No GitLab instance configured: set gitlab_url in [promotion].")
    return CITarget(env.id, env.branch, env.gitlab_project, url)


def gitlab_token(config: Config | None = None) -> str:
    """The GitLab token, from where the promotion capability reads it (variable or 0600 file)."""
    cfg = settings_for(config).promotion
    return credentials.gitlab_token(cfg.token_env, cfg.token_file)
