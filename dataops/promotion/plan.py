"""A promotion plan: the exact files that would land, where, their diff, and the secret scan.

The plan remembers the target branch's head commit it was reviewed against (``base_commit``);
submitting lands exactly the reviewed bytes, and only if the branch has not moved since.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from dataops.errors import Forbidden, InvalidInput
from dataops.metadata.registry import METADATA_DIR, PROCESSES_DIR
from dataops.promotion import secrets
from dataops.promotion.access import Identity
from dataops.promotion.clean import clean_notebook, notebook_bytes, notebook_from_bytes
from dataops.promotion.config import Environment
from dataops.promotion.diff import FileDiff, notebook_diff, text_diff
from dataops.promotion.export import to_percent_script
from dataops.promotion.inputs import PlanInput, collect_input
from dataops.promotion.metadata import broken_rules, is_metadata_path, metadata_destination
from dataops.promotion.targets import Target

KIND_FOLDERS = {".ipynb": "notebooks", ".py": "steps", ".bpmn": "processes", ".R": "steps"}


@dataclass
class PlannedFile:
    """One file of the promotion."""

    source: str  # path under the root the user works in ("" for the generated .py)
    destination: str  # path in the deployment repository
    kind: str  # notebook, script, module, step, process, metadata, file
    content: bytes
    diff: FileDiff
    last_commit_id: str | None = None

    def to_json(self, scan: secrets.ScanResult) -> dict[str, Any]:
        diff = self.diff.to_json()
        diff["lines"] = [scan.mask(line) for line in diff["lines"]]
        for cell in diff.get("cells") or []:
            cell["diff"] = [scan.mask(line) for line in cell["diff"]]
        return {
            "source": self.source,
            "destination": self.destination,
            "kind": self.kind,
            "size": len(self.content),
            "status": self.diff.status,
            "diff": diff,
        }


@dataclass
class Plan:
    """What a submit would do; shown to the user for review."""

    environment: Environment
    user: Identity
    source: str
    files: list[PlannedFile]
    base_commit: str | None
    scan: secrets.ScanResult
    mode: str  # "commit" or "merge_request"
    review_branch: str = ""
    metadata_problems: list[str] = field(default_factory=list)  # rules of `dataops metadata check` it breaks
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def default_message(self) -> str:
        name = PurePosixPath(self.source).name
        return f"Promote {name} to {self.environment.id}\n\nPromoted by {self.user.username}."

    @property
    def changed(self) -> bool:
        return any(f.diff.status != "unchanged" for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.id,
            "environment": self.environment.id,
            "branch": self.environment.branch,
            "base_commit": self.base_commit,
            "mode": self.mode,
            "review_branch": self.review_branch,
            "source": self.source,
            "files": [f.to_json(self.scan) for f in self.files],  # found secrets masked in diffs
            "scan": self.scan.to_json(),
            "changed": self.changed,
            "metadata_problems": self.metadata_problems,
            "can_submit": self.scan.clean and self.changed and not self.metadata_problems,
            "default_message": self.default_message,
            "user": self.user.username,
            "created_at": self.created_at,
        }


def build_plan(
    root: Path,
    source: str,
    env: Environment,
    target: Target,
    who: Identity,
    *,
    extra_files: list[str] | tuple[str, ...] = (),
    destinations: dict[str, str] | None = None,
) -> Plan:
    """Read, clean, export and scan ``source`` (relative to ``root``) and diff it against ``env``'s branch."""
    collected = collect_input(root, source, extra_files)
    return build_plan_from(collected, env, target, who, destinations=destinations)


