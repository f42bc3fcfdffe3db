"""The ``[promotion]`` section: target environments, where files go, and who may promote there.

```toml
[promotion]
gitlab_url = "https://gitlab.example.org"        # for environments with a gitlab_project
token_env = "DATAOPS_GITLAB_TOKEN"               # server environment variable holding the token
token_file = "~/.config/dataops/gitlab-token"    # or a per-user file with 0600 permissions
audit_log = "~/.local/share/dataops/promotion-audit.jsonl"
gitlab_identity = "service"                      # hub service only: "user" commits with the user's own
                                                 # GitLab token from the hub's auth_state
# audit_store = "postgresql://dataops@db.example/dataops?passfile=/etc/dataops/pgpass"  # shared, instead

[promotion.folders]                              # destination folders in the deployment repository
notebooks = "notebooks"
steps = "steps"
processes = "processes"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
gitlab_project = "stats/deployment"              # or: remote = "https://git.example.org/deploy.git"
protected = true                                 # promote through a merge request
allowed_users = ["alice"]
allowed_groups = ["release-managers"]
# gitlab_identity = "user"                       # this environment only (default: [promotion]'s)
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from dataops.config import Config
from dataops.errors import ConfigError, NotFound
from dataops.pg import is_dsn
from dataops.promotion.audit import AuditTrail, open_audit_trail

# Whose GitLab account the hub service commits with: its own, or the calling user's (from the hub).
GITLAB_IDENTITIES = ("service", "user")
DEFAULT_FOLDERS = {"notebooks": "notebooks", "steps": "steps", "processes": "processes"}
# Paths a promotion may not write unless an environment's protected_paths says otherwise: CI
# configuration and repository settings decide what runs with the deployment's credentials.
DEFAULT_PROTECTED_PATHS = (
    ".gitlab-ci.yml",
    ".gitlab/",
    ".github/",
    ".gitattributes",
    ".gitmodules",
    "CODEOWNERS",
)


@dataclass(frozen=True)
class Environment:
    """One deployment environment (dev, test, prod): its branch, its repository, who may promote."""

    id: str
    branch: str
    remote: str = ""
    gitlab_project: str = ""
    protected: bool = False
    allowed_users: tuple[str, ...] = ()
    allowed_groups: tuple[str, ...] = ()
    label: str = ""
    folders: dict[str, str] = field(default_factory=dict)
    protected_paths: tuple[str, ...] = DEFAULT_PROTECTED_PATHS
    gitlab_identity: str = ""  # empty: [promotion] gitlab_identity
    local_pipelines: bool = False  # plain git remote: run its .gitlab-ci.yml here after each promotion
    variables: dict[str, str] = field(default_factory=dict)  # CI/CD variables of its local pipelines

    @property
    def target_kind(self) -> str:
        """``gitlab``, ``git``, or ``""`` when the environment names no repository yet."""
        return "gitlab" if self.gitlab_project else ("git" if self.remote else "")

    def protects(self, destination: str) -> bool:
        """Is ``destination`` (a path in the repository) one a promotion may not write here?

        An entry ending in ``/`` protects a folder, any other entry one file (at any depth for a
        bare name such as ``CODEOWNERS``).
        """
        for entry in self.protected_paths:
            if entry.endswith("/"):
                if destination.startswith(entry):
                    return True
            elif destination == entry or ("/" not in entry and destination.endswith("/" + entry)):
                return True
        return False

    def folder(self, kind: str) -> str:
        """Destination folder for ``notebooks``, ``steps`` or ``processes``."""
        return self.folders.get(kind, DEFAULT_FOLDERS[kind])


def default_audit_log() -> Path:
    """``$XDG_DATA_HOME/dataops/promotion-audit.jsonl``."""
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "dataops" / "promotion-audit.jsonl"


def default_local_pipelines_dir() -> Path:
    """``$XDG_DATA_HOME/dataops/local-pipelines``."""
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "dataops" / "local-pipelines"


def default_token_file() -> Path:
    """``$XDG_CONFIG_HOME/dataops/gitlab-token``."""
    base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "dataops" / "gitlab-token"


@dataclass(frozen=True)
class PromotionConfig:
    """All configured environments plus GitLab access and the audit trail's location."""

    environments: list[Environment] = field(default_factory=list)
    gitlab_url: str = ""
    token_env: str = "DATAOPS_GITLAB_TOKEN"  # noqa: S105 (a variable name, not a token)
    token_file: Path = field(default_factory=default_token_file)
    audit_log: Path = field(default_factory=default_audit_log)
    audit_store: str = ""  # a PostgreSQL connection string; empty: the audit_log file
    folders: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FOLDERS))
    gitlab_identity: str = "service"
    local_pipelines_dir: Path = field(default_factory=default_local_pipelines_dir)
    gitlab_ci_local: str = "gitlab-ci-local"  # the runner of local pipelines (a command or a path)

    @classmethod
    def from_config(cls, config: Config) -> PromotionConfig:
        """Build from the merged configuration; a wrong entry names the environment and the field."""
        section = config.section("promotion")
        folders = {**DEFAULT_FOLDERS, **_table(section.get("folders", {}), "[promotion.folders]")}
        known = {f.name for f in fields(Environment)}
        envs = []
        for entry in section.get("environments", []):
            env_id = entry.get("id", "?")
            unknown = sorted(set(entry) - known)
            if unknown:
                raise ConfigError(f"Environment {env_id!r} has unknown setting(s): {', '.join(unknown)}.")
            if not entry.get("id") or not entry.get("branch"):
                raise ConfigError(f"Environment {env_id!r} needs both 'id' and 'branch'.")
            for name in ("remote", "branch"):
                if str(entry.get(name, "")).startswith("-"):
                    raise ConfigError(
                        f"The {name} of environment {env_id!r} starts with '-', which git would take for "
                        f"an option: {entry[name]!r}."
                    )
            if entry.get("remote") and entry.get("gitlab_project"):
                raise ConfigError(
                    f"Environment {env_id!r} names both a remote and a gitlab_project; keep one."
                )
            if entry.get("gitlab_identity") and not entry.get("gitlab_project"):
                raise ConfigError(
                    f"Environment {env_id!r} sets gitlab_identity but names no gitlab_project; "
                    "only GitLab environments commit with a GitLab account."
                )
            _identity(entry.get("gitlab_identity", "service"), f"gitlab_identity of environment {env_id!r}")
            if entry.get("local_pipelines") and not entry.get("remote"):
                raise ConfigError(
                    f"Environment {env_id!r} sets local_pipelines but names no remote; local pipelines "
                    "run the .gitlab-ci.yml of a plain git remote (GitLab runs its own)."
                )
            variables = entry.get("variables", {})
            if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
                raise ConfigError(f"The variables of environment {env_id!r} must be a table of text values.")
            env_folders = {
                **folders,
                **_table(entry.get("folders", {}), f"folders of environment {env_id!r}"),
            }
            envs.append(
                Environment(
                    **{
                        **entry,
                        "allowed_users": tuple(entry.get("allowed_users", ())),
                        "allowed_groups": tuple(entry.get("allowed_groups", ())),
                        "folders": env_folders,
                        "variables": dict(variables),
                        "protected_paths": tuple(entry.get("protected_paths", DEFAULT_PROTECTED_PATHS)),
                    }
                )
            )
        return cls(
            environments=envs,
            gitlab_url=str(section.get("gitlab_url", "")).rstrip("/"),
            token_env=str(section.get("token_env", "DATAOPS_GITLAB_TOKEN")),
            token_file=_path(section.get("token_file"), default_token_file()),
            audit_log=_path(section.get("audit_log"), default_audit_log()),
            audit_store=_audit_store(section.get("audit_store", "")),
            folders=folders,
            gitlab_identity=_identity(
                section.get("gitlab_identity", "service"), "[promotion] gitlab_identity"
            ),
            local_pipelines_dir=_path(section.get("local_pipelines_dir"), default_local_pipelines_dir()),
            gitlab_ci_local=str(section.get("gitlab_ci_local") or "gitlab-ci-local"),
        )

    def identity_of(self, env: Environment) -> str:
        """``user`` when ``env``'s commits are made with the calling user's own GitLab token, else
        ``service`` (plain git remotes are always reached with the service's credentials)."""
        if not env.gitlab_project:
            return "service"
        return env.gitlab_identity or self.gitlab_identity

    def audit_trail(self) -> AuditTrail:
        """The audit trail: PostgreSQL when ``audit_store`` is set, else the ``audit_log`` file."""
        return open_audit_trail(self.audit_store or self.audit_log)

    def environment(self, env_id: str) -> Environment:
        """The environment called ``env_id``, or `NotFound` listing the configured ones."""
        for env in self.environments:
            if env.id == env_id:
                return env
        names = ", ".join(e.id for e in self.environments) or "none"
        raise NotFound(f"There is no deployment environment called {env_id!r} (configured: {names}).")


def _table(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{where} must be a table of folder names.")
    unknown = sorted(set(value) - set(DEFAULT_FOLDERS))
    if unknown:
        raise ConfigError(f"{where} knows only notebooks, steps and processes, not {', '.join(unknown)}.")
    return value


def _path(value: Any, default: Path) -> Path:
    return Path(value).expanduser() if value else default


def _identity(value: object, where: str) -> str:
    if value not in GITLAB_IDENTITIES:
        raise ConfigError(f'{where} must be "service" or "user", not {value!r}.')
    return str(value)


def _audit_store(value: object) -> str:
    text = str(value or "").strip()
    if text and not is_dsn(text):
        raise ConfigError(
            "[promotion] audit_store must be a PostgreSQL connection string (postgresql://... or "
            "service=...); for a file, set audit_log instead."
        )
    return text
