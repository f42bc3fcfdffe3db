"""What a promoted notebook looks like, and which local modules travel with it."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from dataops.config import Config
from dataops.errors import ConfigError, InvalidInput, NotFound
from dataops.promotion.access import Identity
from dataops.promotion.clean import clean_notebook, notebook_bytes, read_notebook
from dataops.promotion.config import Environment, PromotionConfig
from dataops.promotion.export import to_percent_script
from dataops.promotion.imports import local_imports
from dataops.promotion.plan import build_plan
from dataops.promotion.targets.git import GitTarget
from tests.promotion.conftest import write_notebook


def test_cleaning_drops_outputs_and_volatile_metadata_but_keeps_parameters_and_ids(workspace):
    original = read_notebook(workspace / "analysis.ipynb")
    cleaned = json.loads(notebook_bytes(clean_notebook(original)))
    assert set(cleaned["metadata"]) == {"kernelspec", "language_info"}
    assert cleaned["metadata"]["language_info"] == {"name": "python"}
    params, code = cleaned["cells"][1], cleaned["cells"][2]
    assert params["metadata"] == {"tags": ["parameters"]}
    assert code["outputs"] == [] and code["execution_count"] is None and code["metadata"] == {}
    assert [c["id"] for c in cleaned["cells"]] == [c.id for c in original.cells]
    assert original.cells[2].outputs  # the user's notebook is not touched


def test_percent_script_is_plain_python_with_the_parameters_tag(workspace):
    script = to_percent_script(clean_notebook(read_notebook(workspace / "analysis.ipynb"))).decode()
    assert '# %% tags=["parameters"]\nyear = 2025' in script
    assert "# # Inflation analysis" in script
    assert "202500" not in script  # outputs are not code


def test_local_imports_are_found_transitively_and_installed_packages_ignored(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from .weights import W\n")
    (tmp_path / "pkg" / "weights.py").write_text("import numpy\nW = 1\n")
    (tmp_path / "util.py").write_text("import pkg\n")
    (tmp_path / "unused.py").write_text("")
    cells = [new_code_cell("%matplotlib inline\nimport pandas as pd, os\nfrom util import *\n!ls")]
    nb = nbformat.read(write_notebook(tmp_path / "nb.ipynb", cells), as_version=4)
    found = [p.relative_to(tmp_path).as_posix() for p in local_imports(nb, tmp_path)]
    assert found == ["pkg/__init__.py", "pkg/weights.py", "util.py"]


def test_environment_configuration_is_checked():
    cfg = PromotionConfig.from_config(
        Config(
            {"promotion": {"environments": [{"id": "dev", "branch": "deploy/dev", "remote": "/srv/x.git"}]}}
        )
    )
    assert cfg.environment("dev").target_kind == "git" and cfg.environment("dev").folder("steps") == "steps"
    with pytest.raises(NotFound, match="configured: dev"):
        cfg.environment("prod")
    bad = {"id": "dev", "branch": "b", "remote": "r", "gitlab_project": "g"}
    with pytest.raises(ConfigError, match="both a remote and a gitlab_project"):
        PromotionConfig.from_config(Config({"promotion": {"environments": [bad]}}))
    with pytest.raises(ConfigError, match="unknown setting"):
        PromotionConfig.from_config(
            Config({"promotion": {"environments": [{"id": "x", "branch": "b", "brnch": 1}]}})
        )


def test_a_package_whose_init_links_outside_the_folder_is_refused(workspace, tmp_path):
    outside = tmp_path / "elsewhere.py"
    outside.write_text("TOKEN = 'from outside the Jupyter root'\n")
    (workspace / "pkg").mkdir()
    (workspace / "pkg" / "__init__.py").symlink_to(outside)
    nb = nbformat.read(workspace / "analysis.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import pkg"))
    nbformat.write(nb, workspace / "analysis.ipynb")
    env = Environment("dev", "deploy/dev", remote="/srv/unused.git")

    with pytest.raises(InvalidInput, match="pkg/__init__.py is outside the folder this server works in"):
        build_plan(workspace, "analysis.ipynb", env, GitTarget("/srv/unused.git"), Identity("alice"))
