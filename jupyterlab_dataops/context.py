"""What every handler shares: the merged dataops configuration and per-capability settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dataops.config import Config


@dataclass
class DataOpsContext:
    """Server-wide state, built once by the extension app."""

    config: Config
    data: Any
    workflows: Any
    promotion: Any
    services: dict[str, Any] = field(default_factory=dict)
