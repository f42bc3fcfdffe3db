"""REST API of the Promote dialog, under ``dataops/api/promotion/`` (docs/openapi-promotion.yaml).

Access rights are enforced here, on the server, for the signed-in user from Jupyter's identity
provider (JupyterHub users bring their groups). Reviewing builds a plan that the server keeps;
submitting lands exactly the reviewed files. Tokens stay on the server.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tornado import web

from dataops.errors import InvalidInput, NotFound
from dataops.pipelines.promotions import entry_json, join_pipelines
from dataops.promotion.access import environment_json, history_scope, require
from dataops.promotion.api import make_target
from dataops.promotion.audit import AuditTrail
from dataops.promotion.config import Environment, PromotionConfig
from dataops.promotion.credentials import gitlab_token
from dataops.promotion.history import MAX_LIMIT
from dataops.promotion.plan import Plan, build_plan
from dataops.promotion.remote import review_body
from dataops.promotion.submit import submit
from dataops.promotion.targets import Target
from jupyterlab_dataops.handlers.forward import ServiceForwarding

MAX_PLANS = 200


class PromotionHandler(ServiceForwarding):
    """Shared plumbing: configuration, identity, the plan store, the target of an environment.

    Under JupyterHub with the DataOps service every request is forwarded to it (`ServiceForwarding`).
    """

    def promotion_config(self) -> PromotionConfig:
        return self.dataops.promotion.config()

    def plans(self) -> dict[str, Plan]:
        return self.dataops.promotion.plans

    def target(self, env: Environment, cfg: PromotionConfig) -> Target:
        return make_target(env, cfg)

    def audit_trail(self, cfg: PromotionConfig) -> AuditTrail:
        return cfg.audit_trail()

    def root_dir(self) -> Path:
        return Path(self.settings.get("server_root_dir") or self.serverapp.root_dir).expanduser()

    def own_plan(self, plan_id: str) -> Plan:
        plan = self.plans().get(plan_id)
        if plan is None or plan.user.username != self.identity().username:
            raise NotFound(
                "This review is no longer available (the server restarted or it expired); review again."
            )
        return plan


class EnvironmentsHandler(PromotionHandler):
    """``GET promotion/environments``: every environment with may_promote and may_see_history, and
    the reason for each where not."""

    @web.authenticated
    def get(self) -> None:
        who = self.identity()
        out = [environment_json(env, who) for env in self.promotion_config().environments]
        self.write_json({"user": who.username, "environments": out})


class PlansHandler(PromotionHandler):
    """``POST promotion/plans``: review a promotion (files, destinations, diff, secret scan)."""

    def forward_body(self) -> dict:
        """The service's review request: the files this server collected, as bytes."""
        body = self.json_body()
        path, env_id = body.get("path"), body.get("environment")
        extra, destinations = body.get("extra_files", []), body.get("destinations", {})
        if not isinstance(path, str) or not isinstance(env_id, str):
            raise InvalidInput("A review needs 'path' (the file to promote) and 'environment'.")
        if not isinstance(extra, list) or not isinstance(destinations, dict):
            raise InvalidInput("'extra_files' must be a list of paths and 'destinations' an object.")
        return review_body(self.root_dir(), path, env_id, extra_files=extra, destinations=destinations)

    @web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        path, env_id = body.get("path"), body.get("environment")
        if not isinstance(path, str) or not isinstance(env_id, str):
            raise InvalidInput("A review needs 'path' (the file to promote) and 'environment'.")
        extra = body.get("extra_files", [])
        destinations = body.get("destinations", {})
        if not isinstance(extra, list) or not isinstance(destinations, dict):
            raise InvalidInput("'extra_files' must be a list of paths and 'destinations' an object.")
        cfg = self.promotion_config()
        env = cfg.environment(env_id)
        who = self.identity()
        require(env, who)
        target = self.target(env, cfg)
        plan = await asyncio.to_thread(
            build_plan, self.root_dir(), path, env, target, who, extra_files=extra, destinations=destinations
        )
        store = self.plans()
        while len(store) >= MAX_PLANS:
            store.pop(next(iter(store)))
        store[plan.id] = plan
        self.write_json(plan.to_json())


