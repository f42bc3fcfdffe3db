"""The ``[promotion]`` section: target environments and who may promote there."""

from __future__ import annotations

from dataclasses import dataclass, field

from dataops.config import Config
from dataops.errors import ConfigError


@dataclass(frozen=True)
class Environment:
    """One deployment environment (dev, test, prod) and its target branch."""

    id: str
    branch: str
    remote: str = ""
    gitlab_project: str = ""
    protected: bool = False
    allowed_users: tuple[str, ...] = ()
    allowed_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class PromotionConfig:
    """All configured environments."""

    environments: list[Environment] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: Config) -> PromotionConfig:
        """Build from the merged configuration."""
        envs = []
        for entry in config.section("promotion").get("environments", []):
            try:
                envs.append(
                    Environment(
                        **{
                            **entry,
                            "allowed_users": tuple(entry.get("allowed_users", ())),
                            "allowed_groups": tuple(entry.get("allowed_groups", ())),
                        }
                    )
                )
            except TypeError as exc:
                raise ConfigError(f"Environment {entry.get('id', '?')!r} is invalid: {exc}") from exc
        return cls(envs)
