"""The gitlab-ci-local executable for the tests that run a generated pipeline (a pytest plugin)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tests" / "pipelines" / ".tools"
GITLAB_CI_LOCAL_VERSION = "4.72.0"  # the newest release that runs on Node 20; the Makefile pins it too


@pytest.fixture(scope="session")
def gitlab_ci_local() -> Path:
    """The gitlab-ci-local executable: $GITLAB_CI_LOCAL, the one `make install` put into the venv, or
    installed with npm into tests/pipelines/.tools."""
    assert shutil.which("rsync"), "gitlab-ci-local copies the checkout with rsync: apt-get install rsync"
    if os.environ.get("GITLAB_CI_LOCAL"):
        return Path(os.environ["GITLAB_CI_LOCAL"])
    installed = REPO / ".venv" / "tools" / "node_modules" / ".bin" / "gitlab-ci-local"
    if installed.exists():
        return installed
    exe = TOOLS / "node_modules" / ".bin" / "gitlab-ci-local"
    if not exe.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(TOOLS),
                "--no-save",
                "--no-audit",
                "--no-fund",
                f"gitlab-ci-local@{GITLAB_CI_LOCAL_VERSION}",
            ],
            check=True,
            timeout=600,
        )
    return exe
