"""dataops: statistical data production from Python — SDMX data, BPMN workflows, promotion.

Public functions are imported lazily so that ``import dataops`` stays fast in a kernel.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("dataops-core")
except PackageNotFoundError:
    __version__ = "0.0.0+unknown"

_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ("sources", "dataflows", "structure", "read_structure", "read", "read_file", "to_wide"),
        "dataops.sdmx.api",
    ),
    **dict.fromkeys(("write", "vintages", "revisions", "diff"), "dataops.store.api"),
    **dict.fromkeys(("list_pipelines", "pipeline"), "dataops.pipelines.api"),
    **dict.fromkeys(("promote", "promotions"), "dataops.promotion.api"),
    "readers_info": "dataops.sdmx.readers.info",
    "promote_dashboard": "dataops.dashboards.promotion",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dataops' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
