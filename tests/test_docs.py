"""The documentation describes the tree as it is.

ARCHITECTURE.md names repository paths in backticks. A name that starts with a top-level entry of the
repository (`dataops/sdmx/cache.py`, `tests/server/`, `processes/*.bpmn`) is a path from the root. Any
other name that looks like a path (it holds a `/` or ends in a source file's extension: `sources.py`,
`readers/`, `handlers/base.py`) is relative to the last folder written in full (from the root, ending in
`/`) before it in the same table row or paragraph, or to the root when the row or paragraph has none.
`<placeholder>` segments and `*` are wildcards that must match something. Names in fenced code blocks
are checked when they start with a top-level entry.

README.md, ARCHITECTURE.md, CONTRIBUTING.md and docs/*.md link only to files that exist, and a `#fragment` names one
of the target's headings.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = [
    REPO / "README.md",
    REPO / "ARCHITECTURE.md",
    REPO / "CONTRIBUTING.md",
    *sorted((REPO / "docs").glob("*.md")),
]

# Words, dots, dashes, `*` and whole `<placeholder>`s between slashes: a name with spaces, braces, colons,
# `@` or `…` is code or a URL route, not a path.
PATH_CHARS = re.compile(r"(?:[\w.*-]|<\w+>)+(?:/(?:[\w.*-]|<\w+>)+)*/?")
PATH_SUFFIXES = {".py", ".ts", ".tsx", ".rs", ".json", ".bpmn", ".css", ".toml", ".yaml", ".sh", ".md"}
INLINE_CODE = re.compile(r"`([^`]+)`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _top_level(root: Path) -> set[str]:
    return {p.name for p in root.iterdir() if p.name != ".git"}


def _is_path_like(name: str) -> bool:
    return bool(PATH_CHARS.fullmatch(name)) and ("/" in name or Path(name).suffix in PATH_SUFFIXES)


def _split_row(line: str) -> list[str]:
    """The cells of a table row; a `|` inside backticks belongs to its cell."""
    cells, cell, in_code = [], "", False
    for char in line.strip().strip("|"):
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append(cell)
            cell = ""
        else:
            cell += char
    return [*cells, cell]


def _blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) per table row, paragraph (or heading) and fenced code block, in document order."""
    blocks: list[tuple[str, str]] = []
    paragraph: list[str] = []
    fence: list[str] | None = None

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(("prose", " ".join(paragraph)))
            paragraph.clear()

    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            end_paragraph()
            if fence is None:
                fence = []
            else:
                blocks.append(("code", "\n".join(fence)))
                fence = None
        elif fence is not None:
            fence.append(line)
        elif line.lstrip().startswith("|"):
            end_paragraph()
            blocks.append(("prose", " ".join(_split_row(line))))
        elif not line.strip() or line.startswith("#"):
            end_paragraph()
            if line.strip():
                blocks.append(("prose", line))
        else:
            paragraph.append(line)
    end_paragraph()
    return blocks


def _exists(root: Path, name: str) -> bool:
    pattern = re.sub(r"<[^>/]*>", "*", name).rstrip("/")
    if "*" in pattern:
        matches = list(root.glob(pattern))
    else:
        matches = [root / pattern] if (root / pattern).exists() else []
    if name.endswith("/"):
        matches = [m for m in matches if m.is_dir()]
    return bool(matches)


def named_paths(text: str, root: Path) -> list[tuple[str, str]]:
    """Every path a document names, as (name as written, path from the root), by the convention above."""
    top = _top_level(root)
    found: list[tuple[str, str]] = []
    for kind, block in _blocks(text):
        if kind == "code":
            for word in block.split():
                if "/" in word and word.split("/")[0] in top and PATH_CHARS.fullmatch(word):
                    found.append((word, word))
            continue
        folder = ""
        for name in INLINE_CODE.findall(block):
            if not _is_path_like(name):
                continue
            if name.split("/")[0] in top:
                found.append((name, name))
                if name.endswith("/") and "*" not in name and "<" not in name:
                    folder = name
            else:
                found.append((name, folder + name))
    return found


