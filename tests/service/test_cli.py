"""``dataops service`` refuses to start where it could not be the trust boundary, and says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HUB_ENV = {
    "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:1",
    "JUPYTERHUB_SERVICE_PREFIX": "/services/dataops/",
    "JUPYTERHUB_API_URL": "http://127.0.0.1:2/hub/api",
    "JUPYTERHUB_API_TOKEN": "service-token",
}


def _service(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "dataops.cli", "service", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_started_outside_jupyterhub_it_names_the_missing_variables():
    proc = _service({})
    assert proc.returncode == 1
    assert "must be started by JupyterHub as a managed service" in proc.stderr
    assert "JUPYTERHUB_SERVICE_URL, JUPYTERHUB_API_TOKEN, JUPYTERHUB_API_URL is not set" in proc.stderr


def test_a_credentials_file_other_accounts_can_read_is_refused(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[gitlab]\ntoken = "x"\n')
    secrets.chmod(0o644)
    proc = _service(HUB_ENV, "--secrets", str(secrets))
    assert proc.returncode == 1
    assert f"the service's credentials file {secrets} is open to other accounts (mode 644)" in proc.stderr
    assert f"chmod 600 {secrets}" in proc.stderr


def test_the_credentials_file_is_also_found_through_the_environment(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("")
    secrets.chmod(0o640)
    proc = _service({**HUB_ENV, "DATAOPS_SERVICE_SECRETS": str(secrets)})
    assert proc.returncode == 1
    assert "(mode 640)" in proc.stderr
