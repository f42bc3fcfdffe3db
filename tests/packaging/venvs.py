"""A fresh virtual environment for the packaging tests, isolated from this checkout and its config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

# Run inside the venv: which of the Jupyter servers are installed, and which distribution asked for each.
WHO_PULLED_IN = """
import importlib.metadata as md, importlib.util, json, re
servers = {"jupyterlab": "jupyterlab", "jupyter-server": "jupyter_server", "notebook": "notebook"}
def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()
found = {}
for dist in md.distributions():
    for req in dist.requires or []:
        name = norm(re.match(r"[A-Za-z0-9._-]+", req).group(0))
        if name in servers and "extra ==" not in req:
            found.setdefault(name, []).append(dist.metadata["Name"])
installed = {norm(d.metadata["Name"]) for d in md.distributions()}
importable = [m for m in servers.values() if importlib.util.find_spec(m) is not None]
print(json.dumps({"installed": sorted(installed & set(servers)), "importable": importable, "by": found}))
"""


@dataclass
class Venv:
    """A fresh virtual environment and the way to run its commands isolated from this repository."""

    root: Path
    work: Path
    env: dict[str, str]

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def run(self, *args: str | Path, check: bool = True) -> subprocess.CompletedProcess:
        """Run a command of the venv in the scratch folder (so the checkout is not on sys.path)."""
        cmd = [str(a) for a in args]
        if not Path(cmd[0]).is_absolute():
            cmd[0] = str(self.root / "bin" / cmd[0])
        out = subprocess.run(cmd, cwd=self.work, env=self.env, capture_output=True, text=True, timeout=540)
        if check and out.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} exited {out.returncode}:\n{out.stdout}\n{out.stderr}")
        return out

    def script(self, source: str) -> dict:
        """Run ``source`` with the venv's Python; it prints one JSON document, returned here."""
        path = self.work / "script.py"
        path.write_text(textwrap.dedent(source))
        return json.loads(self.run(self.python, path).stdout.strip().splitlines()[-1])

    def pip(self, *args: str | Path) -> None:
        self.run(self.python, "-m", "pip", "install", "--disable-pip-version-check", "-q", *args)

    def assert_no_jupyter_server(self, after: str) -> None:
        """Fail naming the distribution that pulled a Jupyter server into the environment."""
        state = self.script(WHO_PULLED_IN)
        assert not state["installed"] and not state["importable"], (
            f"{after} installed a Jupyter server, which the dataops distribution must not bring: "
            f"installed {state['installed']}, importable {state['importable']}, "
            f"required by {state['by']}"
        )


def create_venv(tmp: Path, *, path_tail: str | None = None) -> Venv:
    """A new venv in ``tmp/venv`` whose commands run in ``tmp/work`` with an empty dataops configuration.

    ``path_tail`` replaces the machine's PATH after the venv's ``bin`` (to leave a toolchain out).
    """
    work = tmp / "work"
    work.mkdir(parents=True)
    (tmp / "dataops.toml").write_text("")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(
        PATH=f"{tmp / 'venv' / 'bin'}{os.pathsep}{env.get('PATH', '') if path_tail is None else path_tail}",
        DATAOPS_CONFIG=str(tmp / "dataops.toml"),
        DATAOPS_SYSTEM_CONFIG=str(tmp / "no-system.toml"),
        XDG_CONFIG_HOME=str(tmp / "xdg"),
        JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),  # no kernel of this machine's user is found
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
        IPYTHONDIR=str(tmp / "ipython"),
    )
    subprocess.run([sys.executable, "-m", "venv", str(tmp / "venv")], check=True, timeout=120)
    return Venv(tmp / "venv", work, env)
