"""Server configuration for the Galata UI tests (token-less, root allowed, isolated dataops config)."""

import os
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
c.ServerApp.port = int(os.environ.get("UI_TESTS_PORT", "8888"))  # noqa: F821

here = Path(__file__).parent
# The test configuration is the administrator's (environments, engine URL): the UI tests play the administrator.
os.environ.setdefault("DATAOPS_SYSTEM_CONFIG", str(here / "dataops-test-config.toml"))
os.environ.setdefault("XDG_CONFIG_HOME", str(here / ".xdg"))
