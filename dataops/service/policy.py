"""What the service decides with: the administrator's configuration and the service's credentials.

The configuration is the file the service was started with (``--config``); no user's file, no
variable of a user's environment reaches it. The credentials come from the service's secrets file
(readable by its Unix account only)::

    [gitlab]
    token = "glpat-…"          # GitLab environments, and git remotes over HTTP unless [git] says otherwise

    [git]
    token = "…"                # optional: for plain git remotes
    username = "oauth2"        # the HTTP user name sent with it

Both files are read again on every request, so an administrator's edit applies without a restart.

With ``gitlab_identity = "user"`` (``[promotion]`` or one environment) a GitLab environment's
promotions are read and landed with the calling user's own GitLab token, which the hub keeps in the
user's ``auth_state``; GitLab's protected branches and approvals then apply to that user. A caller
without one is refused: the service's token is never used in its place.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataops.config import load_config
from dataops.errors import ConfigError, NotConfigured, Unauthorized
from dataops.pipelines.access import CITarget, local_target
from dataops.pipelines.local import push_trigger
from dataops.promotion import credentials
from dataops.promotion.config import Environment, PromotionConfig
from dataops.promotion.targets import Target
from dataops.promotion.targets.git import GitTarget
from dataops.promotion.targets.gitlab import GitLabTarget
from dataops.service.hub import Caller
from dataops.settings import Settings


@dataclass(frozen=True)
class ServicePolicy:
    """The service's configuration file and secrets file."""

    config_file: Path
    secrets_file: Path

    def settings(self) -> Settings:
        """The administrator's configuration as it is on disk now (all of it policy)."""
        if not self.config_file.is_file():
            raise NotConfigured(
                f"The DataOps service has no configuration: {self.config_file} does not exist "
                "(start it with --config or DATAOPS_SERVICE_CONFIG)."
            )
        return Settings(load_config([self.config_file]))

    def promotion(self) -> PromotionConfig:
        """The ``[promotion]`` section of the service's configuration."""
        return self.settings().promotion

    def secrets(self) -> dict[str, Any]:
        """The secrets file's tables (``{}`` when it does not exist)."""
        try:
            data = tomllib.loads(self.secrets_file.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(
                f"The service's credentials file {self.secrets_file} cannot be read: {exc}"
            ) from exc
        for table in data.values():
            if isinstance(table, dict) and isinstance(table.get("token"), str):
                credentials.remember(table["token"])  # never in a log line or an error sentence
        return data

    def gitlab_token(self) -> str:
        """The service's GitLab token, or `Unauthorized` naming the file to put it in."""
        token = str(self.secrets().get("gitlab", {}).get("token", "")).strip()
        if not token:
            raise Unauthorized(
                f"The DataOps service has no GitLab token: set [gitlab] token in {self.secrets_file}."
            )
        return token

    def promotion_token(self, env: Environment, cfg: PromotionConfig, caller: Caller) -> str:
        """The GitLab token ``env``'s promotions by ``caller`` are made with: the service's, or in
        ``gitlab_identity = "user"`` mode the caller's own from the hub (`Unauthorized` without one)."""
        if cfg.identity_of(env) == "service":
            return self.gitlab_token()
        missing = missing_own_token(env, cfg, caller)
        if missing:
            raise Unauthorized(missing)
        return str(caller.gitlab_token)

    def target(self, env: Environment, cfg: PromotionConfig, caller: Caller) -> Target:
        """Where ``env``'s promotions land, reached with the service's credentials (or, for a GitLab
        environment in ``user`` mode, with ``caller``'s own GitLab token)."""
        if env.gitlab_project:
            if not cfg.gitlab_url:
                raise NotConfigured(
                    f"Environment {env.id!r} names a GitLab project but no gitlab_url is configured."
                )
            return GitLabTarget(cfg.gitlab_url, env.gitlab_project, self.promotion_token(env, cfg, caller))
        if env.remote:
            secrets = self.secrets()
            git = secrets.get("git", {})
            token = str(git.get("token") or secrets.get("gitlab", {}).get("token") or "") or None
            return GitTarget(env.remote, token, str(git.get("username") or "oauth2"), push_trigger(env, cfg))
        raise ConfigError(f"Environment {env.id!r} names neither a remote nor a gitlab_project.")

    def ci_target(self, env: Environment, cfg: PromotionConfig) -> CITarget:
        """``env``'s pipelines: its GitLab project and branch, or its local pipelines (`NotConfigured`
        for a plain git remote without them)."""
        if env.local_pipelines:
            return local_target(cfg, env)
        if not env.gitlab_project:
            raise NotConfigured(
                f"Environment {env.id!r} deploys to a plain git remote; it has no GitLab pipelines."
            )
        if not cfg.gitlab_url:
            raise NotConfigured("No GitLab instance configured: set gitlab_url in [promotion].")
        return CITarget(env.id, env.branch, env.gitlab_project, cfg.gitlab_url)


def missing_own_token(env: Environment, cfg: PromotionConfig, caller: Caller) -> str:
    """Why ``caller`` cannot promote to ``env`` for want of their own GitLab token (``env`` commits as
    the user and the hub holds none for them), or ``""`` when nothing is missing."""
    if cfg.identity_of(env) != "user" or caller.gitlab_token:
        return ""
    return (
        f"Promotions to {env.id} are made with your own GitLab account, and the hub holds no "
        f"GitLab token for {caller.name}: sign in again through GitLab."
    )
