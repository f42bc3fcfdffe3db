"""The notebook as a jupytext percent-format ``.py`` file, so reviewers read plain Python."""

from __future__ import annotations

import jupytext
from nbformat import NotebookNode


def to_percent_script(nb: NotebookNode) -> bytes:
    """``# %%`` cells; markdown as comments; the parameters cell keeps its tag."""
    return jupytext.writes(nb, fmt="py:percent").encode()
