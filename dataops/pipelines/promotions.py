"""Promotions joined with the pipelines that ran their commits (one GitLab query per commit sha).

Shared by the server's history endpoint and ``dataops.promotions()``. The history itself comes from
the local audit log and stays valid when GitLab cannot be asked; the failure is then returned as a
sentence beside the entries, never swallowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dataops.errors import DataOpsError, NotConfigured
from dataops.pipelines.access import local_target
from dataops.pipelines.gitlab import GitLabCI
from dataops.pipelines.local import LocalCI
from dataops.pipelines.models import Pipeline
from dataops.promotion.config import Environment, PromotionConfig
from dataops.promotion.history import HistoryEntry


@dataclass
class JoinedHistory:
    """History entries, the pipeline of each landed commit (by entry id), and GitLab's failure if any."""

    entries: list[HistoryEntry]
    pipelines: dict[str, Pipeline | None] = field(default_factory=dict)
    pipelines_error: str | None = None


def commit_web_url(entry: HistoryEntry, env: Environment | None, gitlab_url: str) -> str | None:
    """The recorded commit URL, else GitLab's (``{url}/{project}/-/commit/{sha}``) when the
    environment is a GitLab project, else None (a plain git remote has no web page we know)."""
    if entry.commit_url:
        return entry.commit_url
    if entry.commit_sha and env is not None and env.gitlab_project and gitlab_url:
        return f"{gitlab_url.rstrip('/')}/{env.gitlab_project}/-/commit/{entry.commit_sha}"
    return None


async def join_pipelines(
    entries: list[HistoryEntry], cfg: PromotionConfig, token: Callable[[], str]
) -> JoinedHistory:
    """Find the newest pipeline of every landed commit of a GitLab environment (``token`` is asked
    for only then, so a setup with plain git remotes needs none) or of an environment with local
    pipelines."""
    joined = JoinedHistory(entries)
    environments = {e.id: e for e in cfg.environments}
    gitlab_url = cfg.gitlab_url
    by_project: dict[str, list[HistoryEntry]] = {}
    for entry in entries:
        env = environments.get(entry.environment)
        if entry.commit_sha and env is not None and env.local_pipelines:
            local = LocalCI(local_target(cfg, env))
            joined.pipelines[entry.id] = await local.pipeline_of_commit(entry.commit_sha)
        elif entry.commit_sha and env is not None and env.gitlab_project:
            by_project.setdefault(env.gitlab_project, []).append(entry)
    if not by_project:
        return joined
    try:
        if not gitlab_url:
            raise NotConfigured("No GitLab instance configured: set gitlab_url in [promotion].")
        secret = token()
        for project, landed in by_project.items():
            async with GitLabCI(gitlab_url, secret, project) as ci:
                found = await ci.pipelines_of_commits([e.commit_sha or "" for e in landed])
            for entry in landed:
                pipeline = found.get(entry.commit_sha or "")
                if pipeline is not None:
                    pipeline.environment = entry.environment
                joined.pipelines[entry.id] = pipeline
    except DataOpsError as exc:
        # the audit log answered; only the pipeline statuses are missing, and the user is told why
        joined.pipelines_error = f"The pipelines of these promotions could not be read: {exc.message}"
    return joined


def entry_json(
    entry: HistoryEntry, joined: JoinedHistory, env: Environment | None, gitlab_url: str
) -> dict[str, Any]:
    """One entry as the server and the DataFrame show it: commit link and pipeline included."""
    pipeline = joined.pipelines.get(entry.id)
    return {
        **entry.to_json(),
        "commit_url": commit_web_url(entry, env, gitlab_url),
        "pipeline_id": entry.pipeline_id or (pipeline.id if pipeline else None),
        "pipeline": pipeline.to_json() if pipeline else None,
    }
