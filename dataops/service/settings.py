"""What the service is told by JupyterHub when the hub starts it, checked before it listens."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dataops.errors import ConfigError

DEFAULT_SECRETS = Path("/etc/dataops/service/secrets.toml")
# The administrator's configuration: environments and who may promote there.
DEFAULT_CONFIG = Path("/etc/dataops/config.toml")


@dataclass(frozen=True)
class ServiceSettings:
    """Where the service listens, the URL prefix the hub's proxy routes to it, and its hub API access."""

    name: str
    host: str
    port: int
    prefix: str
    api_url: str
    api_token: str
    secrets_file: Path
    config_file: Path = DEFAULT_CONFIG

    @classmethod
    def from_environment(
        cls,
        env: dict[str, str] | None = None,
        *,
        secrets_file: str | None = None,
        config_file: str | None = None,
    ) -> ServiceSettings:
        """Read the variables JupyterHub sets for a managed service; a missing one is a `ConfigError`."""
        env = dict(os.environ if env is None else env)
        missing = [
            name
            for name in ("JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_API_URL")
            if not env.get(name)
        ]
        if missing:
            raise ConfigError(
                "dataops service must be started by JupyterHub as a managed service "
                f"(c.JupyterHub.services): {', '.join(missing)} is not set"
            )
        url = urlsplit(env["JUPYTERHUB_SERVICE_URL"])
        if url.scheme != "http" or not url.hostname:
            raise ConfigError(
                f"JUPYTERHUB_SERVICE_URL must be an http://host:port URL, not {env['JUPYTERHUB_SERVICE_URL']!r}"
            )
        name = env.get("JUPYTERHUB_SERVICE_NAME") or "dataops"
        prefix = env.get("JUPYTERHUB_SERVICE_PREFIX") or f"/services/{name}/"
        if not prefix.endswith("/"):
            prefix += "/"
        secrets = Path(secrets_file or env.get("DATAOPS_SERVICE_SECRETS") or DEFAULT_SECRETS)
        return cls(
            name=name,
            host=url.hostname,
            port=url.port or 80,
            prefix=prefix,
            api_url=env["JUPYTERHUB_API_URL"].rstrip("/"),
            api_token=env["JUPYTERHUB_API_TOKEN"],
            secrets_file=secrets,
            config_file=Path(config_file or env.get("DATAOPS_SERVICE_CONFIG") or DEFAULT_CONFIG),
        )


def check_secrets_file(path: Path) -> None:
    """Refuse a credentials file that other accounts could read; an absent file is allowed (nothing held yet)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except PermissionError as exc:
        raise ConfigError(
            f"the service's credentials file {path} cannot be read by the service account"
        ) from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"the service's credentials file {path} is open to other accounts "
            f"(mode {stat.S_IMODE(mode):o}); make it readable by the service account only: chmod 600 {path}"
        )
