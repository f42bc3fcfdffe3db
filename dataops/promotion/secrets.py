"""Secret scanning with detect-secrets, pointing every finding at a file, cell and line.

detect-secrets reads files line by line with per-language patterns, so a password inside a
notebook's JSON (``"password = \\"...\\""``) is invisible to it. A notebook is therefore scanned
three ways: each cell's decoded source, outputs and metadata as its own small file (which also
gives cell and line), the notebook JSON itself, and its ``.py`` export. Secret values never leave
this module: findings carry a hash and a masked preview only.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from detect_secrets import SecretsCollection
from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.settings import transient_settings
from nbformat import NotebookNode

from dataops.promotion.clean import is_r_notebook

# Public IP addresses are not credentials, and statistical notebooks name servers legitimately.
_SKIPPED_PLUGINS = {"Public IP (ipv4)"}
# Binary output data (plots) is base64 and would look like high-entropy secrets.
_BINARY_MIME = ("image/", "application/pdf", "application/vnd.")


@dataclass(frozen=True)
class Finding:
    """One suspected secret: where it is and what kind, never its value."""

    file: str
    kind: str
    line: int
    cell: int | None = None
    part: str = "file"
    secret_hash: str = ""
    preview: str = ""
    # kept only to mask diffs shown for review; never serialised
    value: str = field(default="", repr=False, compare=False)

    @property
    def sentence(self) -> str:
        """``analysis.ipynb, cell 3 (source), line 2: AWS Access Key``."""
        where = (
            f"cell {self.cell} ({self.part}), line {self.line}"
            if self.cell
            else f"{self.part} line {self.line}"
        )
        return f"{self.file}, {where}: {self.kind}"


@dataclass
class ScanResult:
    """Findings over all scanned files."""

    findings: list[Finding] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "scanned": self.scanned,
            "findings": [{**_public(f), "message": f.sentence} for f in self.findings],
        }

    def mask(self, text: str) -> str:
        """``text`` with every found secret value replaced by ``[secret]``."""
        for finding in self.findings:
            if finding.value:
                text = text.replace(finding.value, "[secret]")
        return text


def _public(finding: Finding) -> dict[str, Any]:
    out = asdict(finding)
    out.pop("value")
    return out


@dataclass
class _Piece:
    name: str  # a file name whose suffix picks detect-secrets' language rules
    text: str
    file: str
    cell: int | None
    part: str


def _plugins() -> list[dict[str, str]]:
    # detect-secrets annotates the classes with an unbound type variable, which mypy reads as `Never`.
    mapping: Mapping[str, type] = get_mapping_from_secret_type_to_class()
    return [{"name": cls.__name__} for kind, cls in mapping.items() if kind not in _SKIPPED_PLUGINS]


def _scan(pieces: list[_Piece]) -> list[Finding]:
    found: list[Finding] = []
    with tempfile.TemporaryDirectory() as tmp, transient_settings({"plugins_used": _plugins()}):
        collection = SecretsCollection(root=tmp)
        by_name = {}
        for i, piece in enumerate(pieces):
            name = f"{i}-{piece.name}"
            (Path(tmp) / name).write_text(piece.text, encoding="utf-8")
            by_name[name] = piece
            collection.scan_file(name)
        for name, secret in collection:
            piece = by_name[name]
            value = secret.secret_value or ""
            found.append(
                Finding(
                    piece.file,
                    _kind(secret.type, value),
                    secret.line_number,
                    piece.cell,
                    piece.part,
                    secret.secret_hash,
                    _mask(value),
                    value,
                )
            )
    return found


def _kind(kind: str, value: str) -> str:
    """detect-secrets names AWS secret access keys "AWS Access Key" too; tell the two apart."""
    if kind == "AWS Access Key" and not _AWS_KEY_ID.match(value):
        return "AWS Secret Access Key"
    return kind


def _mask(value: str) -> str:
    return (value[:2] + "…" + f"({len(value)} characters)") if len(value) > 4 else "…"


def _output_text(output: NotebookNode) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return "\n".join([output.get("ename", ""), output.get("evalue", ""), *output.get("traceback", [])])
    texts = []
    for mime, value in output.get("data", {}).items():
        if mime.startswith(_BINARY_MIME):
            continue
        texts.append(value if isinstance(value, str) else json.dumps(value, indent=1))
    return "\n".join(texts)


def _without_binary(nb: NotebookNode) -> NotebookNode:
    out = copy.deepcopy(nb)
    for cell in out.cells:
        cell.pop("attachments", None)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in [m for m in data if m.startswith(_BINARY_MIME)]:
                del data[mime]
    return out


def scan_notebook(nb: NotebookNode, file: str) -> list[Finding]:
    """Findings in every cell's source, outputs and metadata, the notebook metadata and its JSON."""
    pieces = [_Piece("metadata.json", json.dumps(nb.metadata, indent=1), file, None, "notebook metadata")]
    in_r = is_r_notebook(nb)
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            pieces.append(_Piece("cell.md", cell.source, file, number, "source"))
        elif in_r:
            pieces.append(_Piece("cell.R", as_assignments(cell.source), file, number, "source"))
        else:
            pieces.append(_Piece("cell.py", cell.source, file, number, "source"))
        outputs = "\n".join(_output_text(o) for o in cell.get("outputs", []))
        if outputs.strip():
            pieces.append(_Piece("outputs.txt", outputs, file, number, "output"))
        if cell.metadata:
            pieces.append(
                _Piece("metadata.json", json.dumps(cell.metadata, indent=1), file, number, "metadata")
            )
        # Attachments land with the notebook: their decoded bytes are scanned like any text.
        for bundle in (cell.get("attachments") or {}).values():
            for mime, data in bundle.items():
                pieces.append(
                    _Piece("attachment.txt", _attachment_text(mime, data), file, number, "attachment")
                )
    located = _scan(pieces)
    raw = _scan([_Piece("notebook.ipynb", nbformat.writes(_without_binary(nb)), file, None, "notebook JSON")])
    return located + unseen(raw, located)


