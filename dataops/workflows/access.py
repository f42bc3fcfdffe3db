"""Who may view, operate and publish in a workflow environment: the rules the hub service applies.

- **view** (runs, variables, logs, definitions): the ``view_*`` lists, or everybody when they are
  empty; operators and publishers of the environment may always view.
- **operate** (start a run; cancel or retry any run): the ``operate_*`` lists; empty lists mean
  everybody in an unprotected environment and nobody in a protected one. Whoever started a run may
  cancel and retry that run.
- **publish** a definition directly: the ``publish_*`` lists; empty lists mean everybody in an
  unprotected environment and nobody in a protected one, where definitions arrive only through
  promotion and the pipeline's publish job.

Every refusal carries the sentence the panels show beside a disabled action and the service
returns with its 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from dataops.errors import Forbidden
from dataops.workflows.environments import WorkflowEnvironment


class Who(Protocol):
    """A caller as the hub knows them (`dataops.promotion.access.Identity` fits)."""

    @property
    def username(self) -> str: ...

    @property
    def groups(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Decision:
    """Whether an action is allowed, and the sentence that says why not."""

    allowed: bool
    reason: str = ""

    def to_json(self) -> dict[str, object]:
        """``{"allowed", "reason"}``, as the ``may`` fields of the service's answers carry it."""
        return {"allowed": self.allowed, "reason": self.reason}

    def require(self) -> None:
        """Raise `Forbidden` with the reason unless allowed."""
        if not self.allowed:
            raise Forbidden(self.reason)


ALLOWED = Decision(True)


def _listed(who: Who, users: Iterable[str], groups: Iterable[str]) -> bool:
    return who.username in set(users) or bool(set(who.groups) & set(groups))


def _names(users: tuple[str, ...], groups: tuple[str, ...]) -> str:
    items = [*users, *(f"members of {g}" for g in groups)]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def is_operator(who: Who, env: WorkflowEnvironment) -> bool:
    """Whether ``who`` may start, cancel and retry any run in ``env``."""
    if not env.operate_users and not env.operate_groups:
        return not env.protected
    return _listed(who, env.operate_users, env.operate_groups)


def may_publish(who: Who, env: WorkflowEnvironment) -> Decision:
    """Whether ``who`` may publish a definition to ``env``'s engine directly."""
    if not env.publish_users and not env.publish_groups:
        if not env.protected:
            return ALLOWED
        return Decision(
            False,
            f"Definitions reach {env.id} only through promotion and the pipeline's publish job; "
            f"nobody publishes to {env.id} directly.",
        )
    if _listed(who, env.publish_users, env.publish_groups):
        return ALLOWED
    return Decision(
        False,
        f"Only {_names(env.publish_users, env.publish_groups)} may publish definitions to {env.id}; "
        f"{who.username} may not.",
    )


def may_view(who: Who, env: WorkflowEnvironment) -> Decision:
    """Whether ``who`` may see ``env``'s definitions, runs, variables and logs."""
    if not env.view_users and not env.view_groups:
        return ALLOWED
    if (
        _listed(who, env.view_users, env.view_groups)
        or is_operator(who, env)
        or may_publish(who, env).allowed
    ):
        return ALLOWED
    return Decision(
        False,
        f"Only {_names(env.view_users, env.view_groups)} may see the runs in {env.id}; {who.username} may not.",
    )


def may_start(who: Who, env: WorkflowEnvironment) -> Decision:
    """Whether ``who`` may start runs in ``env``."""
    if is_operator(who, env):
        return ALLOWED
    return Decision(False, _not_operator(who, env, "start runs"))


def may_operate(
    who: Who, env: WorkflowEnvironment, started_by: str | None, action: str = "cancel"
) -> Decision:
    """Whether ``who`` may ``action`` (cancel, retry) a run of ``env`` that ``started_by`` started
    (None: the service has no record of who started it)."""
    if started_by is not None and started_by == who.username:
        return ALLOWED
    if is_operator(who, env):
        return ALLOWED
    whose = f"{started_by}'s run" if started_by else "a run started outside the DataOps service"
    return Decision(False, _not_operator(who, env, f"{action} {whose}"))


def _not_operator(who: Who, env: WorkflowEnvironment, what: str) -> str:
    if not env.operate_users and not env.operate_groups:
        return (
            f"{env.id} is protected and has no operators, so nobody may {what} there; {who.username} may not."
        )
    return f"Only {_names(env.operate_users, env.operate_groups)} may {what} in {env.id}; {who.username} may not."


def environment_rights(who: Who, env: WorkflowEnvironment) -> dict[str, dict[str, object]]:
    """The ``may`` field of an environment: view, start and publish decisions for ``who``."""
    return {
        "view": may_view(who, env).to_json(),
        "start": may_start(who, env).to_json(),
        "publish": may_publish(who, env).to_json(),
    }


def run_rights(who: Who, env: WorkflowEnvironment, started_by: str | None) -> dict[str, dict[str, object]]:
    """The ``may`` field of a run: cancel and retry decisions for ``who``."""
    return {
        "cancel": may_operate(who, env, started_by, "cancel").to_json(),
        "retry": may_operate(who, env, started_by, "retry").to_json(),
    }
