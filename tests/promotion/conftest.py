"""Fixtures for promotion tests: notebooks on disk, a git server, the GitLab fake, a configuration."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tests.fakes.git_http import git_server  # noqa: F401
from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401


def write_notebook(path: Path, cells: list, **metadata) -> Path:
    """Write an nbformat 4 notebook with the given cells."""
    nb = new_notebook(cells=cells, metadata=metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A user's folder with an executed analysis notebook that imports a local helper module."""
    root = tmp_path / "work"
    root.mkdir()
    (root / "helpers.py").write_text("def scale(x):\n    return x * 100\n")
    params = new_code_cell("year = 2025\nregion = 'EA'", metadata={"tags": ["parameters"]})
    code = new_code_cell("import pandas as pd\nimport helpers\nprint(helpers.scale(year))", execution_count=3)
    code.outputs = [new_output("stream", name="stdout", text="202500\n")]
    code.metadata["ExecuteTime"] = {"start_time": "2026-11-26T10:00:00Z"}
    code.metadata["collapsed"] = False
    write_notebook(
        root / "analysis.ipynb",
        [new_markdown_cell("# Inflation analysis"), params, code],
        kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
        language_info={"name": "python", "version": "3.11.9"},
        widgets={"application/vnd.jupyter.widget-state+json": {"state": {}}},
    )
    return root
