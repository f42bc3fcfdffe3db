"""The one configuration of `dataops`, read from TOML by the kernel, the CLI and the server.

Files are read in this order, later ones overriding earlier ones:

1. the administrator's system file ``/etc/dataops/config.toml`` (``DATAOPS_SYSTEM_CONFIG``
   names another one in its place),
2. the user file ``$XDG_CONFIG_HOME/dataops/config.toml`` (``~/.config/...`` by default),
3. the file named by ``DATAOPS_CONFIG``.

Tables merge key by key; arrays of tables whose entries carry an ``id`` (``[[sources]]``,
``[[promotion.environments]]``) merge entry by entry on that id. The user's files (2 and 3) set
preferences only: their policy keys (`dataops.policy`) are left out and listed in
``Config.ignored``. Each capability turns its section into its own typed model
(``dataops.sdmx.config``, ``dataops.workflows.config``, ...); `dataops.settings` applies the
server's overrides on top.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from dataops.errors import ConfigError
from dataops.policy import split_policy

SYSTEM_CONFIG = Path("/etc/dataops/config.toml")


@dataclass(frozen=True)
class ConfigFile:
    """One place the configuration is read from; ``admin``: its policy keys apply."""

    path: Path
    admin: bool


@dataclass(frozen=True)
class Ignored:
    """A policy key a user's file set, left out."""

    file: Path
    key: str

    @property
    def sentence(self) -> str:
        """What the status line and the server log say about it."""
        return f"{self.key} in {self.file} is ignored: only the administrator's configuration sets it"


def config_files() -> list[ConfigFile]:
    """The configuration files that apply here, in the order they are merged."""
    system = Path(os.environ.get("DATAOPS_SYSTEM_CONFIG", SYSTEM_CONFIG))
    xdg = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    files = [ConfigFile(system, admin=True), ConfigFile(xdg / "dataops" / "config.toml", admin=False)]
    explicit = os.environ.get("DATAOPS_CONFIG")
    if explicit:
        files.append(ConfigFile(Path(explicit), admin=False))
    return files


def config_paths() -> list[Path]:
    """The paths of `config_files`, in the order they are merged."""
    return [f.path for f in config_files()]


@dataclass(frozen=True)
class Config:
    """Merged configuration: raw sections, the files they came from, the user keys left out."""

    data: dict[str, Any] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    ignored: tuple[Ignored, ...] = ()

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

    ``paths`` replaces the standard places with files all taken as the administrator's. The user's
    files never change a policy key: the administrator's files are merged first, then each user
    file without its policy keys (named in ``Config.ignored``). An explicit ``DATAOPS_CONFIG``
    that does not exist is an error, not a silent default.
    """
    explicit = os.environ.get("DATAOPS_CONFIG")
    if explicit and paths is None and not Path(explicit).is_file():
        raise ConfigError(f"DATAOPS_CONFIG names {explicit}, which does not exist.")
    files = config_files() if paths is None else [ConfigFile(p, admin=True) for p in paths]
    present = [f for f in files if f.path.is_file()]
    merged: dict[str, Any] = {}
    for f in present:
        if f.admin:
            merged = merge_tables(merged, read_toml(f.path))
    admin = merged
    ignored: list[Ignored] = []
    for f in present:
        if not f.admin:
            kept, dropped = split_policy(read_toml(f.path), admin)
            merged = merge_tables(merged, kept)
            ignored += [Ignored(f.path, key) for key in dropped]
    return Config(merged, tuple(f.path for f in present), tuple(ignored))


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


def _is_id_array(value: Any) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(value, list) and all(isinstance(v, dict) and "id" in v for v in value)
