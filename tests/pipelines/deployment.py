"""A plain git deployment remote whose deploy/dev holds the generated pipeline, and the
administrator's configuration of dev with local pipelines (shared by the local-pipeline and the
example tests)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from dataops.pipelines.ci import init_ci


def git(*args: str, cwd: Path | None = None) -> str:
    """Run git; its output."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def seeded_remote(root: Path, files: dict[str, str] | None = None) -> Path:
    """``root/deployment.git`` with deploy/dev holding the `dataops init-ci` pipeline and ``files``."""
    remote, seed = root / "deployment.git", root / "seed"
    git("init", "-q", "--bare", str(remote))
    git("init", "-q", "-b", "deploy/dev", str(seed))
    init_ci(seed, {"dev": "deploy/dev"})
    for name, text in (files or {}).items():
        (seed / name).parent.mkdir(parents=True, exist_ok=True)
        (seed / name).write_text(text)
    git("add", "-A", cwd=seed)
    git("-c", "user.name=Admin", "-c", "user.email=admin@example.org", "commit", "-qm", "CI", cwd=seed)
    git("push", "-q", str(remote), "deploy/dev", cwd=seed)
    return remote


def local_pipelines_config(root: Path, remote: Path, gitlab_ci_local: Path, variables: str = "") -> str:
    """TOML for ``[promotion]`` and a dev environment on ``remote`` with local pipelines."""
    return f"""
[promotion]
audit_log = "{root / "audit.jsonl"}"
local_pipelines_dir = "{root / "pipelines"}"
gitlab_ci_local = "{gitlab_ci_local}"

[[promotion.environments]]
id = "dev"
branch = "deploy/dev"
remote = "{remote}"
local_pipelines = true
{variables}
"""
