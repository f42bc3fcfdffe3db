"""The ``[workflows]`` section of the dataops configuration."""

from __future__ import annotations

from dataclasses import dataclass

from dataops.config import Config


@dataclass(frozen=True)
class WorkflowsConfig:
    """Where the engine is and how to reach it."""

    engine_url: str = ""
    username: str = ""
    password: str = ""

    @property
    def configured(self) -> bool:
        """True when an engine URL is set."""
        return bool(self.engine_url)

    @classmethod
    def from_config(cls, config: Config) -> WorkflowsConfig:
        """Build from the merged configuration."""
        section = config.section("workflows")
        return cls(
            engine_url=str(section.get("engine_url", "")),
            username=str(section.get("username", "")),
            password=str(section.get("password", "")),
        )
