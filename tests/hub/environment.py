"""What a real JupyterHub needs on this machine, made once and reused: Unix accounts, a world-readable
virtual environment with this repository installed, configurable-http-proxy, the service's secrets.

Everything lives under ``ROOT`` (``$DATAOPS_HUB_TEST_ROOT``, default /opt/dataops-hub-test), which
every account can traverse: the default ``python3`` here lives under /root (mode 700), so the hub's
users could not execute it, and the worktree need not be readable by them at run time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pwd
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOT = Path(os.environ.get("DATAOPS_HUB_TEST_ROOT", "/opt/dataops-hub-test"))
VENV = ROOT / "venv"
SOURCE_COPY = ROOT / "src"
CHP_PREFIX = ROOT / "chp"
CHP = CHP_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
SECRETS = ROOT / "service" / "secrets.toml"
SYSTEM_PYTHON = "/usr/bin/python3"

JUPYTERHUB = "jupyterhub>=6.1,<7"
CHP_PACKAGE = "configurable-http-proxy@5.3.0"
# --no-build-isolation: the wheel is built with these instead of a fresh download per install.
BUILD_REQUIREMENTS = ["hatchling>=1.5", "hatch-nodejs-version>=0.3.2", "hatch-jupyter-builder>=0.5"]
# What `pip install <copy>` needs from the repository (the labextension is prebuilt, not rebuilt).
SOURCE_PATHS = [
    "pyproject.toml",
    "package.json",
    "README.md",
    "LICENSE",
    "install.json",
    "dataops",
    "python",
    "jupyterlab_dataops",
    "jupyter-config",
]
# The core distribution (dataops-core) is installed first: the extension requires it at its version.
CORE_COPY = "python/dataops"
LABEXTENSION_MARK = REPO / "jupyterlab_dataops" / "labextension" / "static" / "style.js"

USERS = ("analyst", "releaser")
SERVICE_ACCOUNT = "dataops-svc"
SERVICE_HOME = Path("/var/lib/dataops-svc")


@contextmanager
def machine_lock() -> Iterator[None]:
    """Serialise preparation between test sessions running at once (two worktrees, two CI jobs)."""
    ROOT.mkdir(parents=True, exist_ok=True)
    ROOT.chmod(0o755)
    with open(ROOT / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess:
    """Run a preparation command; its output goes into the error when it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def ensure_unix_accounts() -> None:
    """The two hub users (login accounts with a home) and the service's system account."""
    for name in USERS:
        if not _account_exists(name):
            run(["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name])
    if not _account_exists(SERVICE_ACCOUNT):
        run(
            [
                "useradd",
                "--system",
                "--create-home",
                "--home-dir",
                str(SERVICE_HOME),
                "--shell",
                "/usr/sbin/nologin",
                "--user-group",
                SERVICE_ACCOUNT,
            ]
        )


def _account_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def ensure_service_secrets() -> Path:
    """A credentials file only the service account can read (mode 600 in a mode 700 folder it owns)."""
    account = pwd.getpwnam(SERVICE_ACCOUNT)
    folder = SECRETS.parent
    folder.mkdir(parents=True, exist_ok=True)
    if not SECRETS.exists():
        SECRETS.write_text(
            '# written by tests/hub: a stand-in for the service\'s credentials\n[gitlab]\ntoken = "hub-test-service-token"\n'
        )
    for path, mode in ((folder, 0o700), (SECRETS, 0o600)):
        os.chown(path, account.pw_uid, account.pw_gid)
        path.chmod(mode)
    return SECRETS


def ensure_proxy() -> Path:
    """configurable-http-proxy from npm, installed into a world-readable prefix when missing."""
    if not CHP.exists():
        run(["npm", "install", "--prefix", str(CHP_PREFIX), "--no-audit", "--no-fund", CHP_PACKAGE])
        run(["chmod", "-R", "a+rX", str(CHP_PREFIX)])
    return CHP


def ensure_venv() -> Path:
    """The hub's virtual environment with jupyterhub, jupyterlab and this repository (not editable).

    Dependencies are reinstalled when pyproject.toml or the pins above change; the project alone is
    reinstalled when its source changes. Returns the venv's ``bin`` folder.
    """
    if not LABEXTENSION_MARK.exists():
        raise RuntimeError(
            f"{LABEXTENSION_MARK} is missing: build the labextension first (`npm run build:prod`, "
            "which `make install` runs)"
        )
    bin_dir = VENV / "bin"
    python = str(bin_dir / "python")
    if not (bin_dir / "python").exists():
        run([SYSTEM_PYTHON, "-m", "venv", str(VENV)])
        run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], env=_pip_env())
    # This file is part of the key: a change in how the environment is installed rebuilds it.
    deps_key = _digest(
        [REPO / "pyproject.toml", REPO / CORE_COPY / "pyproject.toml", Path(__file__)],
        extra=" ".join([JUPYTERHUB, *BUILD_REQUIREMENTS]),
    )
    source_key = _digest([REPO / p for p in SOURCE_PATHS])
    deps_mark, source_mark = VENV / ".dataops-deps", VENV / ".dataops-source"
    deps_stale = _read(deps_mark) != deps_key
    if deps_stale or _read(source_mark) != source_key:
        _copy_source()
        if deps_stale:
            run([python, "-m", "pip", "install", "-q", JUPYTERHUB, *BUILD_REQUIREMENTS], env=_pip_env())
            install = [python, "-m", "pip", "install", "-q", "--no-build-isolation", str(SOURCE_COPY)]
        else:
            install = [
                python,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-build-isolation",
                "--no-deps",
                "--force-reinstall",
                str(SOURCE_COPY),
            ]
        # An older jupyterlab-dataops listed bin/dataops among its files: upgrading it would delete the
        # command the core has just installed, so it goes first.
        run(
            [python, "-m", "pip", "uninstall", "-q", "-y", "jupyterlab-dataops"],
            env=_pip_env(),
            cwd=str(ROOT),
        )
        core = [*install[:-1], str(SOURCE_COPY / CORE_COPY)]
        run(core, env=_pip_env(), cwd=str(ROOT))
        run(install, env=_pip_env(), cwd=str(ROOT))
        run(["chmod", "-R", "a+rX", str(VENV)])
        deps_mark.write_text(deps_key)
        source_mark.write_text(source_key)
    return bin_dir


def _pip_env() -> dict[str, str]:
    # The system Python's own environment, not the one pytest runs in (its VIRTUAL_ENV, PYTHONPATH).
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def _copy_source() -> None:
    shutil.rmtree(SOURCE_COPY, ignore_errors=True)
    SOURCE_COPY.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for rel in SOURCE_PATHS:
        src = REPO / rel
        if src.is_dir():
            shutil.copytree(src, SOURCE_COPY / rel, ignore=ignore)
        else:
            shutil.copy2(src, SOURCE_COPY / rel)
    # `jupyter labextension develop` leaves an install.json in the built labextension; the wheel adds
    # the repository's own at the same place, and hatchling refuses two files at one path.
    (SOURCE_COPY / "jupyterlab_dataops" / "labextension" / "install.json").unlink(missing_ok=True)
    run(["chmod", "-R", "a+rX", str(SOURCE_COPY)])


def _digest(paths: list[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for f in files:
            if "__pycache__" in f.parts or f.suffix == ".pyc":
                continue
            h.update(str(f.relative_to(REPO)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ""
