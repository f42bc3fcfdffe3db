"""The server's services, one per capability, built once by `DataOpsApp` and shared by the handlers.

Each service reads the current `Settings` from one `SettingsResolver`, so an administrator's edit
of a configuration file applies without restarting the server.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field

from dataops.config import Config
from dataops.pipelines.environment import EnvironmentCI, visible_target
from dataops.promotion.access import Identity
from dataops.promotion.config import PromotionConfig
from dataops.promotion.credentials import gitlab_token
from dataops.promotion.plan import Plan
from dataops.sdmx.model import Dataflow
from dataops.settings import Settings, SettingsResolver
from dataops.workflows.service import Workflows

DATAFLOWS_TTL = 300.0  # the panel searches as the user types: a source's parsed flows are kept this long


@dataclass
class DataService:
    """The data capability: the resolved configuration the SDMX calls take, and the preview limit."""

    settings: Callable[[], Settings]
    preview_max_series: int = 50
    _flows: dict[Hashable, tuple[float, list[Dataflow]]] = field(default_factory=dict, init=False, repr=False)

    def config(self) -> Config:
        """The configuration with the server's overrides applied."""
        return self.settings().config

    async def dataflows(
        self, source: Hashable, load: Callable[[], Awaitable[list[Dataflow]]]
    ) -> list[Dataflow]:
        """``source``'s dataflows from ``load``, kept for `DATAFLOWS_TTL` seconds (a changed source
        is another key)."""
        hit = self._flows.get(source)
        if hit and time.monotonic() - hit[0] < DATAFLOWS_TTL:
            return hit[1]
        flows = await load()
        self._flows[source] = (time.monotonic(), flows)
        return flows


@dataclass
class PromotionService:
    """The promotion and pipelines capability: environments, targets, GitLab, the reviewed plans."""

    settings: Callable[[], Settings]
    plans: dict[str, Plan] = field(default_factory=dict)
    display_name: str = ""  # the server account's name when there is no hub (`jupyterlab_dataops.identity`)

    def config(self) -> PromotionConfig:
        """The ``[promotion]`` settings with the server's overrides applied."""
        return self.settings().promotion

    def ci(self, env_id: str, who: Identity) -> EnvironmentCI:
        """``env_id``'s pipelines as ``who`` may see them (`Forbidden` with the sentence when not)."""
        return EnvironmentCI(visible_target(self.settings(), env_id, who), self.gitlab_token)

    def gitlab_token(self) -> str:
        """The server's GitLab token (variable or 0600 file, as configured)."""
        cfg = self.config()
        return gitlab_token(cfg.token_env, cfg.token_file)


@dataclass
class DataOpsContext:
    """Server-wide state: the settings resolver and one service per capability."""

    settings: SettingsResolver
    data: DataService
    workflows: Workflows
    promotion: PromotionService
