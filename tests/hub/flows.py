"""A hub whose DataOps service holds a workflow policy: ``dev`` on one real engine, ``prod`` (protected,
operated by release-managers) on another; the policy and the run-log store belong to the service account."""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import textwrap
from pathlib import Path

import yaml

from tests.hub import environment as env
from tests.hub.hub import SERVICE, Hub

OPERATORS = "release-managers"


class FlowHub(Hub):
    """A second hub next to the session's: its own pid file, so neither stops the other."""

    @property
    def _pid_file(self) -> Path:
        key = hashlib.sha256(f"{env.REPO}:flows".encode()).hexdigest()[:12]
        return env.ROOT / f"hub-{key}.pid"


def write_policy(dev_url: str, prod_url: str) -> Path:
    """The service's configuration file (mode 600, owned by the service account); returns its path."""
    account = pwd.getpwnam(env.SERVICE_ACCOUNT)
    key = hashlib.sha256(str(env.REPO).encode()).hexdigest()[:12]
    folder = env.ROOT / f"service-flows-{key}"
    logs = folder / "logs"
    # A fresh store per session: the runs of earlier sessions' engines mean nothing now.
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    policy = folder / "config.toml"
    policy.write_text(
        textwrap.dedent(
            f"""\
            [workflows]
            log_dir = "{logs}"

            [[workflows.environments]]
            id = "dev"
            engine_url = "{dev_url}"

            [[workflows.environments]]
            id = "prod"
            engine_url = "{prod_url}"
            protected = true
            operate_groups = ["{OPERATORS}"]
            """
        )
    )
    for path, mode in ((folder, 0o700), (logs, 0o700), (policy, 0o600)):
        os.chown(path, account.pw_uid, account.pw_gid)
        path.chmod(mode)
    return policy


def extra_config(policy: Path) -> str:
    """Hub configuration giving the service its policy file and each server the service's URL."""
    return textwrap.dedent(
        f"""\
        for _service in c.JupyterHub.services:
            if _service["name"] == "{SERVICE}":
                _service["environment"]["DATAOPS_SYSTEM_CONFIG"] = "{policy}"
        c.Spawner.environment = {{"DATAOPS_SERVICE_URL": "http://127.0.0.1:" + str(s["port"]) + "/services/{SERVICE}/"}}
        """
    )


SERVICE_API = yaml.safe_load((env.REPO / "docs" / "openapi-service.yaml").read_text())


def schema(name: str) -> dict:
    """``components/schemas/<name>`` of docs/openapi-service.yaml as JSON Schema ($refs inlined,
    OpenAPI's ``nullable`` as a null alternative)."""

    def convert(node: object) -> object:
        if isinstance(node, list):
            return [convert(n) for n in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = SERVICE_API
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return convert(target)
        out = {k: convert(v) for k, v in node.items() if k not in ("nullable", "description")}
        return {"anyOf": [out, {"type": "null"}]} if node.get("nullable") else out

    return convert(SERVICE_API["components"]["schemas"][name])
