"""``[[workflows.environments]]``: the engine of each environment and who may do what there.

Policy, read only from the administrator's places (see `dataops.policy`); the DataOps hub service
applies it. Each environment has its own engine, so a run id found on an environment's engine is a
run of that environment and nothing else.

```toml
[[workflows.environments]]
id = "dev"
engine_url = "http://engine-dev:8080/engine-rest"      # an environment without lists is open to all

[[workflows.environments]]
id = "prod"
engine_url = "http://engine-prod:8080/engine-rest"
username = "dataops"                                    # engine credentials: the service holds them
password = "…"
protected = true                    # operators only; definitions arrive through promotion + pipeline
operate_groups = ["workflow-operators"]                 # may start, cancel and retry any run
# view_users / view_groups: who may see runs, variables and logs (unset: everybody)
# operate_users / operate_groups: who may start, cancel and retry (unset: everybody, unless protected)
# publish_users / publish_groups: who may publish definitions directly (unset: everybody, unless protected)
```
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from dataops.config import Config
from dataops.errors import ConfigError, NotFound

_LISTS = (
    "view_users",
    "view_groups",
    "operate_users",
    "operate_groups",
    "publish_users",
    "publish_groups",
)


@dataclass(frozen=True)
class WorkflowEnvironment:
    """One environment's engine, its credentials and its three rights (view, operate, publish)."""

    id: str
    engine_url: str
    username: str = ""
    password: str = ""
    protected: bool = False
    label: str = ""
    view_users: tuple[str, ...] = ()
    view_groups: tuple[str, ...] = ()
    operate_users: tuple[str, ...] = ()
    operate_groups: tuple[str, ...] = ()
    publish_users: tuple[str, ...] = ()
    publish_groups: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """What a user may know of the environment: never its engine's credentials."""
        return {
            "id": self.id,
            "label": self.label or self.id,
            "protected": self.protected,
            "engine_url": self.engine_url,
        }


def environments_from_config(config: Config) -> list[WorkflowEnvironment]:
    """The ``[[workflows.environments]]`` entries; a wrong entry is a `ConfigError` naming it."""
    raw = config.section("workflows").get("environments", [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise ConfigError("[[workflows.environments]] must be an array of tables.")
    known = {f.name for f in fields(WorkflowEnvironment)}
    envs: list[WorkflowEnvironment] = []
    for entry in raw:
        env_id = str(entry.get("id") or "")
        if not env_id or not entry.get("engine_url"):
            raise ConfigError(f"Workflow environment {env_id or '?'!r} needs both 'id' and 'engine_url'.")
        unknown = sorted(set(entry) - known)
        if unknown:
            raise ConfigError(
                f"Workflow environment {env_id!r} has unknown setting(s): {', '.join(unknown)}."
            )
        for name in _LISTS:
            value = entry.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{name} of workflow environment {env_id!r} must be a list of names.")
        if not isinstance(entry.get("protected", False), bool):
            raise ConfigError(f"protected of workflow environment {env_id!r} must be true or false.")
        envs.append(
            WorkflowEnvironment(
                **{
                    **entry,
                    "engine_url": str(entry["engine_url"]).rstrip("/"),
                    **{name: tuple(entry.get(name, ())) for name in _LISTS},
                }
            )
        )
    seen: dict[str, str] = {}
    for env in envs:
        # A run id is looked up on its environment's engine: a shared engine would let the rights of
        # one environment reach the runs of another.
        if env.engine_url in seen:
            raise ConfigError(
                f"Workflow environments {seen[env.engine_url]!r} and {env.id!r} name the same engine "
                f"{env.engine_url}; each environment needs its own engine."
            )
        seen[env.engine_url] = env.id
    return envs


def find_environment(envs: list[WorkflowEnvironment], env_id: str) -> WorkflowEnvironment:
    """The environment called ``env_id``, or `NotFound` listing the configured ones."""
    for env in envs:
        if env.id == env_id:
            return env
    names = ", ".join(e.id for e in envs) or "none"
    raise NotFound(f"There is no workflow environment {env_id!r}; the configured ones are: {names}.")
