"""The one configuration of `dataops`, read from TOML by the kernel, the CLI and the server.

Files are read in this order, later ones overriding earlier ones:

1. the system file ``/etc/dataops/config.toml`` (``DATAOPS_SYSTEM_CONFIG`` overrides the path),
2. the user file ``$XDG_CONFIG_HOME/dataops/config.toml`` (``~/.config/...`` by default),
3. the file named by ``DATAOPS_CONFIG``.

Tables merge key by key; arrays of tables whose entries carry an ``id`` (``[[sources]]``,
``[[promotion.environments]]``) merge entry by entry on that id. Each capability turns its
section into its own typed model (``dataops.sdmx.config``, ``dataops.workflows.config``, ...).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataops.errors import ConfigError

SYSTEM_CONFIG = Path("/etc/dataops/config.toml")


def config_paths() -> list[Path]:
    """The configuration files that apply here, in the order they are merged."""
    system = Path(os.environ.get("DATAOPS_SYSTEM_CONFIG", SYSTEM_CONFIG))
    xdg = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    paths = [system, xdg / "dataops" / "config.toml"]
    explicit = os.environ.get("DATAOPS_CONFIG")
    if explicit:
        paths.append(Path(explicit))
    return paths


@dataclass(frozen=True)
class Config:
    """Merged configuration: raw sections plus the files they came from."""

    data: dict[str, Any] = field(default_factory=dict)
    files: tuple[Path, ...] = ()

    def section(self, name: str) -> dict[str, Any]:
        """One top-level table (``{}`` when absent)."""
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"The [{name}] section of the dataops configuration must be a table.")
        return value

    def table_array(self, name: str) -> list[dict[str, Any]]:
        """One top-level array of tables (``[]`` when absent)."""
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(
                f"'{name}' in the dataops configuration must be an array of tables ([[{name}]])."
            )
        return value


def load_config(paths: list[Path] | None = None) -> Config:
    """Read and merge the configuration files that exist (missing files are skipped).

    An explicit ``DATAOPS_CONFIG`` that does not exist is an error, not a silent default.
    """
    explicit = os.environ.get("DATAOPS_CONFIG")
    if explicit and paths is None and not Path(explicit).is_file():
        raise ConfigError(f"DATAOPS_CONFIG names {explicit}, which does not exist.")
    merged: dict[str, Any] = {}
    used: list[Path] = []
    for path in paths if paths is not None else config_paths():
        if not path.is_file():
            continue
        merged = merge_tables(merged, read_toml(path))
        used.append(path)
    return Config(merged, tuple(used))


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, naming the file and position on a syntax error."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The configuration file {path} is not valid TOML: {exc}") from exc


def merge_tables(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` into a copy of ``base`` (see the module docstring)."""
    out = dict(base)
    for key, value in override.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge_tables(old, value)
        elif _is_id_array(old) and _is_id_array(value):
            by_id = {entry["id"]: entry for entry in old}
            for entry in value:
                by_id[entry["id"]] = merge_tables(by_id.get(entry["id"], {}), entry)
            out[key] = list(by_id.values())
        else:
            out[key] = value
    return out


def _is_id_array(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value)
