"""Publishing a checkout's dashboards to an environment, and reading what an environment serves.

``dataops publish-dashboards --env dev`` is what the pipeline's deploy stage runs in the checkout of
``deploy/dev``: each app of ``dashboards/`` goes to the environment's target for its kind, stamped with
the commit the pipeline runs (``CI_COMMIT_SHA``, else the checkout's HEAD).
"""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

from dataops.config import Config
from dataops.dashboards.config import DashboardEnvironment, dashboard_environments
from dataops.dashboards.discovery import FOLDER, discover
from dataops.dashboards.models import Published
from dataops.errors import InvalidInput, NotConfigured


def environment(config: Config, env_id: str) -> DashboardEnvironment:
    """The dashboard targets of ``env_id``; `NotConfigured` when it has no dashboards entry."""
    envs = dashboard_environments(config)
    if env_id not in envs:
        raise NotConfigured(
            f"Environment {env_id!r} has no dashboard targets: add a [[dashboards.environments]] entry "
            f'with id = "{env_id}".'
        )
    return envs[env_id]


def checkout_commit(checkout: Path) -> str:
    """The commit being published: ``CI_COMMIT_SHA`` in a pipeline, else the checkout's HEAD."""
    sha = os.environ.get("CI_COMMIT_SHA")
    if sha:
        return sha
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True)
    if done.returncode != 0:
        raise InvalidInput(f"{checkout} is not a git checkout: pass --commit.")
    return done.stdout.strip()


def publish_dashboards(
    config: Config, env_id: str, checkout: Path, *, commit: str | None = None
) -> list[Published]:
    """Publish every app of ``checkout/dashboards`` to ``env_id``'s targets, in name order.

    All targets are checked before the first copy, so a missing target publishes nothing."""
    apps = discover(checkout)
    if not apps:
        return []
    env = environment(config, env_id)
    targets = [env.target(app.kind) for app in apps]
    sha = commit or checkout_commit(checkout)
    return [target.publish(app, commit=sha) for app, target in zip(apps, targets, strict=True)]


def published_dashboards(config: Config, env_id: str) -> list[Published]:
    """What ``env_id``'s targets serve now, by name (``[]`` for an environment without dashboards)."""
    envs = dashboard_environments(config)
    if env_id not in envs:
        return []
    found = [p for target in envs[env_id].targets.values() for p in target.published()]
    return sorted(found, key=lambda p: (p.name, p.kind))


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``dataops publish-dashboards``."""
    p = sub.add_parser("publish-dashboards", help=f"publish the {FOLDER}/ apps to an environment")
    p.add_argument("--env", required=True, help="environment id (see [[dashboards.environments]])")
    p.add_argument("--dir", type=Path, default=Path("."), help="the deployment checkout (default: here)")
    p.add_argument("--commit", default=None, help="the commit published (default: CI_COMMIT_SHA or HEAD)")
    p.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:
    from dataops.settings import resolve

    done = publish_dashboards(resolve().config, args.env, args.dir, commit=args.commit)
    if not done:
        print(f"no dashboards in {args.dir / FOLDER}")
    for item in done:
        print(f"published {item.kind} dashboard {item.name} ({item.commit[:8]}) at {item.url}")
    return 0
