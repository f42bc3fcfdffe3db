"""A real JupyterHub for the test session: config, start, stop, its REST API, code run as its users.

The hub runs as root (it must, to start each user's server as that Unix user with
LocalProcessSpawner) from the world-readable venv; the DataOps service runs as ``dataops-svc``.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import psutil

from tests.hub import environment as env
from tests.hub import kernel

SERVICE = "dataops"
ADMIN_SERVICE = "hub-tests"
ACCESS_SCOPE = f"access:services!service={SERVICE}"
# Runs as the hub user with the environment a kernel inherits from its server: one HTTP request.
# Found on root's path, not the kernel environment's (which has no sbin).
RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin") or "runuser"
KERNEL_CLIENT = (Path(__file__).parent / "kernel_client.py").read_text()


def free_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports free on 127.0.0.1 right now."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def hub_config(
    state: Path, bin_dir: Path, ports: dict[str, int], admin_token: str, password: str, extra: str = ""
) -> str:
    """The jupyterhub_config.py of the test hub: one shared password for every user (the hub's
    SharedPasswordAuthenticator), LocalProcessSpawner, the DataOps service; ``extra`` is appended."""
    settings = {
        "port": ports["public"],
        "hub_port": ports["hub"],
        "proxy_api": f"http://127.0.0.1:{ports['proxy_api']}",
        "service_url": f"http://127.0.0.1:{ports['service']}",
        "state": str(state),
        "bin": str(bin_dir),
        "chp": str(env.CHP),
        "admin_token": admin_token,
        "password": password,
        "users": list(env.USERS),
        "service_account": env.SERVICE_ACCOUNT,
        "service_home": str(env.SERVICE_HOME),
        "secrets": str(env.SECRETS),
        "access_scope": ACCESS_SCOPE,
    }
    return f"""# Written by tests/hub/hub.py for one test session.
