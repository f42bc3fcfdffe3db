"""The notebook as a jupytext percent-format script, so reviewers read plain code: ``.py`` for a
Python notebook, ``.R`` for an R notebook (jupytext's R percent format)."""

from __future__ import annotations

import jupytext
from nbformat import NotebookNode

from dataops.promotion.clean import is_r_notebook


def to_percent_script(nb: NotebookNode) -> bytes:
    """``# %%`` cells; markdown as comments; the parameters cell keeps its tag."""
    return jupytext.writes(nb, fmt="py:percent").encode()


def paired_script(nb: NotebookNode) -> tuple[str, bytes]:
    """The suffix (``.py`` or ``.R``) and content of the notebook's paired percent-format script."""
    if is_r_notebook(nb):
        return ".R", jupytext.writes(nb, fmt="R:percent").encode()
    return ".py", to_percent_script(nb)
