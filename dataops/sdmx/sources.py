"""Configured SDMX data sources (``[[sources]]`` in the dataops configuration)."""

from __future__ import annotations

from dataclasses import dataclass

from dataops.config import Config
from dataops.errors import ConfigError


@dataclass(frozen=True)
class Source:
    """One SDMX data source: a REST endpoint or a folder of SDMX files."""

    id: str
    name: str
    url: str
    api: str = "sdmx-rest-1"
    description: str = ""


def configured_sources(config: Config) -> list[Source]:
    """The sources the user and admin configured, in configuration order."""
    out = []
    for entry in config.table_array("sources"):
        try:
            out.append(Source(**entry))
        except TypeError as exc:
            raise ConfigError(f"Source entry {entry.get('id', '?')!r} is invalid: {exc}") from exc
    return out
