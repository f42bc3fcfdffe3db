"""Writing artefacts into a folder's ``metadata/``: one file per version, refused when the version is too small.

What the editors and ``dataops metadata import`` call. A new version is compared with the latest
earlier one; a version number smaller than the change needs is refused before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from dataops.errors import InvalidMetadata
from dataops.metadata.artefacts import Artefact
from dataops.metadata.check import RELEASED, VERSIONING
from dataops.metadata.registry import Problem, Registry, artefact_path
from dataops.metadata.sdmxjson import read_json_artefacts
from dataops.metadata.sdmxml import read_artefacts
from dataops.metadata.versioning import Bump, Version, diff
from dataops.metadata.writer import write_artefact


def next_version(version: str, bump: Bump) -> str:
    """``version`` raised by ``bump`` (``1.2.3`` + minor → ``1.3.0``; a legacy ``1.0`` becomes ``1.0.1``, …)."""
    v = Version.parse(version)
    if bump is Bump.MAJOR:
        return f"{v.major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{v.major}.{v.minor + 1}.0"
    if bump is Bump.PATCH:
        return f"{v.major}.{v.minor}.{v.patch + 1}"
    return f"{v.major}.{v.minor}.{v.patch}"


def proposed_version(registry: Registry, art: Artefact) -> str:
    """The version SDMX versioning calls for if ``art``'s content replaced the latest version held."""
    earlier = registry.versions(art.kind, art.agency, art.id)
    if not earlier:
        return art.version
    latest = earlier[-1]
    change = diff(latest, type(art)(**{**art.__dict__, "version": latest.version}))
    return next_version(latest.version, change.required) if change.required else latest.version


def save(
    folder: Path | str, art: Artefact, registry: Registry | None = None, *, versioning: bool = True
) -> Path:
    """Write ``art`` to its file under ``folder``; `InvalidMetadata` when it rewrites a released
    version, or (``versioning``) when its version is too small for its change against the latest
    earlier version."""
    reg = registry if registry is not None else Registry.open(folder)
    problem = _refusal(reg, art, versioning)
    if problem is not None:
        raise problem
    target = Path(folder) / artefact_path(art.ref)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(write_artefact(art))
    return target


def _refusal(reg: Registry, art: Artefact, versioning: bool) -> InvalidMetadata | None:
    path = artefact_path(art.ref)
    existing = reg.by_ref.get(art.ref)
    if existing is not None and existing != art and not Version.parse(art.version).extension:
        what = "; ".join(c.what for c in diff(existing, art).changes)
        return _refused(path, art, RELEASED, f"version {art.version} exists with other content ({what})")
    earlier = [a for a in reg.versions(art.kind, art.agency, art.id) if _key(a.version) < _key(art.version)]
    if versioning and earlier:
        problem = diff(earlier[-1], art).problem()
        if problem:
            return _refused(path, art, VERSIONING, problem)
    return None


def _key(version: str) -> tuple[int, int, int]:
    v = Version.parse(version)
    return (v.major, v.minor, v.patch)


def _refused(path: str, art: Artefact, rule: str, message: str) -> InvalidMetadata:
    return InvalidMetadata(
        Problem(path, str(art.ref), rule, message).sentence,
        details={"file": path, "rule": rule, "message": message},
    )


def import_message(folder: Path | str, message: Path | str) -> list[Path]:
    """Split an SDMX-ML 2.1 or 3.0 (or SDMX-JSON 2.0) structure message into the folder's SDMX-ML 3.0
    files (one per artefact).

    Artefacts come in as their maintainer versioned them (``dataops metadata check`` reports what
    breaks SDMX versioning); nothing is written when one would rewrite a version already held.
    """
    source = Path(message)
    data = source.read_bytes()
    if data.lstrip()[:1] == b"{":
        arts = read_json_artefacts(data, str(source))
    else:
        arts = read_artefacts(data, str(source))
    registry = Registry.open(folder) if Path(folder).is_dir() else Registry({}, str(folder))
    for art in arts:
        problem = _refusal(registry, art, versioning=False)
        if problem is not None:
            raise problem
    return [save(folder, art, registry, versioning=False) for art in arts]
