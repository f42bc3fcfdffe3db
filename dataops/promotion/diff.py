"""What changes on the target branch: cell by cell for notebooks, line by line for text files."""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import nbformat


@dataclass
class CellChange:
    """One cell: ``added``, ``removed``, ``modified`` or ``unchanged``, with a line diff of its source."""

    status: str
    cell_type: str
    old_index: int | None
    new_index: int | None
    diff: list[str] = field(default_factory=list)


@dataclass
class FileDiff:
    """The change to one file: ``new``, ``modified`` or ``unchanged``; ``cells`` for notebooks."""

    status: str
    lines: list[str] = field(default_factory=list)
    cells: list[CellChange] | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def text_diff(old: bytes | None, new: bytes, path: str) -> FileDiff:
    """Unified diff of two text versions (``old`` None: a new file)."""
    old_text = "" if old is None else old.decode("utf-8", errors="replace")
    lines = list(
        difflib.unified_diff(
            old_text.splitlines(),
            new.decode("utf-8", errors="replace").splitlines(),
            f"a/{path}",
            f"b/{path}",
            lineterm="",
        )
    )
    return FileDiff(_status(old, new), lines)


def notebook_diff(old: bytes | None, new: bytes, path: str) -> FileDiff:
    """Cell-level diff: cells matched by id where both sides have ids, else by source."""
    new_cells = _cells(new)
    old_cells = _cells(old) if old is not None else []
    keys_old, keys_new = [_key(c) for c in old_cells], [_key(c) for c in new_cells]
    changes: list[CellChange] = []
    matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                a, b = old_cells[i], new_cells[j]
                if a.source == b.source and a.cell_type == b.cell_type:
                    changes.append(CellChange("unchanged", b.cell_type, i, j))
                else:
                    changes.append(CellChange("modified", b.cell_type, i, j, _lines(a.source, b.source)))
            continue
        for i in range(i1, i2):
            changes.append(
                CellChange("removed", old_cells[i].cell_type, i, None, _lines(old_cells[i].source, ""))
            )
        for j in range(j1, j2):
            changes.append(
                CellChange("added", new_cells[j].cell_type, None, j, _lines("", new_cells[j].source))
            )
    # the paired .py carries the line-level view; the notebook JSON's line diff would be noise
    return FileDiff(_status(old, new), [], changes)


def _cells(data: bytes) -> list[Any]:
    try:
        return list(nbformat.reads(data.decode("utf-8"), as_version=4).cells)
    except (json.JSONDecodeError, UnicodeDecodeError, nbformat.reader.NotJSONError):
        return []  # the file on the branch is not a notebook; the line diff still shows the change


def _key(cell: Any) -> str:
    return cell.get("id") or f"{cell.cell_type}:{cell.source}"


def _lines(old: str, new: str) -> list[str]:
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2))[2:]


def _status(old: bytes | None, new: bytes) -> str:
    return "new" if old is None else ("unchanged" if old == new else "modified")
