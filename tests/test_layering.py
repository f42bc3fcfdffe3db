"""The house rules that keep the layers apart, checked on the source so a new module cannot break them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("dataops", "jupyterlab_dataops")
# Web-server and JupyterLab packages the core must not need: kernels, workers and CI jobs import it.
SERVER_ONLY = ("tornado", "jupyter_server", "jupyterlab", "notebook", "jupyterhub")


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (REPO / package).rglob("*.py") if "labextension" not in p.parts)


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((a.name, [], node.lineno) for a in node.names)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_imports_another_modules_private_names(package):
    offences = [
        f"{path.relative_to(REPO)}:{line} imports {name} from {module}"
        for path in _modules(package)
        for module, names, line in _imports(path)
        for name in names
        if name.startswith("_") and not name.startswith("__") and module.startswith(PACKAGES)
    ]
    assert offences == []


def test_the_core_library_imports_no_web_server_or_jupyterlab():
    offences = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for path in _modules("dataops")
        if "service" not in path.relative_to(REPO / "dataops").parts[:1]
        for module, _, line in _imports(path)
        if module.split(".")[0] in SERVER_ONLY
    ]
    assert offences == []
