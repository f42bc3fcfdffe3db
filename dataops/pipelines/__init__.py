"""Pipelines: notebooks as regression tests (`dataops run`), the deployment repository's GitLab CI,
and its pipelines and live job logs (``dataops.pipelines(env=...)``, ``dataops.pipeline(id)``).
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    """``dataops.pipelines`` is both this package and the public function of the same name.

    Python binds an imported sub-package as an attribute of its parent, which would hide the lazy
    ``dataops.pipelines`` function once anything under ``dataops.pipelines`` is imported; calling the
    package forwards to the function, so ``dataops.pipelines(env="test")`` works either way.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from dataops.pipelines.api import pipelines

        return pipelines(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
