"""What every dashboard publishing target shares: the app, its publication, the target protocol."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

AppKind = Literal["shiny", "voila"]
"""An R Shiny app (a folder with ``app.R``, or ``ui.R`` and ``server.R``) or a notebook shown by Voilà."""


@dataclass(frozen=True)
class DashboardApp:
    """One app of a checkout's ``dashboards/`` folder: its name (folder or notebook stem) and files."""

    name: str
    kind: AppKind
    path: Path


@dataclass(frozen=True)
class Published:
    """One app as a target serves it: where users open it, which commit, and since when."""

    name: str
    kind: AppKind
    target: str
    url: str
    commit: str
    published_at: datetime

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "kind": self.kind,
            "target": self.target,
            "url": self.url,
            "commit": self.commit,
            "published_at": self.published_at.isoformat(),
        }


class DashboardTarget(Protocol):
    """Where one environment's dashboards are published (Shiny Server, Voilà, Posit Connect).

    ``publish`` replaces the app's previous version whole or leaves it as it was (never half a copy),
    and raises a `dataops.errors.DataOpsError` whose message says what the target refused.
    ``published`` reads the target's own state: what it serves now, not what was once asked of it.
    """

    kind: str

    def publish(self, app: DashboardApp, *, commit: str) -> Published: ...

    def published(self) -> list[Published]: ...