import hashlib
import json
s = json.loads({json.dumps(json.dumps(settings))})
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = s["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = s["hub_port"]
c.JupyterHub.db_url = "sqlite:///" + s["state"] + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = s["state"] + "/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = s["state"] + "/jupyterhub.pid"
c.ConfigurableHTTPProxy.command = [s["chp"]]
c.ConfigurableHTTPProxy.api_url = s["proxy_api"]
c.ConfigurableHTTPProxy.pid_file = s["state"] + "/proxy.pid"
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = s["password"]
c.Authenticator.allowed_users = set(s["users"])
c.JupyterHub.load_groups = {{"release-managers": {{"users": ["releaser"]}}}}
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [s["bin"] + "/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# The server's token (which its kernels inherit) may call the DataOps service, on top of the defaults.
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server", s["access_scope"]]
c.JupyterHub.services = [
    {{"name": "{ADMIN_SERVICE}", "api_token": s["admin_token"]}},
    {{
        "name": "{SERVICE}",
        "url": s["service_url"],
        "command": [s["bin"] + "/dataops", "service"],
        "user": s["service_account"],
        "cwd": s["service_home"],
        "environment": {{"DATAOPS_SERVICE_SECRETS": s["secrets"]}},
        "oauth_no_confirm": True,
    }},
]
c.JupyterHub.load_roles = [
    {{"name": "user", "scopes": ["self", s["access_scope"]]}},
    {{"name": "dataops-service", "scopes": ["read:users:name", "read:users:groups"], "services": ["{SERVICE}"]}},
    {{
        "name": "hub-tests",
        "scopes": ["admin:users", "admin:servers", "admin:server_state", "tokens", "admin:groups"],
        "services": ["{ADMIN_SERVICE}"],
    }},
]
{extra}
"""


class Hub:
    """A running JupyterHub: ``url`` (the proxy's public URL), ``service_url``, admin ``api`` calls,
    ``spawn``, per-user ``token``, and ``run_as`` / ``call_service_as`` to act as a user's kernel."""

    def __init__(self, state: Path, bin_dir: Path, extra_config: str = "") -> None:
        self.state = state
        self.extra_config = extra_config
        self.bin_dir = bin_dir
        self.log_path = state / "jupyterhub.log"
        names = ("public", "hub", "proxy_api", "service")
        self.ports = dict(zip(names, free_ports(len(names)), strict=True))
        self.url = f"http://127.0.0.1:{self.ports['public']}"
        self.service_url = f"{self.url}/services/{SERVICE}/"
        self.admin_token = secrets.token_hex(32)
        self.password = secrets.token_hex(8)
        self.proc: subprocess.Popen | None = None
        self._tokens: dict[str, str] = {}
        self._client = httpx.Client(
            base_url=f"{self.url}/hub/api", timeout=60, headers={"Authorization": f"token {self.admin_token}"}
        )

    def start(self, timeout: float = 120) -> None:
        """Start the hub and wait until it and the DataOps service answer through the proxy."""
        self._stop_left_over()
        config = self.state / "jupyterhub_config.py"
        config.write_text(
            hub_config(
                self.state, self.bin_dir, self.ports, self.admin_token, self.password, self.extra_config
            )
        )
        clean_env = {
            "PATH": f"{self.bin_dir}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": "/root",
        }
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [str(self.bin_dir / "jupyterhub"), "-f", str(config)],
                cwd=self.state,
                env=clean_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._pid_file.write_text(str(self.proc.pid))
        self._wait(f"{self.url}/hub/api/", timeout)
        self._wait(f"{self.service_url}api/health", timeout)

    @property
    def _pid_file(self) -> Path:
        # One per checkout, so a second checkout's tests running at the same time are left alone.
        key = hashlib.sha256(str(env.REPO).encode()).hexdigest()[:12]
        return env.ROOT / f"hub-{key}.pid"

    def _stop_left_over(self) -> None:
        """Stop the hub an interrupted session of this checkout left running (it holds servers of the same users)."""
        self._terminate(self._pid_file, str(self.bin_dir / "jupyterhub"))

    def _wait(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if httpx.get(url, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer within {timeout:.0f} s; see {self.log_path}")

    def stop(self, timeout: float = 60) -> None:
        """Stop the hub; it stops the users' servers, the service and the proxy it started."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._pid_file.unlink(missing_ok=True)
        # A hub that failed to start (its service exited, say) leaves its proxy running.
        self._terminate(self.state / "proxy.pid", str(env.CHP))
        self._client.close()

    @staticmethod
    def _terminate(pid_file: Path, command: str) -> None:
        """Stop the process ``pid_file`` names if it is still ``command`` (a recycled pid is left alone)."""
        try:
            proc = psutil.Process(int(pid_file.read_text()))
            if any(command in part for part in proc.cmdline()):
                proc.terminate()
                proc.wait(30)
        except (FileNotFoundError, ValueError, psutil.Error):
            pass

    def log(self) -> str:
        """The hub's log so far (hub, proxy, service and single-user servers write into it)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def api(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        """A hub REST API call with the tests' admin service token; ``path`` is relative to /hub/api."""
        return self._client.request(method, path, **kwargs)

    def spawn(self, user: str, timeout: float = 150) -> None:
        """Start ``user``'s single-user server and wait until the hub says it is ready."""
        reply = self.api("POST", f"/users/{user}/server")
        if reply.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"spawning {user}: HTTP {reply.status_code} {reply.text}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{user}").json().get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{user}'s server was not ready within {timeout:.0f} s; see {self.log_path}")

    def token(self, user: str) -> str:
        """An API token of ``user``'s own, made through the hub API (same rights as the user)."""
        if user not in self._tokens:
            reply = self.api(
                "POST", f"/users/{user}/tokens", json={"note": "dataops hub tests", "expires_in": 3600}
            )
            reply.raise_for_status()
            self._tokens[user] = reply.json()["token"]
        return self._tokens[user]

    def processes(self) -> list[psutil.Process]:
        """Every process the hub started (proxy, service, single-user servers and their kernels)."""
        return psutil.Process(self.proc.pid).children(recursive=True)

    def server_process(self, user: str) -> psutil.Process:
        """``user``'s single-user server process."""
        for p in self.processes():
            if p.username() == user and any("jupyterhub-singleuser" in part for part in p.cmdline()):
                return p
        raise LookupError(f"no single-user server of {user} is running")

    def service_process(self) -> psutil.Process:
        """The DataOps service process the hub started."""
        command = str(self.bin_dir / "dataops")
        for p in self.processes():
            cmd = p.cmdline()
            if command in cmd and "service" in cmd:
                return p
        raise LookupError("the DataOps service is not running")

    def kernel_env(self, user: str) -> dict[str, str]:
        """The environment ``user``'s server runs with, which its kernels inherit (the server's hub token too)."""
        return dict(self.server_process(user).environ())

    def run_as(
        self, user: str, args: list[str], *, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        """Run ``args`` as the Unix user ``user`` with their kernels' environment (plus ``extra_env``)."""
        environ = {**self.kernel_env(user), **(extra_env or {})}
        return subprocess.run(
            [RUNUSER, "-u", user, "--", *args],
            env=environ,
            cwd=environ.get("HOME", "/"),
            capture_output=True,
            text=True,
            timeout=60,
        )

    def run_in_kernel(self, user: str, code: str) -> str:
        """Run ``code`` in a new kernel of ``user``'s server (started through the hub with the user's
        own token) and return what it printed; an exception in the kernel raises `kernel.KernelError`."""
        return kernel.execute(f"{self.url}/user/{user}/", self.token(user), code)

    def call_service_as(
        self,
        user: str,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: object = None,
        token: str | None = "kernel",
        extra_env: dict[str, str] | None = None,
    ) -> tuple[int, object]:
        """One request to the DataOps service made by Python running as ``user`` with their kernel's
        environment; ``token="kernel"`` sends that environment's JUPYTERHUB_API_TOKEN, None sends none."""
        request = {
            "method": method,
            "url": self.service_url + path,
            "headers": headers or {},
            "body": body,
            "token": token,
        }
        proc = self.run_as(
            user,
            [str(self.bin_dir / "python"), "-c", KERNEL_CLIENT, json.dumps(request)],
            extra_env=extra_env,
        )
        if proc.returncode:
            raise RuntimeError(f"the request as {user} failed:\n{proc.stderr}")
        answer = json.loads(proc.stdout)
        return answer["status"], answer["body"]
