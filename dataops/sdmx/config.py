"""The ``[data]`` section of the dataops configuration, as a typed model."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dataops.config import Config
from dataops.errors import ConfigError


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/dataops/sdmx`` (``~/.cache/dataops/sdmx`` by default)."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dataops" / "sdmx"


@dataclass(frozen=True)
class DataConfig:
    """Client behaviour shared by the kernel and the server.

    ``presets``: offer the public providers (ECB, Eurostat, BIS, IMF, OECD) after the configured
    sources. ``cache_ttl``: seconds a cached structure is used without asking the provider.
    ``max_response_mb``: responses larger than this are refused before they exhaust memory.
    ``async_timeout``: seconds to wait for data a provider delivers asynchronously (Eurostat's
    footer with a key), polled every ``async_poll_interval`` seconds at first, backing off.
    ``files_cache_mb``: megabytes of data tables read from ``files`` sources kept in memory per
    process (`dataops.sdmx.table_memo`), so the REST endpoint does not parse a file per request; 0 keeps none.
    """

    presets: bool = True
    cache_dir: Path | None = None
    cache_ttl: float = 24 * 3600
    timeout: float = 60.0
    retries: int = 3
    max_retry_wait: float = 60.0
    max_response_mb: int = 512
    async_timeout: float = 600.0
    async_poll_interval: float = 5.0
    files_cache_mb: float = 256

    @property
    def max_bytes(self) -> int:
        """The response size limit in bytes."""
        return self.max_response_mb * 1024 * 1024

    @property
    def files_cache_bytes(self) -> int:
        """The bound of the in-memory cache of tables read from files, in bytes."""
        return int(self.files_cache_mb * 1024 * 1024)

    @property
    def cache_path(self) -> Path:
        """Where structures are cached."""
        return self.cache_dir or default_cache_dir()

    @classmethod
    def from_config(cls, config: Config) -> DataConfig:
        """Build from ``[data]``; unknown keys and wrong types are configuration errors."""
        raw = dict(config.section("data"))
        if "cache_dir" in raw:
            raw["cache_dir"] = Path(str(raw["cache_dir"])).expanduser()
        try:
            out = cls(**raw)
        except TypeError as exc:
            raise ConfigError(f"The [data] section of the dataops configuration is invalid: {exc}") from exc
        for name in (
            "cache_ttl",
            "timeout",
            "retries",
            "max_retry_wait",
            "max_response_mb",
            "async_timeout",
            "async_poll_interval",
            "files_cache_mb",
        ):
            value = getattr(out, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(f"[data] {name} must be a non-negative number, not {value!r}.")
        return out