def build_plan_from(
    given: PlanInput,
    env: Environment,
    target: Target,
    who: Identity,
    *,
    destinations: dict[str, str] | None = None,
) -> Plan:
    """Clean, export and scan the files of ``given`` (bytes, no filesystem) and diff them against
    ``env``'s branch read through ``target``."""
    files, findings = _collect(given.check(), env)
    for planned in files:
        wanted = (destinations or {}).get(planned.destination)  # keyed by the proposed destination
        if wanted:
            planned.destination = check_destination(wanted)
    _no_duplicates(files)
    for planned in files:
        if env.protects(planned.destination):
            raise Forbidden(
                f"{planned.destination} is a protected path in environment {env.id!r} (CI configuration "
                "and repository settings): a promotion may not write it. An administrator can change the "
                "environment's protected_paths."
            )
    state = target.read(env.branch, [f.destination for f in files])
    for planned in files:
        old = state.files.get(planned.destination)
        planned.last_commit_id = old.last_commit_id if old else None
        differ = notebook_diff if planned.kind == "notebook" else text_diff
        planned.diff = differ(old.content if old else None, planned.content, planned.destination)
    protected = env.protected or (state.protected and not state.can_push)
    stem = PurePosixPath(given.source).stem
    review = f"promote/{env.id}/{_slug(stem)}" if protected else ""
    scan = secrets.ScanResult(findings, [f.source or f.destination for f in files])
    problems: list[str] = []
    if any(is_metadata_path(f.destination) for f in files):
        before = target.files_under(env.branch, [METADATA_DIR, PROCESSES_DIR])
        problems = broken_rules(before, {f.destination: f.content for f in files}, env.branch)
    return Plan(
        env,
        who,
        given.source,
        files,
        state.base_commit,
        scan,
        "merge_request" if protected else "commit",
        review,
        problems,
    )


def _collect(given: PlanInput, env: Environment) -> tuple[list[PlannedFile], list[secrets.Finding]]:
    rel = given.source
    main = PurePosixPath(rel)
    files: list[PlannedFile] = []
    findings: list[list[secrets.Finding]] = []
    kind_folder = env.folder(KIND_FOLDERS.get(main.suffix, "steps"))
    if main.suffix == ".ipynb":
        original = notebook_from_bytes(given.files[rel], main.name)
        cleaned = clean_notebook(original)
        script = to_percent_script(cleaned)
        in_notebook = secrets.scan_notebook(original, rel)
        findings.append(in_notebook)
        files.append(_file(rel, f"{kind_folder}/{main.name}", "notebook", notebook_bytes(cleaned)))
        py_dest = f"{kind_folder}/{main.stem}.py"
        files.append(_file("", py_dest, "script", script))
        # The .py is generated from the cells: a secret there was already reported in its cell.
        findings.append(secrets.unseen(secrets.scan_text(script.decode(), py_dest), in_notebook))
        for mrel in given.modules:
            dest = f"{kind_folder}/{_under(PurePosixPath(mrel), main.parent)}"
            files.append(_read(given.files[mrel], mrel, dest, "module", findings))
    elif metadata_destination(rel):
        files.append(_read(given.files[rel], rel, str(metadata_destination(rel)), "metadata", findings))
    else:
        kind = "step" if main.suffix == ".py" else "process"
        files.append(_read(given.files[rel], rel, f"{kind_folder}/{main.name}", kind, findings))
    for erel in given.extras:
        if erel not in {f.source for f in files}:
            path = PurePosixPath(erel)
            at = metadata_destination(erel)
            dest = at or f"{env.folder(KIND_FOLDERS.get(path.suffix, 'steps'))}/{path.name}"
            files.append(_read(given.files[erel], erel, dest, "metadata" if at else "file", findings))
    return files, secrets.merge(*findings)


def _under(path: PurePosixPath, folder: PurePosixPath) -> str:
    return path.as_posix() if folder == PurePosixPath(".") else path.relative_to(folder).as_posix()


def _file(source: str, dest: str, kind: str, content: bytes) -> PlannedFile:
    return PlannedFile(source, dest, kind, content, FileDiff("new"))


def _read(data: bytes, rel: str, dest: str, kind: str, findings: list[list[secrets.Finding]]) -> PlannedFile:
    if rel.endswith(".ipynb"):
        findings.append(secrets.scan_notebook(notebook_from_bytes(data, PurePosixPath(rel).name), rel))
    else:
        findings.append(secrets.scan_text(data.decode("utf-8", errors="replace"), rel))
    return _file(rel, dest, kind, data)


def check_destination(dest: str) -> str:
    """A safe relative path inside the deployment repository, or `InvalidInput` saying why not."""
    path = PurePosixPath(dest.strip())
    if (
        not dest.strip()
        or path.is_absolute()
        or ".." in path.parts
        or ".git" in {p.lower() for p in path.parts}
    ):
        raise InvalidInput(
            f"The destination {dest!r} must be a relative path inside the repository, "
            "without '..' and not under .git."
        )
    return path.as_posix()


def _no_duplicates(files: list[PlannedFile]) -> None:
    seen: dict[str, str] = {}
    for f in files:
        if f.destination in seen:
            raise InvalidInput(f"Two files would be written to {f.destination}; change one destination.")
        seen[f.destination] = f.source


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-").lower() or "promotion"
