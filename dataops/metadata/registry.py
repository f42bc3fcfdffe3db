"""The metadata registry: the SDMX artefacts and process configurations of one folder.

The folder is a checkout of an environment's deployment branch, or a user's working copy::

    metadata/codelists/ECB+CL_FREQ+1.0.0.xml     one artefact version per file, SDMX-ML 3.0
    metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.1.0.xml
    processes/sdmx_production.toml               a process's configuration (with ``version``)
    processes/sdmx_production.schema.json        the JSON Schema that configuration must meet

Every version of an artefact is its own file, so the registry answers for any version; what a
change is and which version bump it needs is `dataops.metadata.versioning`'s.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dataops.errors import DataOpsError, InvalidInput, InvalidMetadata, NotFound
from dataops.metadata.artefacts import KINDS, Artefact, DataConstraint, Dataflow, Ref
from dataops.metadata.constraints import Allowed, allowed_codes
from dataops.metadata.sdmxjson import read_json_artefacts
from dataops.metadata.sdmxml import read_artefacts, sdmx_version
from dataops.metadata.structures import find_flow, structure_for, to_model_dataflow
from dataops.metadata.versioning import Version
from dataops.sdmx import model
from dataops.sdmx.memo import StructureMemo
from dataops.sdmx.query import FlowRef
from dataops.sdmx.xml_safety import parse_tree

# Registries of git commits already read (a commit never changes); the store asks per write.
_REVISIONS = StructureMemo(max_entries=8)
METADATA_DIR = "metadata"
PROCESSES_DIR = "processes"
FOLDERS = {
    "codelist": "codelists",
    "conceptscheme": "conceptschemes",
    "datastructure": "datastructures",
    "dataflow": "dataflows",
    "dataconstraint": "dataconstraints",
}


@dataclass(frozen=True)
class Problem:
    """A broken rule: the file, the artefact (or process) it concerns, the rule, what is wrong."""

    file: str
    artefact: str
    rule: str
    message: str

    @property
    def sentence(self) -> str:
        """``file, artefact: what is wrong (rule: …).`` as the CLI, the pipeline and errors print it."""
        where = f"{self.file}, {self.artefact}" if self.artefact else self.file
        return f"{where}: {self.message.rstrip('.')} (rule: {self.rule})."


def artefact_path(ref: Ref, suffix: str = ".xml") -> str:
    """The file of one artefact version, relative to the folder: ``metadata/<kind>s/AGENCY+ID+VERSION.xml``
    (``.json`` for one written in SDMX-JSON 2.0)."""
    return f"{METADATA_DIR}/{FOLDERS[ref.kind]}/{ref.agency}+{ref.id}+{ref.version}{suffix}"


def read_artefact_file(data: bytes, file: str) -> Artefact:
    """The one artefact of a registry file; `InvalidMetadata` (``details``: file, rule) otherwise."""

    def broken(rule: str, message: str) -> InvalidMetadata:
        problem = Problem(file, "", rule, message)
        return InvalidMetadata(problem.sentence, details={"file": file, "rule": rule, "message": message})

    as_json = file.endswith(".json")
    try:
        if as_json:
            found: list[Artefact] | None = read_json_artefacts(data, file)
        else:
            found = read_artefacts(data, file) if sdmx_version(parse_tree(data, file)) == "3.0" else None
    except DataOpsError as exc:
        reason = exc.message.removeprefix(f"{file}: ").removeprefix(file).strip()
        reason = f"the file {reason}" if reason.startswith(("is ", "has ", "declares ")) else reason
        raise broken(
            f"artefacts are well-formed {'SDMX-JSON 2.0' if as_json else 'SDMX-ML 3.0'}", reason
        ) from None
    if found is None:
        raise broken(
            "artefacts are SDMX-ML 3.0 or SDMX-JSON 2.0", "the file is not an SDMX-ML 3.0 structure message"
        )
    if len(found) != 1:
        raise broken(
            "one artefact per file, so a review shows one change per file",
            f"the file holds {len(found)} artefacts",
        )
    return found[0]


class Registry:
    """The artefacts and process configurations of a folder, read once (build a new one to re-read).

    Files that break a rule are kept out and listed in ``problems``; `dataops.metadata.check`
    adds the rules that need the whole folder (references, versioning).
    """

    def __init__(self, files: dict[str, bytes], origin: str = "") -> None:
        self.origin = origin
        self.files = files
        self.problems: list[Problem] = []
        self.by_ref: dict[Ref, Artefact] = {}
        self.file_of: dict[Ref, str] = {}
        for name in sorted(files):
            if name.startswith(METADATA_DIR + "/") and name.endswith((".xml", ".json")):
                self._add(name)

    @classmethod
    def open(cls, folder: Path | str) -> Registry:
        """The registry of a folder on disk (its ``metadata/`` and ``processes/``)."""
        root = Path(folder).expanduser()
        if not root.is_dir():
            raise NotFound(f"The metadata folder {root} does not exist.")
        files = {
            p.relative_to(root).as_posix(): p.read_bytes()
            for sub in (METADATA_DIR, PROCESSES_DIR)
            if (root / sub).is_dir()
            for p in sorted((root / sub).rglob("*"))
            if p.is_file()
        }
        return cls(files, str(root))

    @classmethod
    def at_revision(cls, repo: Path | str, revision: str) -> Registry:
        """The registry as it is at ``revision`` (a branch such as ``deploy/test``, or a commit) of a
        git repository; the same commit asked again is answered from memory (the same object, so
        treat it as read-only)."""
        if revision.startswith("-"):
            raise InvalidInput(f"{revision!r} is not a git revision.")

        def git(*args: str, stdin: bytes | None = None) -> bytes:
            done = subprocess.run(
                ["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False
            )
            if done.returncode:
                raise NotFound(f"git could not read {revision} of {repo}: {done.stderr.decode().strip()}")
            return done.stdout

        commit = git("rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}").decode().strip()

        def build() -> Registry:
            listing = git("ls-tree", "-r", "-z", commit, "--", METADATA_DIR, PROCESSES_DIR).split(b"\0")
            # "<mode> blob <sha>\t<path>": every file's content in one `git cat-file --batch`.
            entries = [e.split(b"\t", 1) for e in listing if e]
            blobs = [(head.split()[2], path.decode()) for head, path in entries if head.split()[1] == b"blob"]
            out = git("cat-file", "--batch", stdin=b"".join(sha + b"\n" for sha, _ in blobs))
            files, at = {}, 0
            for _, path in blobs:
                header_end = out.index(b"\n", at)
                size = int(out[at:header_end].split()[2])
                files[path] = out[header_end + 1 : header_end + 1 + size]
                at = header_end + 1 + size + 1
            return cls(files, f"{repo}@{revision}")

        return _REVISIONS.recall((str(Path(repo).resolve()), commit, revision), commit, build)

    def _add(self, name: str) -> None:
        try:
            art = read_artefact_file(self.files[name], name)
        except InvalidMetadata as exc:
            self.problems.append(Problem(name, "", exc.details["rule"], exc.details["message"]))
            return
        if art.ref in self.by_ref:
            self.problems.append(
                Problem(
                    name,
                    str(art.ref),
                    "one file per artefact version",
                    f"{self.file_of[art.ref]} holds the same version",
                )
            )
            return
        self.by_ref[art.ref] = art
        self.file_of[art.ref] = name

    # -- queries -------------------------------------------------------------------------------

    def artefacts(self, kind: str | None = None) -> list[Artefact]:
        """Every artefact version (of ``kind`` when given), by kind, agency, id and version."""
        if kind is not None and kind not in KINDS:
            raise InvalidInput(f"{kind!r} is not an artefact kind; the registry holds {', '.join(KINDS)}.")
        found = [a for a in self.by_ref.values() if kind is None or a.kind == kind]
        return sorted(found, key=lambda a: (a.kind, a.agency, a.id, _order(a.version)))

    def versions(self, kind: str, agency: str, art_id: str) -> list[Artefact]:
        """Every version of one artefact, oldest first."""
        return [a for a in self.artefacts(kind) if (a.agency, a.id) == (agency, art_id)]

    def get(self, kind: str, agency: str, art_id: str, version: str = "") -> Artefact:
        """One artefact version (``version`` empty or ``latest``: the latest); `NotFound` says what exists."""
        found = [a for a in self.artefacts(kind) if a.id == art_id and (not agency or a.agency == agency)]
        if version and version != "latest":
            found = [a for a in found if a.version == version]
        if not found:
            have = sorted({a.version for a in self.artefacts(kind) if a.id == art_id})
            hint = f"it has versions {', '.join(have)}" if have else f"it holds no {kind} {art_id}"
            raise NotFound(
                f"The metadata registry {self.origin} has no {kind} {agency or '*'}:{art_id}({version or 'latest'}); {hint}."
            )
        return found[-1]

    def resolve(self, ref: Ref) -> Artefact:
        """The artefact a reference names, exactly that version."""
        return self.get(ref.kind, ref.agency, ref.id, ref.version)

    def dataflows(self) -> list[model.Dataflow]:
        """Every version of every dataflow, as the query model's stubs."""
        return [to_model_dataflow(f) for f in self.artefacts("dataflow") if isinstance(f, Dataflow)]

    def structure_for(self, flow_ref: str | FlowRef) -> tuple[model.Dataflow, model.Structure]:
        """Dataflow ``flow_ref`` (``ECB:EXR(1.0.0)``, no version: the latest) and its structure,
        codelists and concepts resolved in the versions referenced (`InvalidMetadata` when one is missing)."""
        return structure_for(self, flow_ref)

    def allowed(self, flow_ref: str | FlowRef, at: date | str | None = None) -> Allowed:
        """The codes the allowed constraints let dataflow ``flow_ref`` hold (see `Allowed.check`).

        The constraints are those attached to this very version of the dataflow or of its data
        structure, each in its latest version (the SDMX 3.1 technical specifications keep earlier
        versions of a constraint as history only) and valid at ``at`` (default: today). Several
        constraints on one dimension all apply.
        """
        flow = find_flow(self, flow_ref)
        day = (at if isinstance(at, str) else (at or date.today()).isoformat())[:10]
        targets = {flow.ref, *([flow.structure] if flow.structure else [])}
        latest: dict[tuple[str, str, str], Artefact] = {}
        for con in self.artefacts("dataconstraint"):
            latest[con.ref.key] = con  # artefacts() is oldest first, so the last one stays
        applied: list[DataConstraint] = []
        for con in latest.values():
            assert isinstance(con, DataConstraint)
            if con.role != "Allowed" or not targets & set(con.attachments):
                continue
            if (con.valid_from and con.valid_from[:10] > day) or (con.valid_to and con.valid_to[:10] < day):
                continue
            applied.append(con)
        codes: dict[str, frozenset[str]] = {}
        universe = self.codelist_codes(flow_ref)
        for con in applied:
            for dim, allowed in allowed_codes(con, universe).items():
                codes[dim] = codes[dim] & allowed if dim in codes else allowed
        return Allowed(flow.ref, tuple(c.ref for c in applied), codes)

    def codelist_codes(self, flow_ref: str | FlowRef) -> dict[str, frozenset[str]]:
        """Each coded dimension's codes (from its codelist) for dataflow ``flow_ref``."""
        _, dsd = self.structure_for(flow_ref)
        return {d.id: frozenset(d.codes["id"].astype(str)) for d in dsd.dimensions if len(d.codes)}


def _order(version: str) -> tuple:
    try:
        v = Version.parse(version)
    except InvalidInput:
        return (-1, version)
    # A release sorts after its drafts (1.0.0-draft < 1.0.0).
    return (v.major, v.minor, v.patch, v.extension == "", v.extension)
