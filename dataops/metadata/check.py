"""The rules a metadata folder must meet before it is promoted or run: `check`.

Schemas (each file well-formed SDMX-ML 3.0, one artefact, at its own path; each process
configuration against its JSON Schema), references (every artefact, codelist, concept and
constrained dimension named exists) and versioning (each version's bump at least what its change
needs; a version that exists in ``base`` keeps its content).
"""

from __future__ import annotations

from dataops.errors import InvalidInput, InvalidMetadata
from dataops.metadata.artefacts import Artefact, ConceptScheme, DataConstraint, DataStructure
from dataops.metadata.processes import config_keys, load_config
from dataops.metadata.registry import PROCESSES_DIR, Problem, Registry, artefact_path
from dataops.metadata.versioning import Version, diff

REFERENCES = "every reference resolves"
VERSIONING = "SDMX semantic versioning: the bump is at least what the change needs"
RELEASED = "a released version never changes; a change gets a new version"


def check(registry: Registry, base: Registry | None = None) -> list[Problem]:
    """Every broken rule of ``registry`` (compared with ``base``, e.g. the target branch, when given)."""
    problems = list(registry.problems)
    for art in registry.artefacts():
        file = registry.file_of[art.ref]
        problems += _own(art, file)
        problems += _references(registry, art, file)
    for versions in _by_artefact(registry).values():
        for old, new in zip(versions, versions[1:], strict=False):
            try:
                found = diff(old, new).problem()
            except InvalidInput as exc:
                found = exc.message
            if found:
                problems.append(Problem(registry.file_of[new.ref], str(new.ref), VERSIONING, found))
    for key in config_keys(registry):
        try:
            load_config(registry, key)
        except InvalidMetadata as exc:
            d = exc.details
            problems.append(Problem(d["file"], f"configuration of process {key}", d["rule"], d["message"]))
    if base is not None:
        problems += _against(registry, base)
    return problems


def _by_artefact(registry: Registry) -> dict[tuple[str, str, str], list[Artefact]]:
    out: dict[tuple[str, str, str], list[Artefact]] = {}
    for art in registry.artefacts():  # oldest version first
        out.setdefault(art.ref.key, []).append(art)
    return out


def _own(art: Artefact, file: str) -> list[Problem]:
    out = []
    try:
        Version.parse(art.version)
    except InvalidInput as exc:
        out.append(Problem(file, str(art.ref), "versions are MAJOR.MINOR.PATCH", exc.message))
    expected = artefact_path(art.ref, ".json" if file.endswith(".json") else ".xml")
    if file != expected:
        out.append(
            Problem(
                file,
                str(art.ref),
                "one file per artefact version, named after it",
                f"the file should be {expected}",
            )
        )
    return out


def _references(registry: Registry, art: Artefact, file: str) -> list[Problem]:
    out = [
        Problem(file, str(art.ref), REFERENCES, f"it refers to {ref}, which the registry does not hold")
        for ref in art.references()
        if ref not in registry.by_ref
    ]
    if isinstance(art, DataStructure):
        for comp in art.components():
            scheme = registry.by_ref.get(comp.concept.scheme) if comp.concept else None
            if (
                isinstance(scheme, ConceptScheme)
                and comp.concept
                and comp.concept.id not in {c.id for c in scheme.concepts}
            ):
                out.append(
                    Problem(
                        file,
                        str(art.ref),
                        REFERENCES,
                        f"concept {comp.concept.id} of component {comp.id} is not in {scheme.ref}",
                    )
                )
    if isinstance(art, DataConstraint):
        for target in art.attachments:
            if target.kind != "dataflow" or target not in registry.by_ref:
                continue
            try:
                codes = registry.codelist_codes(f"{target.agency}:{target.id}({target.version})")
            except InvalidMetadata:
                continue  # reported on the dataflow or its structure
            for region in art.regions:
                for kv in region.key_values:
                    if kv.id not in codes:
                        continue
                    unknown = [v for v in kv.values if v not in codes[kv.id]]
                    if unknown:
                        out.append(
                            Problem(
                                file,
                                str(art.ref),
                                REFERENCES,
                                f"{kv.id} lists {', '.join(unknown)}, which its codelist does not hold",
                            )
                        )
    return out


def _against(registry: Registry, base: Registry) -> list[Problem]:
    out = []
    for ref, art in registry.by_ref.items():
        before = base.by_ref.get(ref)
        if before is not None and before != art and not Version.parse(ref.version).extension:
            d = diff(before, art)
            what = "; ".join(c.what for c in d.changes)
            out.append(
                Problem(registry.file_of[ref], str(ref), RELEASED, f"it differs from {base.origin}: {what}")
            )
    for key in config_keys(registry):
        name = f"{PROCESSES_DIR}/{key}.toml"
        if name in base.files and base.files[name] != registry.files[name]:
            try:
                now, was = load_config(registry, key), load_config(base, key)
            except InvalidMetadata:
                continue  # reported above
            if now.version == was.version and now.values != was.values:
                out.append(
                    Problem(
                        name,
                        f"configuration of process {key}",
                        RELEASED,
                        f"it changed but keeps version {now.version}",
                    )
                )
    return out
