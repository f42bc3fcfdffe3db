"""The resolved configuration: the TOML files, then the administrator's overrides, typed per capability.

One resolver for the kernel, the CLI and the server. The files are read by `dataops.config` (the
user's files setting preferences only); the server passes its traitlet values in as a plain
mapping of ``"section.key"`` overrides, and one rule applies them: an override with a value
replaces that key of the files; ``None`` or ``""`` leaves the files' value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from dataops.config import Config, Ignored, config_paths, load_config
from dataops.errors import ConfigError
from dataops.promotion.config import PromotionConfig
from dataops.sdmx.config import DataConfig
from dataops.workflows.config import WorkflowsConfig


@dataclass(frozen=True)
class Settings:
    """One resolution of the configuration. Each capability's section is parsed when first asked
    for, so a mistake in one section is an error of that capability only (`ConfigError`)."""

    config: Config

    @cached_property
    def data(self) -> DataConfig:
        """The ``[data]`` section."""
        return DataConfig.from_config(self.config)

    @cached_property
    def workflows(self) -> WorkflowsConfig:
        """The ``[workflows]`` section."""
        return WorkflowsConfig.from_config(self.config)

    @cached_property
    def promotion(self) -> PromotionConfig:
        """The ``[promotion]`` section."""
        return PromotionConfig.from_config(self.config)

    @property
    def ignored(self) -> tuple[Ignored, ...]:
        """The policy keys the user's files set, which were left out."""
        return self.config.ignored


def apply_overrides(config: Config, overrides: Mapping[str, Any]) -> Config:
    """``config`` with each override that has a value in place of the files' value.

    Overrides are named by their dotted place in the TOML (``"workflows.engine_url"``,
    ``"workflows.worker.retries"``); ``None`` and ``""`` mean "not set here".
    """
    data = copy.deepcopy(config.data)
    for name, value in overrides.items():
        if value is None or value == "":
            continue
        *tables, key = name.split(".")
        if not tables or not all(tables) or not key:
            raise ConfigError(f"The override {name!r} must name a section and a key (section.key).")
        table = data
        for i, part in enumerate(tables):
            table = table.setdefault(part, {})
            if not isinstance(table, dict):
                where = ".".join(tables[: i + 1])
                raise ConfigError(f"{where} in the dataops configuration must be a table.")
        table[key] = value
    return Config(data, config.files, config.ignored)


def resolve(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read the configuration files now and apply ``overrides`` (the server's settings)."""
    return Settings(apply_overrides(load_config(), overrides or {}))


class SettingsResolver:
    """The current `Settings`, resolved again when a configuration file changes (by mtime).

    ``warn`` receives one sentence per ignored policy key each time a changed configuration is
    resolved (the server passes its log).
    """

    def __init__(
        self, overrides: Mapping[str, Any] | None = None, warn: Callable[[str], None] | None = None
    ) -> None:
        self.overrides = dict(overrides or {})
        self._warn = warn
        self._stamp: tuple = ()
        self._settings: Settings | None = None

    def current(self) -> Settings:
        """The settings for the files as they are on disk now; a broken file raises `ConfigError`."""
        stamp = tuple((str(p), p.stat().st_mtime_ns if p.is_file() else None) for p in config_paths())
        if self._settings is None or stamp != self._stamp:
            settings = resolve(self.overrides)
            self._settings, self._stamp = settings, stamp
            if self._warn is not None:
                for ignored in settings.ignored:
                    self._warn(ignored.sentence)
        return self._settings


def settings_for(config: Config | None = None) -> Settings:
    """``config`` as settings when a caller passes one (tests, tools), else the configuration resolved now."""
    return Settings(config) if config is not None else resolve()
