"""What the service holds for workflows: one engine client per environment (with its credentials),
the shared run-log store, and the rights of a caller on an environment or a run."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from dataops.config import Config, load_config
from dataops.errors import NotConfigured
from dataops.promotion.access import Identity
from dataops.service.hub import Caller
from dataops.workflows.access import Decision, environment_rights, may_operate, may_view, run_rights
from dataops.workflows.camunda import AsyncCamundaEngine
from dataops.workflows.config import WorkflowsConfig
from dataops.workflows.environments import WorkflowEnvironment, environments_from_config, find_environment
from dataops.workflows.logs import open_log_store
from dataops.workflows.models import Run
from dataops.workflows.service import WorkflowsService
from dataops.workflows.watch import Watches, jsonable


def identity(caller: Caller) -> Identity:
    """The hub's caller as the rules take it."""
    return Identity(username=caller.name, groups=caller.groups)


@dataclass
class EnvironmentFlows:
    """One environment: its rules and the engine client and log sync of its engine."""

    env: WorkflowEnvironment
    service: WorkflowsService


class ServiceFlows:
    """Every workflow environment of the service's policy, read once at start."""

    def __init__(self, config: Config | None = None) -> None:
        config = config if config is not None else load_config()
        self.environments = environments_from_config(config)
        # The shared run-log store (PostgreSQL where workers on other hosts write, else SQLite).
        self.store = open_log_store(WorkflowsConfig.from_config(config).log_location)
        self._flows: dict[str, EnvironmentFlows] = {}

    def environment(self, env_id: str) -> EnvironmentFlows:
        """The environment ``env_id`` with its engine client; `NotFound` for an unknown id."""
        if not self.environments:
            raise NotConfigured(
                "The DataOps service has no workflow environments: the administrator lists them as "
                "[[workflows.environments]] in the service's configuration."
            )
        env = find_environment(self.environments, env_id)
        flows = self._flows.get(env.id)
        if flows is None:
            engine = AsyncCamundaEngine(env.engine_url, username=env.username, password=env.password)
            cfg = WorkflowsConfig(engine_url=env.engine_url)
            service = WorkflowsService(cfg, engine, self.store, Watches(engine, self.store))
            flows = self._flows[env.id] = EnvironmentFlows(env, service)
        return flows

    def environments_json(self, caller: Caller) -> list[dict[str, Any]]:
        """Each environment with what ``caller`` may do there."""
        who = identity(caller)
        return [{**env.to_json(), "may": environment_rights(who, env)} for env in self.environments]

    def require_view(self, caller: Caller, env: WorkflowEnvironment) -> None:
        """`Forbidden` with the sentence unless ``caller`` may see ``env``'s runs."""
        may_view(identity(caller), env).require()

    async def run_of(self, caller: Caller, flows: EnvironmentFlows, run_id: str) -> Run:
        """The run ``run_id`` on the environment's engine (`NotFound` when it is another engine's),
        once ``caller`` may see it."""
        self.require_view(caller, flows.env)
        return await flows.service.engine.run(run_id)

    async def operate(self, caller: Caller, flows: EnvironmentFlows, run_id: str, action: str) -> Decision:
        """Whether ``caller`` may ``action`` the run: it must be a run of this environment."""
        await self.run_of(caller, flows, run_id)
        starters = await asyncio.to_thread(self.store.starters, [run_id])
        return may_operate(identity(caller), flows.env, starters.get(run_id), action)

    async def runs_json(
        self, caller: Caller, env: WorkflowEnvironment, runs: list[Run]
    ) -> list[dict[str, Any]]:
        """``runs`` as JSON, each with who started it and what ``caller`` may do to it."""
        starters = await asyncio.to_thread(self.store.starters, [r.id for r in runs])
        who = identity(caller)
        return [
            {**jsonable(r), "started_by": starters.get(r.id), "may": run_rights(who, env, starters.get(r.id))}
            for r in runs
        ]

    async def close(self) -> None:
        """Close the engine connections and the store."""
        for flows in self._flows.values():
            await flows.service.engine.aclose()
        self.store.close()
