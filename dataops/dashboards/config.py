"""``[[dashboards.environments]]``: where each environment's dashboards are published (policy).

```toml
[[dashboards.environments]]
id = "dev"
shiny = { target = "shiny-server", site_dir = "/srv/shiny-server/dev", url = "http://dash:3838/dev/" }
voila = { target = "voila", site_dir = "/srv/voila/dev", url = "http://dash:8866/" }

[[dashboards.environments]]
id = "prod"
shiny = { target = "posit-connect", server = "https://connect.bank.example", name_prefix = "prod-" }
```

A ``posit-connect`` target's API key comes from ``api_key_env`` (default ``DATAOPS_CONNECT_API_KEY``)
in the environment of the process that publishes, else the 0600 file ``api_key_file`` (default
``~/.config/dataops/connect-api-key``): never from the configuration itself.

``shiny`` publishes the Shiny apps, ``voila`` the notebooks; an environment without one of them has
no target for that kind of app. A target is built by its factory in `TARGETS` (a deployment adds its
own there).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataops.config import Config
from dataops.dashboards.connect import PositConnectTarget
from dataops.dashboards.models import AppKind, DashboardTarget
from dataops.dashboards.targets import ShinyServerTarget, VoilaTarget
from dataops.errors import ConfigError, NotConfigured


def _site_target(
    cls: type[ShinyServerTarget] | type[VoilaTarget],
) -> Callable[[Mapping[str, Any]], DashboardTarget]:
    def build(entry: Mapping[str, Any]) -> DashboardTarget:
        missing = [k for k in ("site_dir", "url") if not entry.get(k)]
        if missing:
            raise ConfigError(f"A {cls.kind} dashboard target needs {' and '.join(missing)}.")
        return cls(site_dir=Path(entry["site_dir"]).expanduser(), url=str(entry["url"]))

    return build


def _connect_target(entry: Mapping[str, Any]) -> DashboardTarget:
    if not entry.get("server"):
        raise ConfigError("A posit-connect dashboard target needs server (the Connect server's URL).")
    key_file = entry.get("api_key_file", "~/.config/dataops/connect-api-key")
    return PositConnectTarget.from_secret(
        str(entry["server"]),
        env_var=str(entry.get("api_key_env", "DATAOPS_CONNECT_API_KEY")),
        key_file=Path(str(key_file)).expanduser(),
        name_prefix=str(entry.get("name_prefix", "")),
    )


TARGETS: dict[str, Callable[[Mapping[str, Any]], DashboardTarget]] = {
    "shiny-server": _site_target(ShinyServerTarget),
    "voila": _site_target(VoilaTarget),
    "posit-connect": _connect_target,
}
"""Target name → factory from the TOML table (``target`` names it)."""


@dataclass(frozen=True)
class DashboardEnvironment:
    """One environment's dashboard targets by app kind."""

    id: str
    targets: Mapping[AppKind, DashboardTarget]

    def target(self, kind: AppKind) -> DashboardTarget:
        """The target publishing ``kind`` apps; `NotConfigured` when the environment has none."""
        if kind not in self.targets:
            raise NotConfigured(
                f"Environment {self.id!r} publishes no {kind} dashboards: add a {kind} target to its "
                "[[dashboards.environments]] entry."
            )
        return self.targets[kind]


def dashboard_environments(config: Config) -> dict[str, DashboardEnvironment]:
    """The configured environments by id; a wrong entry is a `ConfigError` naming it."""
    out: dict[str, DashboardEnvironment] = {}
    for entry in _entries(config):
        env_id = str(entry.get("id", ""))
        if not env_id:
            raise ConfigError("Each [[dashboards.environments]] entry needs an id.")
        targets: dict[AppKind, DashboardTarget] = {}
        for kind, default in (("shiny", "shiny-server"), ("voila", "voila")):
            table = entry.get(kind)
            if table is None:
                continue
            if not isinstance(table, dict):
                raise ConfigError(f"dashboards environment {env_id!r}: {kind} must be a table.")
            name = str(table.get("target", default))
            if name not in TARGETS:
                raise ConfigError(
                    f"dashboards environment {env_id!r}: unknown {kind} target {name!r} "
                    f"(known: {', '.join(sorted(TARGETS))})."
                )
            try:
                targets[kind] = TARGETS[name](table)  # type: ignore[index]
            except ConfigError as exc:
                raise ConfigError(f"dashboards environment {env_id!r}: {exc}") from exc
        out[env_id] = DashboardEnvironment(env_id, targets)
    return out


def _entries(config: Config) -> list[dict[str, Any]]:
    raw = config.section("dashboards").get("environments", [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise ConfigError("[[dashboards.environments]] must be an array of tables.")
    return raw
