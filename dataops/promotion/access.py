"""Who may promote where: each environment lists allowed users and groups.

An environment with neither list is open to every signed-in user (typical for dev). The reason is
a sentence the dialog shows beside a disabled environment and the server returns with a 403.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from typing import Any

from dataops.errors import Forbidden
from dataops.promotion.config import Environment, PromotionConfig


@dataclass(frozen=True)
class Identity:
    """A user as the identity provider (Jupyter, JupyterHub) knows them."""

    username: str
    groups: tuple[str, ...] = field(default_factory=tuple)
    name: str = ""
    email: str = ""

    @property
    def label(self) -> str:
        """How a sentence names the user: display name with the account, or the account alone."""
        return f"{self.name} ({self.username})" if self.name and self.name != self.username else self.username


def server_account(display_name: str = "") -> Identity:
    """The account this process runs as (``getpass.getuser()``), named ``display_name`` when given,
    else by the first field of its passwd GECOS entry when it has one."""
    username = getpass.getuser()
    return Identity(username, name=display_name or _gecos_name(username))


def _gecos_name(username: str) -> str:
    try:
        import pwd  # absent on Windows
    except ImportError:
        return ""
    try:
        return pwd.getpwnam(username).pw_gecos.split(",")[0].strip()
    except KeyError:  # an account known to the environment (LOGNAME) but not to passwd
        return ""


@dataclass(frozen=True)
class Decision:
    """Whether ``identity`` may promote to an environment, and why not."""

    allowed: bool
    reason: str = ""


def decide(env: Environment, who: Identity, action: str = "promote to") -> Decision:
    """Apply the environment's allow lists to ``who`` (``action`` words the reason)."""
    if not env.allowed_users and not env.allowed_groups:
        return Decision(True)
    if who.username in env.allowed_users or set(who.groups) & set(env.allowed_groups):
        return Decision(True)
    allowed = [*env.allowed_users, *(f"members of {g}" for g in env.allowed_groups)]
    return Decision(False, f"Only {_join(allowed)} may {action} {env.id}; {who.label} may not.")


def require(env: Environment, who: Identity) -> None:
    """Raise `Forbidden` with the reason unless ``who`` may promote to ``env``."""
    decision = decide(env, who)
    if not decision.allowed:
        raise Forbidden(decision.reason)


def may_see_history(env: Environment, who: Identity) -> Decision:
    """Whether ``who`` may read ``env``'s promotion history: the people who may promote there, as the
    audit trail names people, files and secret findings of that environment."""
    return decide(env, who, "see the promotions to")


def may_see_pipelines(env: Environment, who: Identity) -> Decision:
    """Whether ``who`` may see ``env``'s pipelines, jobs and job logs: the same people as its promotion
    history, as the logs show what was promoted there and how it ran."""
    return decide(env, who, "see the pipelines of")


def history_scope(cfg: PromotionConfig, who: Identity, env_id: str | None) -> tuple[list[str], list[str]]:
    """The environments whose history to read and those hidden from ``who``: ``env_id`` alone
    (`NotFound` when it is not configured, `Forbidden` when ``who`` may not see it), or every
    environment ``who`` may see."""
    if env_id is not None:
        decision = may_see_history(cfg.environment(env_id), who)
        if not decision.allowed:
            raise Forbidden(decision.reason)
        return [env_id], []
    visible = [e.id for e in cfg.environments if may_see_history(e, who).allowed]
    return visible, [e.id for e in cfg.environments if e.id not in visible]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def environment_json(env: Environment, who: Identity, unable: str = "") -> dict[str, Any]:
    """One environment as the Promote dialog and the Deploy panel see it, with what ``who`` may do there.

    ``unable`` is a reason that stops ``who`` promoting although the policy allows it (under the hub:
    no GitLab token of their own where the environment commits as the user).
    """
    decision = decide(env, who)
    history = may_see_history(env, who)
    return {
        "id": env.id,
        "label": env.label or env.id,
        "branch": env.branch,
        "target": env.target_kind,
        "gitlab_project": env.gitlab_project,
        "protected": env.protected,
        "folders": env.folders,
        "may_promote": decision.allowed and not unable,
        "reason": (unable if decision.allowed else "") or decision.reason,
        "may_see_history": history.allowed,
        "history_reason": history.reason,
    }
