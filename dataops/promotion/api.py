"""``dataops.promote``: the same promotion as the Promote dialog, from Python."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from dataops.config import Config
from dataops.errors import ConfigError, NotConfigured
from dataops.pipelines.local import push_trigger
from dataops.promotion import remote
from dataops.promotion.access import Identity, history_scope, require, server_account
from dataops.promotion.config import Environment, PromotionConfig
from dataops.promotion.credentials import gitlab_token
from dataops.promotion.history import check_limit
from dataops.promotion.plan import Plan, build_plan
from dataops.promotion.submit import Promotion, submit
from dataops.promotion.targets import Target
from dataops.promotion.targets.git import GitTarget
from dataops.promotion.targets.gitlab import GitLabTarget
from dataops.service.client import service_client
from dataops.settings import settings_for
from dataops.sync import run_sync

if TYPE_CHECKING:
    import pandas as pd


def make_target(env: Environment, cfg: PromotionConfig) -> Target:
    """The GitLab project or git remote of ``env``, with credentials from the environment or token file."""
    if env.gitlab_project:
        url = cfg.gitlab_url
        if not url:
            raise NotConfigured(
                f"Environment {env.id!r} names a GitLab project but no gitlab_url is configured."
            )
        return GitLabTarget(url, env.gitlab_project, gitlab_token(cfg.token_env, cfg.token_file))
    if env.remote:
        return GitTarget(env.remote, os.environ.get(cfg.token_env) or None, on_push=push_trigger(env, cfg))
    raise ConfigError(f"Environment {env.id!r} names neither a remote nor a gitlab_project.")


def current_identity() -> Identity:
    """Who runs this kernel or command: JupyterHub's user when present, else the account it runs as
    (named as the server names it without a hub, so the history shows one author).

    Decides rights only in single-user mode, where the person controls the whole server anyway (the
    status line says rights are not enforced); under JupyterHub every promotion goes to the service,
    which takes the identity from the hub and ignores this one.
    """
    hub_user = os.environ.get("JUPYTERHUB_USER")
    return Identity(hub_user) if hub_user else server_account()


def plan(
    path: str | Path,
    env: str,
    *,
    extra_files: tuple[str, ...] = (),
    destinations: dict[str, str] | None = None,
    config: Config | None = None,
    user: Identity | None = None,
) -> Plan:
    """Review a promotion without changing anything: files, destinations, diff and secret scan.

    Under JupyterHub with the DataOps service (``DATAOPS_SERVICE_URL``) the service reviews it and
    this returns its review as JSON (a dict); ``config`` and ``user`` are not used there.
    """
    client = service_client()
    if client is not None:
        return remote.review(client, path, env, extra_files=extra_files, destinations=destinations)  # type: ignore[return-value]
    cfg = settings_for(config).promotion
    environment = cfg.environment(env)
    who = user or current_identity()
    require(environment, who)
    path = Path(path).resolve()
    root = Path.cwd().resolve() if Path.cwd().resolve() in path.parents else path.parent
    extras = tuple(str(Path(e).resolve().relative_to(root)) for e in extra_files)
    return build_plan(
        root,
        path.relative_to(root).as_posix(),
        environment,
        make_target(environment, cfg),
        who,
        extra_files=extras,
        destinations=destinations,
    )


def promote(
    path: str | Path,
    env: str,
    message: str = "",
    *,
    extra_files: tuple[str, ...] = (),
    destinations: dict[str, str] | None = None,
    config: Config | None = None,
    user: Identity | None = None,
) -> Promotion:
    """Promote a notebook (with its ``.py`` and local modules), a step module or a ``.bpmn`` file.

    Raises `SecretsFound` (nothing is sent), `Forbidden`, or `Conflict` when the branch moved
    during the promotion (nothing is overwritten).

    Under JupyterHub with the DataOps service (``DATAOPS_SERVICE_URL``) the service decides and
    lands it as the hub user who owns this kernel: ``user`` and ``config`` decide nothing there, and
    a service that does not answer raises `ServiceUnreachable` with nothing promoted.
    """
    client = service_client()
    if client is not None:
        return remote.promote(client, path, env, message, extra_files=extra_files, destinations=destinations)
    cfg = settings_for(config).promotion
    reviewed = plan(path, env, extra_files=extra_files, destinations=destinations, config=config, user=user)
    return submit(reviewed, make_target(reviewed.environment, cfg), cfg.audit_trail(), message)


def promotions(
    env: str | None = None,
    limit: int = 20,
    *,
    pipelines: bool = True,
    config: Config | None = None,
    user: Identity | None = None,
) -> pd.DataFrame:
    """The last promotions (newest first) from the audit log, of ``env`` or of every environment you
    may promote to, one row each: time, environment, branch, author, outcome, commit, message, path,
    and with ``pipelines=True`` the newest pipeline that ran the commit (GitLab environments).

    A torn last line (a promotion being written) is left out with a warning; a damaged line elsewhere
    raises `MalformedMessage` naming the line.
    """
    import pandas as pd  # a kernel pays for pandas only when it asks for a table

    client = service_client()
    if client is not None:  # under JupyterHub: the service's audit trail, filtered by the service
        answer = remote.history(client, env, check_limit(limit))
        if answer.get("pipelines_error") and pipelines:
            warnings.warn(answer["pipelines_error"], stacklevel=2)
        return _frame(pd, answer["entries"])
    rows = _rows(env, limit, pipelines, config, user)
    return _frame(pd, rows)


def _rows(
    env: str | None, limit: int, pipelines: bool, config: Config | None, user: Identity | None
) -> list[dict]:
    from dataops.pipelines.promotions import JoinedHistory, entry_json, join_pipelines

    cfg = settings_for(config).promotion
    who = user or current_identity()
    check_limit(limit)
    ids, _ = history_scope(cfg, who, env)
    trail = cfg.audit_trail()
    history = trail.history(ids, limit)
    if history.torn_last_line:
        warnings.warn(
            f"The last line of {trail.location} is incomplete (a promotion being recorded?); it is left out.",
            stacklevel=3,
        )
    by_id = {e.id: e for e in cfg.environments}
    joined = JoinedHistory(history.entries)
    if pipelines:
        joined = run_sync(
            join_pipelines(history.entries, cfg, lambda: gitlab_token(cfg.token_env, cfg.token_file))
        )
        if joined.pipelines_error:
            warnings.warn(joined.pipelines_error, stacklevel=3)
    return [
        entry_json(entry, joined, by_id.get(entry.environment), cfg.gitlab_url) for entry in history.entries
    ]


def _frame(pd: ModuleType, entries: list[dict]) -> pd.DataFrame:
    rows = []
    for entry in entries:
        row = dict(entry)
        pipeline = row.pop("pipeline", None) or {}
        row["pipeline_status"] = pipeline.get("status")
        row["pipeline_url"] = pipeline.get("web_url")
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(_COLUMNS))
    frame["time"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601")
    return frame


_COLUMNS = (
    "time",
    "environment",
    "branch",
    "author",
    "outcome",
    "commit_sha",
    "commit_url",
    "message",
    "reason",
    "path",
    "files",
    "merge_request",
    "pipeline_id",
    "pipeline_status",
    "pipeline_url",
    "plan_id",
    "id",
)
