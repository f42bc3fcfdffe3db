"""Shared fixtures: the Jupyter server with dataops loaded, the shared test data folder, the workflow engine.

The engine fixtures (`engine_server`, `engine_url`, `engine`) live in `tests/engine.py`: one engine
process for the whole session, started by the first test that asks for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server", "tests.engine", "tests.postgres", "tests.tools")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repository; tests that need it say why they did not run without it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the shared test data sits beside the repository in CI and dev")
    return SHARED


@pytest.fixture
def dataops_config(tmp_path, monkeypatch) -> Path:
    """An empty dataops configuration file isolated from the machine's own (write TOML into it).

    It is the administrator's file (``DATAOPS_SYSTEM_CONFIG``): the test plays the administrator,
    so environments, engine and GitLab URLs written into it apply. No user file unless a test
    writes one (``$XDG_CONFIG_HOME/dataops/config.toml`` or ``DATAOPS_CONFIG``).
    """
    cfg = tmp_path / "dataops.toml"
    cfg.write_text("")
    monkeypatch.setenv("DATAOPS_SYSTEM_CONFIG", str(cfg))
    monkeypatch.delenv("DATAOPS_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return cfg


@pytest.fixture
def jp_server_config(dataops_config):
    """Load the dataops server extension into pytest-jupyter's server."""
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_dataops": True}}}
