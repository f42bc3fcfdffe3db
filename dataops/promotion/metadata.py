"""Metadata in a promotion: where artefact and process-configuration files land, and the review's check.

An artefact file (``metadata/<kind>s/AGENCY+ID+VERSION.xml`` or ``.json``) and a process's
configuration (``processes/<key>.toml``, ``processes/<key>.schema.json``) land at the same relative
path in the deployment repository, whatever folder above ``metadata/`` or ``processes/`` the user
keeps them in. The review runs `dataops.metadata.check` on the branch as it would be after the
promotion, against the branch as it is: the rules the promotion would break refuse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from dataops.metadata import Registry, check
from dataops.metadata.affected import Counter, affected
from dataops.metadata.artefacts import Codelist
from dataops.metadata.registry import FOLDERS, METADATA_DIR, PROCESSES_DIR, Problem

ARTEFACT_SUFFIXES = (".xml", ".json")
CONFIG_SUFFIXES = (".toml", ".schema.json")


def metadata_destination(rel: str) -> str | None:
    """The path in the deployment repository of a metadata or process-configuration file at ``rel``
    (relative to the folder the user works in), or None when ``rel`` is neither."""
    parts = PurePosixPath(rel).parts
    name = parts[-1] if parts else ""
    for i, part in enumerate(parts[:-1]):
        if (
            part == METADATA_DIR
            and i == len(parts) - 3
            and parts[i + 1] in FOLDERS.values()
            and name.endswith(ARTEFACT_SUFFIXES)
        ):
            return "/".join(parts[i:])
        if part == PROCESSES_DIR and i == len(parts) - 2 and name.endswith(CONFIG_SUFFIXES):
            return "/".join(parts[i:])
    return None


def is_metadata_path(destination: str) -> bool:
    """Is ``destination`` (a path in the deployment repository) one the metadata check reads?"""
    return metadata_destination(destination) == destination


def broken_rules(
    before: Mapping[str, bytes],
    landing: Mapping[str, bytes],
    origin: str,
    counter: Counter | None = None,
) -> list[str]:
    """The sentences of the metadata rules the branch would break once ``landing`` (destination →
    content) is written over ``before`` (the branch's ``metadata/`` and ``processes/`` files), and
    that it does not break already; empty when no metadata file lands. With a ``counter`` of the
    store, a codelist that drops a code stored series still use is refused too, naming them."""
    changed = {path: data for path, data in landing.items() if is_metadata_path(path)}
    if not changed:
        return []
    now = Registry(dict(before), origin)
    after = Registry({**before, **changed}, f"{origin} after this promotion")
    known = {p.sentence for p in check(now)}
    broken = [p.sentence for p in check(after, base=now) if p.sentence not in known]
    return broken + _stored_codes_removed(now, after, set(changed), counter)


def store_counter() -> Counter | None:
    """The series counter of the store this process's configuration names (None without one)."""
    from dataops.settings import resolve
    from dataops.store.usage import SeriesCounter

    return SeriesCounter.from_config(resolve().config)


def _stored_codes_removed(
    now: Registry, after: Registry, paths: set[str], counter: Counter | None
) -> list[str]:
    out = []
    for ref, path in after.file_of.items():
        art = after.by_ref[ref]
        if path not in paths or not isinstance(art, Codelist):
            continue
        used = affected(now, art, counter)
        if used:
            rule = "a code stored data use is deprecated, not removed"
            out.append(
                Problem(
                    path,
                    str(ref),
                    rule,
                    f"it removes codes stored series use: {'; '.join(a.sentence for a in used)}",
                ).sentence
            )
    return out
