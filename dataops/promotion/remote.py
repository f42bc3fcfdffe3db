"""Promotion through the DataOps hub service: the user's side collects the files, the service decides.

Used by ``dataops.promote`` / ``dataops.promotions`` and by the single-user server's handlers when
`dataops.service.client.hub_mode` is true. Nothing here decides a right or holds a credential: the
service answers with the plan, the landed promotion, or the sentence that says why not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dataops.promotion.inputs import collect_input
from dataops.promotion.submit import Promotion
from dataops.service.client import ServiceClient


def review_body(
    root: Path,
    source: str,
    env: str,
    *,
    extra_files: list[str] | tuple[str, ...] = (),
    destinations: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The service's review request for ``source`` (relative to ``root``): the files as bytes."""
    return {
        "environment": env,
        "destinations": dict(destinations or {}),
        "input": collect_input(root, source, extra_files).to_json(),
    }


def split_path(path: str | Path, extra_files: tuple[str, ...] = ()) -> tuple[Path, str, list[str]]:
    """The folder a kernel works in (its current folder when ``path`` is under it, else the file's
    folder), ``path`` relative to it and the extra files relative to it."""
    path = Path(path).resolve()
    cwd = Path.cwd().resolve()
    root = cwd if cwd in path.parents else path.parent
    extras = [Path(e).resolve().relative_to(root).as_posix() for e in extra_files]
    return root, path.relative_to(root).as_posix(), extras


def review(
    client: ServiceClient,
    path: str | Path,
    env: str,
    *,
    extra_files: tuple[str, ...] = (),
    destinations: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The service's review of ``path`` for ``env`` (the plan as JSON, kept by the service)."""
    root, source, extras = split_path(path, extra_files)
    body = review_body(root, source, env, extra_files=extras, destinations=destinations)
    return client.call("POST", "promotion/plans", json=body)


def promote(
    client: ServiceClient,
    path: str | Path,
    env: str,
    message: str = "",
    *,
    extra_files: tuple[str, ...] = (),
    destinations: dict[str, str] | None = None,
) -> Promotion:
    """Review, then submit the reviewed plan; the service lands it as the hub user who called."""
    plan = review(client, path, env, extra_files=extra_files, destinations=destinations)
    landed = client.call("POST", f"promotion/plans/{plan['plan_id']}/submit", json={"message": message})
    return Promotion(**landed)


def history(client: ServiceClient, env: str | None, limit: int) -> dict[str, Any]:
    """The service's promotion history for the caller (the environments they may see)."""
    params: dict[str, Any] = {"limit": limit}
    if env is not None:
        params["environment"] = env
    return client.call("GET", "promotion/history", params=params)
