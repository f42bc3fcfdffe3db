"""``dataops publish-processes``: publish BPMN process definitions to a Camunda 7-compatible engine.

One publish is one duplicate-filtered engine deployment with ``deploy-changed-only`` (through the
workflow capability's engine client): the engine creates new versions only of the definitions whose
XML changed since the last deployment of the same name, so re-running a pipeline does not pile up
identical versions.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

from dataops.errors import InvalidInput, NotConfigured, NotFound
from dataops.settings import resolve
from dataops.workflows.bpmn import process_ids
from dataops.workflows.camunda import CamundaEngine
from dataops.workflows.models import ProcessDefinition


@dataclass
class PublishResult:
    """The engine's deployment, the definitions that got a new version and those left as they were."""

    deployment_id: str
    name: str
    published: list[ProcessDefinition] = field(default_factory=list)
    unchanged: list[ProcessDefinition] = field(default_factory=list)


def engine_settings(engine_url: str | None = None) -> tuple[str, str, str]:
    """(url, username, password): the option, then ``DATAOPS_ENGINE_*`` variables, then ``[workflows]``."""
    cfg = resolve().workflows
    url = engine_url or os.environ.get("DATAOPS_ENGINE_URL") or cfg.engine_url
    if not url:
        raise NotConfigured(
            "No workflow engine to publish to: pass --engine-url, set DATAOPS_ENGINE_URL "
            "(a CI/CD variable scoped to the environment) or [workflows] engine_url."
        )
    user = os.environ.get("DATAOPS_ENGINE_USERNAME") or cfg.username
    password = os.environ.get("DATAOPS_ENGINE_PASSWORD") or cfg.password
    return url.rstrip("/"), user, password


def read_processes(files: list[Path]) -> dict[str, bytes]:
    """``{file name: bytes}`` of the .bpmn files; the engine keys resources by file name."""
    if not files:
        raise InvalidInput("Name at least one .bpmn file to publish.")
    resources: dict[str, bytes] = {}
    for path in files:
        if not path.is_file():
            raise NotFound(f"The process definition {path} does not exist.")
        if path.suffix != ".bpmn":
            raise InvalidInput(f"{path} is not a BPMN file (.bpmn).")
        if path.name in resources:
            raise InvalidInput(
                f"Two process files are called {path.name}; the engine keys them by file name."
            )
        resources[path.name] = path.read_bytes()
    return resources


def publish_processes(
    files: list[Path], *, engine_url: str, name: str, username: str = "", password: str = ""
) -> PublishResult:
    """Publish ``files`` as one duplicate-filtered engine deployment called ``name``."""
    resources = read_processes(files)
    keys = [key for file, content in resources.items() for key in process_ids(content, file)]
    with CamundaEngine(engine_url, username=username, password=password) as engine:
        # An unchanged deployment answers with the earlier deployment's id, so "new" is told apart
        # by comparing each definition's version before and after.
        before = {key: _version(engine, key) for key in keys}
        deployment = engine.publish(resources, name=name, changed_only=True)
    result = PublishResult(deployment.id, deployment.name)
    for definition in deployment.definitions:
        fresh = before.get(definition.key) != definition.version
        (result.published if fresh else result.unchanged).append(definition)
    return result


def _version(engine: CamundaEngine, key: str) -> int | None:
    try:
        return engine.definition(key).version
    except NotFound:
        return None


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``dataops publish-processes``."""
    p = sub.add_parser("publish-processes", help="publish changed BPMN files to the workflow engine")
    p.add_argument("files", nargs="+", type=Path, help=".bpmn files (e.g. processes/*.bpmn)")
    p.add_argument("--engine-url", help="engine REST base (…/engine-rest); default: DATAOPS_ENGINE_URL")
    p.add_argument("--name", default="", help="deployment name (default: $CI_PROJECT_PATH or 'dataops')")
    p.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:
    url, user, password = engine_settings(args.engine_url)
    name = args.name or os.environ.get("CI_PROJECT_PATH") or "dataops"
    result = publish_processes(args.files, engine_url=url, name=name, username=user, password=password)
    for d in result.published:
        print(f"published {d.resource or d.key}: {d.key} version {d.version}")
    for d in result.unchanged:
        print(f"unchanged {d.resource or d.key}: {d.key} stays at version {d.version}")
    print(
        f"published '{result.name}' to {url}: {len(result.published)} new, {len(result.unchanged)} unchanged"
    )
    return 0
