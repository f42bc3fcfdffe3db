"""The ``[workflows]`` section of the dataops configuration.

```toml
[workflows]
engine_url = "http://localhost:8080/engine-rest"
username = "demo"
password = "demo"
log_dir = "~/.local/share/dataops/workflow-logs"   # durable run logs (shared by workers and server)
# log_store = "postgresql://worker@db.example/dataops?passfile=/etc/dataops/pgpass"
#                                                  # shared run logs on PostgreSQL instead (no password here)
steps_dir = "/srv/deploy/prod/steps"               # folder of step modules, reloaded between tasks
log_retention_days = 90                            # logs of runs ended longer ago are pruned (0: keep all)

[workflows.topics]                                 # extra steps given as module:function
report = "mypackage.steps:report"

[workflows.worker]
lock_duration_s = 30      # lock per task; extended while the step runs
long_poll_s = 10          # how long fetchAndLock waits for work
retries = 3               # attempts after the first failure before an incident
retry_timeout_s = 10      # pause between attempts
shutdown_grace_s = 60     # on stop, a running step may finish within this, else its task is released
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataops.config import Config
from dataops.errors import ConfigError
from dataops.pg import is_dsn
from dataops.workflows.follow import FollowConfig


def default_log_dir() -> Path:
    """``$XDG_DATA_HOME/dataops/workflow-logs`` (``~/.local/share/...`` by default)."""
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "dataops" / "workflow-logs"


@dataclass(frozen=True)
class WorkerConfig:
    """How a step worker talks to the engine."""

    lock_duration_s: float = 30.0
    long_poll_s: float = 10.0
    retries: int = 3
    retry_timeout_s: float = 10.0
    shutdown_grace_s: float = 60.0
    max_backoff_s: float = 30.0

    @classmethod
    def from_section(cls, section: dict[str, Any]) -> WorkerConfig:
        """Build from ``[workflows.worker]``, naming the key that is wrong."""
        kwargs: dict[str, Any] = {}
        for name, default in cls().__dict__.items():
            if name not in section:
                continue
            value = section[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(f"[workflows.worker] {name} must be a non-negative number, not {value!r}.")
            kwargs[name] = type(default)(value)
        unknown = set(section) - set(cls().__dict__)
        if unknown:
            raise ConfigError(f"[workflows.worker] has unknown settings: {', '.join(sorted(unknown))}.")
        return cls(**kwargs)


@dataclass(frozen=True)
class WorkflowsConfig:
    """Where the engine is, how to reach it, where logs and steps live."""

    engine_url: str = ""
    engine_start: str = ""  # the command that starts this engine, named when it does not answer
    username: str = ""
    password: str = ""
    log_dir: str = ""
    log_store: str = ""  # a PostgreSQL connection string; empty: SQLite in log_dir
    steps_dir: str = ""
    topics: dict[str, str] = field(default_factory=dict)
    worker: WorkerConfig = field(default_factory=WorkerConfig)
    follow: FollowConfig = field(default_factory=FollowConfig)
    log_retention_days: float = 90.0

    @property
    def configured(self) -> bool:
        """True when an engine URL is set."""
        return bool(self.engine_url)

    @property
    def log_path(self) -> Path:
        """The folder of the run log store."""
        return Path(self.log_dir).expanduser() if self.log_dir else default_log_dir()

    @property
    def log_location(self) -> str | Path:
        """Where the run log store is: the PostgreSQL connection string, else the SQLite folder."""
        return self.log_store or self.log_path

    @classmethod
    def from_config(cls, config: Config) -> WorkflowsConfig:
        """Build from the merged configuration."""
        section = config.section("workflows")
        topics = section.get("topics", {})
        if not isinstance(topics, dict) or not all(isinstance(v, str) for v in topics.values()):
            raise ConfigError('[workflows.topics] must map topic names to "module:function" strings.')
        worker = section.get("worker", {})
        if not isinstance(worker, dict):
            raise ConfigError("[workflows.worker] must be a table.")
        follow = section.get("follow", {})
        if not isinstance(follow, dict):
            raise ConfigError("[workflows.follow] must be a table (remote, branch, path, interval_s).")
        retention = section.get("log_retention_days", 90)
        if isinstance(retention, bool) or not isinstance(retention, int | float) or retention < 0:
            raise ConfigError(
                f"[workflows] log_retention_days must be a number of days (0 keeps every log), not {retention!r}."
            )
        log_store = str(section.get("log_store", "")).strip()
        if log_store and not is_dsn(log_store):
            raise ConfigError(
                "[workflows] log_store must be a PostgreSQL connection string (postgresql://... or "
                "service=...); for SQLite, set log_dir instead."
            )
        return cls(
            log_store=log_store,
            log_retention_days=float(retention),
            engine_url=str(section.get("engine_url", "")),
            engine_start=str(section.get("engine_start", "")),
            username=str(section.get("username", "")),
            password=str(section.get("password", "")),
            log_dir=str(section.get("log_dir", "")),
            steps_dir=str(section.get("steps_dir", "")),
            topics=dict(topics),
            worker=WorkerConfig.from_section(worker),
            follow=FollowConfig.from_section(follow),
        )