class PlanHandler(PromotionHandler):
    """``GET promotion/plans/{plan_id}``: a review made earlier by the same user."""

    @web.authenticated
    def get(self, plan_id: str) -> None:
        self.write_json(self.own_plan(plan_id).to_json())


class SubmitHandler(PromotionHandler):
    """``POST promotion/plans/{plan_id}/submit``: land the reviewed files (409 if the branch moved)."""

    @web.authenticated
    async def post(self, plan_id: str) -> None:
        body = self.json_body()
        plan = self.own_plan(plan_id)
        cfg = self.promotion_config()
        env = cfg.environment(plan.environment.id)
        require(env, self.identity())  # rights are checked again: the configuration may have changed
        message = body.get("message", "")
        if not isinstance(message, str):
            raise InvalidInput("'message' must be text.")
        target = self.target(env, cfg)
        promotion = await asyncio.to_thread(submit, plan, target, self.audit_trail(cfg), message)
        self.plans().pop(plan_id, None)
        self.write_json(promotion.to_json(), status=201)


class MergeRequestHandler(PromotionHandler):
    """``GET promotion/environments/{env}/merge_requests/{iid}``: open, approvals, mergeable, merged."""

    @web.authenticated
    async def get(self, env_id: str, iid: str) -> None:
        cfg = self.promotion_config()
        env = cfg.environment(env_id)
        require(env, self.identity())
        target = self.target(env, cfg)
        self.write_json(await asyncio.to_thread(target.merge_request, int(iid)))


class HistoryHandler(PromotionHandler):
    """``GET promotion/history?environment=&limit=``: the last promotions, newest first, with the
    pipeline that ran each landed commit. Only environments the user may promote to are shown."""

    @web.authenticated
    async def get(self) -> None:
        limit = _limit(self.get_query_argument("limit", "20"))
        cfg = self.promotion_config()
        who = self.identity()
        env_id = self.get_query_argument("environment", "") or None
        if env_id is not None and env_id not in {e.id for e in cfg.environments}:
            # a query parameter naming no environment is a bad request, not a missing resource
            names = ", ".join(e.id for e in cfg.environments) or "none"
            raise InvalidInput(f"There is no deployment environment called {env_id!r} (configured: {names}).")
        ids, hidden = history_scope(cfg, who, env_id)
        history = await asyncio.to_thread(lambda: self.audit_trail(cfg).history(ids, limit))
        gitlab_url = cfg.gitlab_url
        by_id = {e.id: e for e in cfg.environments}
        joined = await join_pipelines(
            history.entries, cfg, lambda: gitlab_token(cfg.token_env, cfg.token_file)
        )
        self.write_json(
            {
                "environment": env_id,
                "limit": limit,
                "entries": [
                    entry_json(e, joined, by_id.get(e.environment), gitlab_url) for e in history.entries
                ],
                "torn_last_line": history.torn_last_line,
                "pipelines_error": joined.pipelines_error,
                "hidden_environments": hidden,
            }
        )


def _limit(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidInput(f"'limit' must be a whole number of promotions, not {raw!r}.") from exc
    if not 1 <= value <= MAX_LIMIT:
        raise InvalidInput(f"'limit' must be between 1 and {MAX_LIMIT}, not {value}.")
    return value


ROUTES = [
    (r"promotion/history", HistoryHandler),
    (r"promotion/environments", EnvironmentsHandler),
    (r"promotion/environments/(?P<env_id>[^/]+)/merge_requests/(?P<iid>\d+)", MergeRequestHandler),
    (r"promotion/plans", PlansHandler),
    (r"promotion/plans/(?P<plan_id>[0-9a-f]{32})", PlanHandler),
    (r"promotion/plans/(?P<plan_id>[0-9a-f]{32})/submit", SubmitHandler),
]
