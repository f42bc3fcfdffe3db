"""``dataops deploy-processes``: publish BPMN definitions to a Camunda 7-compatible engine.

One ``POST /deployment/create`` with duplicate filtering and ``deploy-changed-only``: the engine
creates new versions only of the definitions whose XML changed since the last deployment of the same
name, so re-running a pipeline does not pile up identical versions.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from lxml import etree

from dataops.config import load_config
from dataops.errors import (
    EngineUnreachable,
    Forbidden,
    InvalidInput,
    MalformedMessage,
    NotConfigured,
    NotFound,
    RemoteError,
    Unauthorized,
)

_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass
class DeployedDefinition:
    """One process definition version the engine created."""

    key: str
    version: int
    resource: str
    id: str


@dataclass
class DeploymentResult:
    """What the engine answered: the deployment and the definitions that got a new version."""

    deployment_id: str
    name: str
    files: list[str]
    deployed: list[DeployedDefinition] = field(default_factory=list)

    @property
    def unchanged(self) -> list[str]:
        """Files the engine skipped because they equal what it already has."""
        changed = {d.resource for d in self.deployed}
        return [f for f in self.files if f not in changed]


def engine_settings(engine_url: str | None = None) -> tuple[str, str, str]:
    """(url, username, password): options, then ``DATAOPS_ENGINE_*`` variables, then ``[workflows]``."""
    from dataops.workflows.config import WorkflowsConfig

    cfg = WorkflowsConfig.from_config(load_config())
    url = engine_url or os.environ.get("DATAOPS_ENGINE_URL") or cfg.engine_url
    if not url:
        raise NotConfigured(
            "No workflow engine to deploy to: pass --engine-url, set DATAOPS_ENGINE_URL "
            "(a CI/CD variable scoped to the environment) or [workflows] engine_url."
        )
    user = os.environ.get("DATAOPS_ENGINE_USERNAME") or cfg.username
    password = os.environ.get("DATAOPS_ENGINE_PASSWORD") or cfg.password
    return url.rstrip("/"), user, password


def check_bpmn(path: Path) -> bytes:
    """The file's bytes once it is known to be well-formed XML (the engine checks the rest)."""
    if not path.is_file():
        raise NotFound(f"The process definition {path} does not exist.")
    if path.suffix != ".bpmn":
        raise InvalidInput(f"{path} is not a BPMN file (.bpmn).")
    data = path.read_bytes()
    try:
        etree.fromstring(data, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise MalformedMessage(f"{path} is not well-formed XML (line {exc.lineno}): {exc.msg}") from exc
    return data


def deploy_processes(
    files: list[Path],
    *,
    engine_url: str,
    name: str,
    username: str = "",
    password: str = "",
    source: str = "dataops",
    timeout: float = 60.0,
) -> DeploymentResult:
    """Deploy ``files`` as one duplicate-filtered deployment called ``name``."""
    if not files:
        raise InvalidInput("Name at least one .bpmn file to deploy.")
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise InvalidInput("Two process files share a file name; the engine keys resources by name.")
    parts = [("data", (f.name, check_bpmn(f), "application/xml")) for f in files]
    form = {
        "deployment-name": name,
        "deployment-source": source,
        "enable-duplicate-filtering": "true",
        "deploy-changed-only": "true",
    }
    auth = (username, password) if username else None
    try:
        # Camunda takes each file as its own multipart field; the field name is the resource name.
        response = httpx.post(
            f"{engine_url}/deployment/create",
            data=form,
            files=[(n, part) for n, (_, part) in zip(names, parts, strict=True)],
            auth=auth,
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise EngineUnreachable(f"The workflow engine at {engine_url} could not be reached: {exc}") from exc
    _raise_for_status(response, engine_url)
    body = response.json()
    deployed = [
        DeployedDefinition(
            d["key"], int(d["version"]), d.get("resource") or d.get("resourceName", ""), d["id"]
        )
        for d in (body.get("deployedProcessDefinitions") or {}).values()
    ]
    return DeploymentResult(body.get("id", ""), body.get("name") or name, names, deployed)


def _raise_for_status(response: httpx.Response, engine_url: str) -> None:
    if response.status_code < 400:
        return
    try:
        reason = response.json().get("message", response.text)
    except ValueError:
        reason = response.text[:500]
    if response.status_code == 401:
        raise Unauthorized(f"The workflow engine at {engine_url} refused the credentials.")
    if response.status_code == 403:
        raise Forbidden(f"The workflow engine at {engine_url} does not allow this user to deploy: {reason}")
    if response.status_code == 400:
        raise MalformedMessage(f"The workflow engine refused the process definitions: {reason}")
    raise RemoteError(f"The workflow engine answered {response.status_code}: {reason}")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``dataops deploy-processes``."""
    p = sub.add_parser(
        "deploy-processes", help="publish BPMN files to the workflow engine (changed ones only)"
    )
    p.add_argument("files", nargs="+", type=Path, help=".bpmn files (e.g. processes/*.bpmn)")
    p.add_argument("--engine-url", help="engine REST base (…/engine-rest); default: DATAOPS_ENGINE_URL")
    p.add_argument("--name", default="", help="deployment name (default: $CI_PROJECT_PATH or 'dataops')")
    p.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:
    url, user, password = engine_settings(args.engine_url)
    name = args.name or os.environ.get("CI_PROJECT_PATH") or "dataops"
    result = deploy_processes(args.files, engine_url=url, name=name, username=user, password=password)
    for d in result.deployed:
        print(f"deployed {d.resource}: {d.key} version {d.version}")
    for f in result.unchanged:
        print(f"unchanged {f}: the engine already has this version")
    print(f"deployment {result.deployment_id or '(none)'} '{result.name}' on {url}")
    return 0
