"""``dataops.promote``: the same promotion as the Promote dialog, from Python."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from dataops.config import Config, load_config
from dataops.errors import ConfigError, NotConfigured
from dataops.promotion.access import Identity, require
from dataops.promotion.config import Environment, PromotionConfig
from dataops.promotion.credentials import gitlab_token
from dataops.promotion.plan import Plan, build_plan
from dataops.promotion.submit import Promotion, submit
from dataops.promotion.targets import Target
from dataops.promotion.targets.git import GitTarget
from dataops.promotion.targets.gitlab import GitLabTarget


def make_target(env: Environment, cfg: PromotionConfig, gitlab_url: str = "") -> Target:
    """The GitLab project or git remote of ``env``, with credentials from the environment or token file.

    ``gitlab_url`` (the server's setting) overrides ``[promotion] gitlab_url``.
    """
    if env.gitlab_project:
        url = gitlab_url or cfg.gitlab_url
        if not url:
            raise NotConfigured(
                f"Environment {env.id!r} names a GitLab project but no gitlab_url is configured."
            )
        return GitLabTarget(url, env.gitlab_project, gitlab_token(cfg.token_env, cfg.token_file))
    if env.remote:
        return GitTarget(env.remote, os.environ.get(cfg.token_env) or None)
    raise ConfigError(f"Environment {env.id!r} names neither a remote nor a gitlab_project.")


def current_identity() -> Identity:
    """Who runs this kernel or command (JupyterHub's user when present)."""
    return Identity(os.environ.get("JUPYTERHUB_USER") or getpass.getuser())


def plan(
    path: str | Path,
    env: str,
    *,
    extra_files: tuple[str, ...] = (),
    destinations: dict[str, str] | None = None,
    config: Config | None = None,
    user: Identity | None = None,
) -> Plan:
    """Review a promotion without changing anything: files, destinations, diff and secret scan."""
    cfg = PromotionConfig.from_config(config or load_config())
    environment = cfg.environment(env)
    who = user or current_identity()
    require(environment, who)
    path = Path(path).resolve()
    root = Path.cwd().resolve() if Path.cwd().resolve() in path.parents else path.parent
    extras = tuple(str(Path(e).resolve().relative_to(root)) for e in extra_files)
    return build_plan(
        root,
        path.relative_to(root).as_posix(),
        environment,
        make_target(environment, cfg),
        who,
        extra_files=extras,
        destinations=destinations,
    )


def promote(
    path: str | Path,
    env: str,
    message: str = "",
    *,
    extra_files: tuple[str, ...] = (),
    destinations: dict[str, str] | None = None,
    config: Config | None = None,
    user: Identity | None = None,
) -> Promotion:
    """Promote a notebook (with its ``.py`` and local modules), a step module or a ``.bpmn`` file.

    Raises `SecretsFound` (nothing is sent), `Forbidden`, or `Conflict` when the branch moved
    during the promotion (nothing is overwritten).
    """
    cfg = PromotionConfig.from_config(config or load_config())
    reviewed = plan(path, env, extra_files=extra_files, destinations=destinations, config=config, user=user)
    return submit(reviewed, make_target(reviewed.environment, cfg), cfg.audit_log, message)
