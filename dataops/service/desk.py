"""The service's promotion and pipeline actions, without tornado: rights from the hub's caller only.

Every method takes the `Caller` the hub named (name and groups) and nothing else about who is
asking. Reviews are kept here, bound to the caller who made them: a submit lands exactly the
reviewed bytes, with the service's credentials, and the audit record names the hub user.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from dataops.errors import Forbidden, InvalidInput, NotFound
from dataops.pipelines.access import NO_PIPELINES, has_pipelines
from dataops.pipelines.environment import EnvironmentCI
from dataops.pipelines.promotions import entry_json, join_pipelines
from dataops.pipelines.trace import slice_trace
from dataops.promotion.access import (
    Identity,
    decide,
    environment_json,
    history_scope,
    may_see_history,
    require,
)
from dataops.promotion.config import Environment
from dataops.promotion.history import check_limit, read_history
from dataops.promotion.inputs import PlanInput
from dataops.promotion.plan import Plan, build_plan_from
from dataops.promotion.submit import submit
from dataops.service.hub import Caller
from dataops.service.policy import ServicePolicy, missing_own_token

MAX_PLANS = 500
MAX_PIPELINES = 50


def identity(caller: Caller) -> Identity:
    """The promotion identity of a hub caller: the hub's name and groups, nothing the caller sent."""
    return Identity(username=caller.name, groups=caller.groups)