_AWS_KEY_ID = re.compile(r"(A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}")
_PRINTABLE_RUN = re.compile(rb"[\x20-\x7e]{8,}")


def _attachment_text(mime: str, data: object) -> str:
    """An attachment's content as text: base64 payloads decoded, JSON bundles written out."""
    if not isinstance(data, str):
        return json.dumps(data)
    try:
        raw = base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return data
    if mime.startswith("text/") or mime.endswith(("json", "xml", "+xml", "javascript")):
        return raw.decode("utf-8", errors="replace")
    # An image or other binary: its printable runs, one a line, as `strings` shows them.
    return "\n".join(run.decode("ascii") for run in _PRINTABLE_RUN.findall(raw))


def scan_text(text: str, file: str, *, part: str = "file") -> list[Finding]:
    """Findings in one text file (a ``.py`` or ``.R`` export, a step module, a BPMN definition)."""
    if Path(file).suffix in R_SUFFIXES:
        text = as_assignments(text)
    return _scan([_Piece(Path(file).name, text, file, None, part)])


R_SUFFIXES = (".R", ".r")
_R_ASSIGNMENT = re.compile(r"<<?-")


def as_assignments(r_source: str) -> str:
    """R source with ``<-`` and ``<<-`` written ``=``, line for line: detect-secrets' keyword rules know
    ``password = "..."`` but not ``password <- "..."``, R's usual assignment."""
    return _R_ASSIGNMENT.sub("=", r_source)


def unseen(findings: list[Finding], known: list[Finding]) -> list[Finding]:
    """The findings whose secret is not already among ``known`` (the same secret seen through another view).

    One secret found twice, in a cell and in the notebook's JSON or its generated ``.py``, is one
    finding: the same hash, or one value inside the other (a detector may take a longer run of
    characters around it).
    """
    hashes = {f.secret_hash for f in known}
    values = [f.value for f in known if f.value]
    out = []
    for finding in findings:
        seen = finding.secret_hash in hashes or any(
            finding.value and (finding.value in v or v in finding.value) for v in values
        )
        if not seen:
            hashes.add(finding.secret_hash)
            values.append(finding.value)
            out.append(finding)
    return out


def merge(*groups: list[Finding]) -> list[Finding]:
    """Concatenate finding lists, keeping the first (best located) report of each secret per file."""
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for group in groups:
        for finding in group:
            key = (finding.file.rsplit(".", 1)[0], finding.secret_hash)
            if key not in seen:
                seen.add(key)
                out.append(finding)
    return out
