"""A Shiny Server configuration serving one environment's site folder (tests, demo, a small host).

Shiny Server starts R processes as the ``run_as`` user and refuses to run apps as root, so when the
server itself runs as root the apps run as ``nobody``: the site folder must then be readable by all.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path


def app_user() -> str:
    """Who the apps run as: the current user, or ``nobody`` for root (Shiny Server's own rule)."""
    return "nobody" if os.geteuid() == 0 else getpass.getuser()


def server_config(site_dir: Path, *, port: int, state_dir: Path, host: str = "127.0.0.1") -> str:
    """Shiny Server's configuration serving ``site_dir`` at ``http://host:port/``, with its logs, sockets
    and bookmarks under ``state_dir`` (rather than the packaged /var paths)."""
    return f"""run_as {app_user()};
socket_dir {state_dir / "sockets"};
bookmark_state_dir {state_dir / "bookmarks"};
server {{
  listen {port} {host};
  location / {{
    site_dir {site_dir};
    log_dir {state_dir / "logs"};
    directory_index off;
  }}
}}
"""
