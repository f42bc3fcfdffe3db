"""What every handler shares: the dataops configuration and per-capability settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dataops.config import Config, config_paths, load_config


@dataclass
class DataOpsContext:
    """Server-wide state, built once by the extension app.

    The TOML configuration is re-read when one of its files changes, so an admin's edit
    applies without restarting the server; a broken file raises `ConfigError` on use.
    """

    data: Any
    workflows: Any
    promotion: Any
    services: dict[str, Any] = field(default_factory=dict)
    _stamp: tuple = ()
    _config: Config | None = None

    @property
    def config(self) -> Config:
        """The current merged configuration."""
        stamp = tuple((str(p), p.stat().st_mtime_ns if p.is_file() else None) for p in config_paths())
        if self._config is None or stamp != self._stamp:
            self._config = load_config()
            self._stamp = stamp
        return self._config
