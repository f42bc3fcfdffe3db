"""JupyterLab DataOps: server extension and the prebuilt labextension."""

from jupyterlab_dataops._version import __version__
from jupyterlab_dataops.app import DataOpsApp

__all__ = ["DataOpsApp", "__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-dataops"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    return [{"module": "jupyterlab_dataops", "app": DataOpsApp}]
