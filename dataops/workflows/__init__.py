"""Workflow capability: BPMN processes on a Camunda 7-compatible engine, Python step workers, logs.

```python
import dataops.workflows as wf
run = wf.start("sdmx_production", variables={"flow": "EXR"}); run.logs(follow=True)
```

Names are imported lazily so that a step module importing `step` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "definitions": "dataops.workflows.api",
    "publish": "dataops.workflows.api",
    "start": "dataops.workflows.api",
    "run": "dataops.workflows.api",
    "runs": "dataops.workflows.api",
    "Run": "dataops.workflows.api",
    "step": "dataops.workflows.steps",
    "BpmnError": "dataops.workflows.steps",
    "Task": "dataops.workflows.steps",
    "try_step": "dataops.workflows.trial",
    "StepTrial": "dataops.workflows.trial",
    "Worker": "dataops.workflows.worker",
    "LogRecord": "dataops.workflows.logs",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dataops.workflows' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