def missing_paths(doc: Path, root: Path) -> list[str]:
    """The names in `doc` whose path does not exist under `root`, each with the path it was read as."""
    return [
        f"`{name}` (read as {path})"
        for name, path in named_paths(doc.read_text(encoding="utf-8"), root)
        if not _exists(root, path)
    ]


def _anchors(doc: Path) -> set[str]:
    """The fragment ids GitHub gives the headings of `doc`."""
    anchors: set[str] = set()
    in_fence = False
    for line in doc.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if in_fence or not re.match(r"#{1,6} ", line):
            continue
        slug = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        anchor, n = slug, 0
        while anchor in anchors:
            n += 1
            anchor = f"{slug}-{n}"
        anchors.add(anchor)
    return anchors


def broken_links(doc: Path) -> list[str]:
    """The relative links and images of `doc` whose file, or heading for a `#fragment`, does not exist."""
    text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = INLINE_CODE.sub("", text)
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue
        file_part, _, fragment = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in _anchors(linked):
            broken.append(f"{target}: no heading #{fragment}")
    return broken


def test_every_path_architecture_names_exists():
    missing = missing_paths(REPO / "ARCHITECTURE.md", REPO)
    assert not missing, "ARCHITECTURE.md names paths that do not exist:\n" + "\n".join(missing)


def test_architecture_names_paths_at_all():
    names = [name for name, _ in named_paths((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8"), REPO)]
    assert "dataops/sdmx/" in names and "sources.py" in names


def test_every_relative_link_and_image_in_the_docs_resolves():
    broken = [f"{doc.relative_to(REPO)}: {link}" for doc in DOCS for link in broken_links(doc)]
    assert not broken, "Broken links:\n" + "\n".join(broken)


def test_a_name_in_a_row_resolves_within_the_rows_folder(tmp_path):
    (tmp_path / "dataops" / "sdmx" / "readers").mkdir(parents=True)
    (tmp_path / "dataops" / "sdmx" / "sources.py").touch()
    (tmp_path / "dataops" / "sdmx" / "readers" / "sniff.py").touch()
    (tmp_path / "dataops" / "errors.py").touch()
    doc = tmp_path / "ARCHITECTURE.md"
    doc.write_text(
        "| Data | `dataops/sdmx/`: `sources.py`, `readers/sniff.py`, `dataops/errors.py` |\n"
        "| Other | `sources.py` |\n"
        "\n"
        "The readers (`dataops/sdmx/readers/`): `sniff.py`, `sources.py`, `dataops.errors`.\n"
    )
    assert missing_paths(doc, tmp_path) == [
        "`sources.py` (read as sources.py)",
        "`sources.py` (read as dataops/sdmx/readers/sources.py)",
    ]


def test_a_renamed_module_is_reported(tmp_path):
    (tmp_path / "dataops" / "sdmx").mkdir(parents=True)
    (tmp_path / "dataops" / "sdmx" / "source_presets.py").touch()
    doc = tmp_path / "ARCHITECTURE.md"
    doc.write_text("| Data | `dataops/sdmx/`: `sources.py` |\n")
    assert missing_paths(doc, tmp_path) == ["`sources.py` (read as dataops/sdmx/sources.py)"]


def test_a_link_to_a_missing_file_or_heading_is_reported(tmp_path):
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "a.png").touch()
    (tmp_path / "guide.md").write_text("# Guide\n\n## Run logs: the store\n")
    doc = tmp_path / "README.md"
    doc.write_text(
        "![a](shots/a.png) ![b](shots/b.png) [g](guide.md#run-logs-the-store) [h](guide.md#speed)\n"
        "[web](https://example.org/x.md) `[not](a-link.md)`\n"
        "```\n[also not](a-link.md)\n```\n"
    )
    assert broken_links(doc) == ["shots/b.png: no such file", "guide.md#speed: no heading #speed"]


def test_no_doc_holds_a_merge_conflict_left_unresolved():
    markers = ("<<<<<<< ", "=======\n", ">>>>>>> ")
    left = [
        f"{doc.relative_to(REPO)}:{number}"
        for doc in DOCS
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(keepends=True), start=1)
        if line.startswith(markers)
    ]
    assert left == []
