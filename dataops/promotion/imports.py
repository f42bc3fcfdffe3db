"""Find the local modules a notebook imports, so they are promoted with it: a Python notebook's
imports, an R notebook's ``source("file.R")`` calls."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

from nbformat import NotebookNode


def notebook_code(nb: NotebookNode) -> list[str]:
    """The Python source of each code cell, with IPython magics and shell escapes removed."""
    sources = []
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.source.lstrip().startswith("%%"):
            continue
        lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        sources.append("\n".join(lines))
    return sources


def imported_names(source: str) -> set[tuple[str, int]]:
    """``(module, level)`` for every import statement (level > 0 for relative imports)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()  # a cell that is not Python (e.g. a cell in another language) imports nothing
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name, 0) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add((node.module or "", node.level))
            found |= {(f"{node.module}.{a.name}" if node.module else a.name, node.level) for a in node.names}
    return found


def local_imports(nb: NotebookNode, folder: Path) -> list[Path]:
    """Files under ``folder`` that the notebook imports, directly or through other local modules."""
    seen: set[Path] = set()
    queue = [(src, folder) for src in notebook_code(nb)]
    while queue:
        source, base = queue.pop()
        for name, level in imported_names(source):
            for path in _resolve(name, level, base, folder):
                if path not in seen:
                    seen.add(path)
                    queue.append((path.read_text(encoding="utf-8", errors="replace"), path.parent))
    return sorted(seen)


def _resolve(name: str, level: int, base: Path, root: Path) -> Iterable[Path]:
    start = root if level == 0 else _up(base, level - 1)
    parts = [p for p in name.split(".") if p]
    here = start
    for part in parts:
        package, module = here / part, here / f"{part}.py"
        if package.is_dir() and (package / "__init__.py").is_file():
            if root.resolve() in package.resolve().parents or package.resolve() == root.resolve():
                yield package / "__init__.py"
            here = package
        elif module.is_file() and root.resolve() in module.resolve().parents:
            yield module
            return
        else:
            return  # not a local module: an installed package, the standard library, or outside the folder


def _up(path: Path, levels: int) -> Path:
    for _ in range(levels):
        path = path.parent
    return path


# ``source("x.R")`` or ``sys.source(file = 'x.R')`` with a literal path: what R notebooks use for
# local code (a path built at run time cannot be followed, as in Python).
_R_SOURCE = re.compile(r"""\b(?:sys\.)?source\(\s*(?:file\s*=\s*)?["']([^"']+)["']""")


def r_local_sources(nb: NotebookNode, folder: Path) -> list[Path]:
    """Files under ``folder`` that an R notebook ``source()``s, directly or through the files it
    sources. Paths are read from the notebook's folder, where `dataops run` runs it (R's
    ``source`` reads them from the working folder, also inside a sourced file)."""
    root = folder.resolve()
    seen: set[Path] = set()
    queue = list(notebook_code(nb))
    while queue:
        for name in _R_SOURCE.findall(queue.pop()):
            path = (folder / name).resolve()
            if root in path.parents and path.is_file() and path not in seen:
                seen.add(path)
                queue.append(path.read_text(encoding="utf-8", errors="replace"))
    return sorted(seen)
