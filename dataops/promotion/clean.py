"""Strip a notebook for review: no outputs, no execution counts, no volatile metadata.

Kept: cell ids, cell tags (so the ``parameters`` cell stays a papermill parameters cell), the
``jupyter`` and ``name`` cell metadata, attachments, and the notebook's kernelspec, language name
and jupytext pairing. Everything else (timings, widget state, papermill run records, scroll and
collapse state) changes on every run and would make every promotion a diff.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from dataops.errors import MalformedMessage

KEPT_CELL_METADATA = ("tags", "jupyter", "name", "editable", "deletable")
KEPT_NOTEBOOK_METADATA = ("kernelspec", "jupytext")


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook as nbformat 4, or `MalformedMessage` naming the file."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a broken file
        raise MalformedMessage(f"{path.name} is not a readable Jupyter notebook: {exc}") from exc


def notebook_from_bytes(data: bytes, name: str) -> NotebookNode:
    """A notebook from its bytes as nbformat 4, or `MalformedMessage` naming the file ``name``."""
    try:
        return nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a broken file
        raise MalformedMessage(f"{name} is not a readable Jupyter notebook: {exc}") from exc


def clean_notebook(nb: NotebookNode) -> NotebookNode:
    """A stripped copy of ``nb`` (the input is not changed)."""
    out = copy.deepcopy(nb)
    meta = {k: out.metadata[k] for k in KEPT_NOTEBOOK_METADATA if k in out.metadata}
    language = out.metadata.get("language_info", {}).get("name")
    if language:
        meta["language_info"] = {"name": language}
    out.metadata = nbformat.from_dict(meta)
    for cell in out.cells:
        cell.metadata = nbformat.from_dict(
            {k: cell.metadata[k] for k in KEPT_CELL_METADATA if k in cell.metadata}
        )
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return out


def is_r_notebook(nb: NotebookNode) -> bool:
    """Is ``nb`` written in R (its kernelspec's or its language_info's language)?"""
    language = nb.metadata.get("kernelspec", {}).get("language") or nb.metadata.get("language_info", {}).get(
        "name"
    )
    return str(language or "").lower() == "r"


def notebook_bytes(nb: NotebookNode) -> bytes:
    """The notebook as written by Jupyter (one-space indent, trailing newline)."""
    return (nbformat.writes(nb) + "\n").encode()