class PromotionDesk:
    """Promotions and pipelines decided and carried out by the service."""

    def __init__(self, policy: ServicePolicy) -> None:
        self.policy = policy
        self.plans: dict[str, Plan] = {}

    def environments(self, caller: Caller) -> dict[str, Any]:
        """Every environment, with whether ``caller`` may promote there and why not (the policy, or no
        GitLab token of their own where the environment commits as the user)."""
        who = identity(caller)
        cfg = self.policy.promotion()
        out = [
            environment_json(
                env, who, missing_own_token(env, cfg, caller) if decide(env, who).allowed else ""
            )
            for env in cfg.environments
        ]
        return {"user": who.username, "environments": out}

    def review(self, caller: Caller, body: dict[str, Any]) -> Plan:
        """Build and keep a plan from the files the caller sent (``{"environment", "input", "destinations"}``)."""
        env_id, destinations = body.get("environment"), body.get("destinations") or {}
        if not isinstance(env_id, str):
            raise InvalidInput("A review needs 'environment' and 'input' (the files to promote).")
        if not isinstance(destinations, dict) or not all(isinstance(v, str) for v in destinations.values()):
            raise InvalidInput("'destinations' must map proposed destinations to the ones you want.")
        cfg = self.policy.promotion()
        env = cfg.environment(env_id)
        who = identity(caller)
        require(env, who)  # before anything is read with the service's credentials
        given = PlanInput.from_json(body.get("input"))
        plan = build_plan_from(
            given, env, self.policy.target(env, cfg, caller), who, destinations=destinations
        )
        while len(self.plans) >= MAX_PLANS:
            self.plans.pop(next(iter(self.plans)))
        self.plans[plan.id] = plan
        return plan

    def plan(self, caller: Caller, plan_id: str) -> Plan:
        """A review ``caller`` made; anybody else's is as absent as an expired one."""
        plan = self.plans.get(plan_id)
        if plan is None or plan.user.username != caller.name:
            raise NotFound(
                "This review is no longer available (the service restarted or it expired); review again."
            )
        return plan

    def submit(self, caller: Caller, plan_id: str, message: Any) -> dict[str, Any]:
        """Land a reviewed plan with the service's credentials (or the caller's own GitLab token where
        the environment's ``gitlab_identity`` is ``user``); rights are checked again first."""
        if not isinstance(message, str):
            raise InvalidInput("'message' must be text.")
        plan = self.plan(caller, plan_id)
        cfg = self.policy.promotion()
        env = cfg.environment(plan.environment.id)
        require(env, identity(caller))  # the configuration or the caller's groups may have changed
        promotion = submit(plan, self.policy.target(env, cfg, caller), cfg.audit_trail(), message)
        self.plans.pop(plan_id, None)
        return promotion.to_json()

    def merge_request(self, caller: Caller, env_id: str, iid: int) -> dict[str, Any]:
        """A merge request of ``env_id`` for a caller who may promote there."""
        cfg = self.policy.promotion()
        env = cfg.environment(env_id)
        require(env, identity(caller))
        return self.policy.target(env, cfg, caller).merge_request(iid)

    async def history(self, caller: Caller, env_id: str | None, limit: int) -> dict[str, Any]:
        """The last promotions the caller may see (the environments they may promote to), newest first."""
        check_limit(limit)
        cfg = self.policy.promotion()
        if env_id is not None and env_id not in {e.id for e in cfg.environments}:
            names = ", ".join(e.id for e in cfg.environments) or "none"
            raise InvalidInput(f"There is no deployment environment called {env_id!r} (configured: {names}).")
        ids, hidden = history_scope(cfg, identity(caller), env_id)
        history = await asyncio.to_thread(read_history, cfg.audit_log, ids, limit)
        by_id = {e.id: e for e in cfg.environments}
        joined = await join_pipelines(history.entries, cfg, self.policy.gitlab_token)
        return {
            "environment": env_id,
            "limit": limit,
            "entries": [
                entry_json(e, joined, by_id.get(e.environment), cfg.gitlab_url) for e in history.entries
            ],
            "torn_last_line": history.torn_last_line,
            "pipelines_error": joined.pipelines_error,
            "hidden_environments": hidden,
        }

    # Pipelines: seen by whoever may see the environment's promotions, run by whoever may promote there.

    def pipeline_environments(self, caller: Caller) -> dict[str, Any]:
        """Every environment the caller may see, and whether it has pipelines."""
        who = identity(caller)
        out = []
        for env in self.policy.promotion().environments:
            if not may_see_history(env, who).allowed:
                continue
            out.append(
                {
                    "id": env.id,
                    "branch": env.branch,
                    "gitlab_project": env.gitlab_project,
                    "pipelines": has_pipelines(env),
                    "reason": "" if has_pipelines(env) else NO_PIPELINES,
                    "may_run": decide(env, who, "run pipelines of").allowed,
                }
            )
        return {"environments": out}

    def _ci(self, caller: Caller, env_id: str, *, run: bool = False) -> tuple[Environment, EnvironmentCI]:
        cfg = self.policy.promotion()
        env = cfg.environment(env_id)
        # One rule (the environment's allow lists), worded for what was asked.
        decision = decide(env, identity(caller), "run pipelines of" if run else "see the pipelines of")
        if not decision.allowed:
            raise Forbidden(decision.reason)
        # pipelines and jobs asked for by id must have run on this environment's branch
        return env, EnvironmentCI(self.policy.ci_target(env, cfg), self.policy.gitlab_token)

    async def pipelines(self, caller: Caller, env_id: str, limit: int) -> dict[str, Any]:
        """The newest pipelines of the environment's branch, with jobs."""
        if not 1 <= limit <= MAX_PIPELINES:
            raise InvalidInput(f"'limit' must be between 1 and {MAX_PIPELINES}.")
        env, client = self._ci(caller, env_id)
        async with client as ci:
            found = await ci.pipelines(limit)
        return {
            "environment": env.id,
            "branch": env.branch,
            "gitlab_project": env.gitlab_project,
            "pipelines": [p.to_json() for p in found],
        }

    async def run_pipeline(self, caller: Caller, env_id: str, variables: Any) -> dict[str, Any]:
        """Start a pipeline on the environment's branch (callers who may promote there only)."""
        if not isinstance(variables, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float | bool) for k, v in variables.items()
        ):
            raise InvalidInput("'variables' must be an object of variable names to text values.")
        env, client = self._ci(caller, env_id, run=True)
        async with client as ci:
            pipeline = await ci.trigger({k: str(v) for k, v in variables.items()}, caller.name)
        return pipeline.to_json()

    async def pipeline(self, caller: Caller, env_id: str, pipeline_id: int) -> dict[str, Any]:
        """One pipeline with its jobs."""
        env, client = self._ci(caller, env_id)
        async with client as ci:
            return (await ci.pipeline(pipeline_id)).to_json()

    async def test_report(self, caller: Caller, env_id: str, pipeline_id: int) -> dict[str, Any]:
        """The pipeline's JUnit summary."""
        _, client = self._ci(caller, env_id)
        async with client as ci:
            return (await ci.test_report(pipeline_id)).to_json()

    async def job(self, caller: Caller, env_id: str, job_id: int) -> dict[str, Any]:
        """One job."""
        _, client = self._ci(caller, env_id)
        async with client as ci:
            job = await ci.job(job_id)
        return {**asdict(job), "finished": job.finished}

    async def job_log(self, caller: Caller, env_id: str, job_id: int, offset: int) -> dict[str, Any]:
        """The job's log after byte ``offset``."""
        if offset < 0:
            raise InvalidInput("'offset' must be at least 0.")
        _, client = self._ci(caller, env_id)
        async with client as ci:
            job, log = await ci.job_log(job_id)  # status first: a log read after the end is complete
        piece = slice_trace(log, offset)
        return {
            "job_id": job.id,
            "status": job.status,
            "finished": job.finished,
            "offset": piece.offset,
            "next_offset": piece.next_offset,
            "content": piece.content,
            "reset": piece.reset,
        }
