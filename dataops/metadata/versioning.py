"""SDMX 3.0 semantic versioning: what changed between two versions of an artefact, and the bump it needs.

SDMX 3.0 versions maintainable artefacts as ``MAJOR.MINOR.PATCH`` (optionally ``-extension`` for a
draft that may still change). Which change needs which bump follows the SDMX Technical Working
Group's semantic versioning guidelines (github.com/sdmx-twg/semver, "General Recommendations for
Maintainable Artefacts" and "Artefact Specific Recommendations": Codelist, ConceptScheme,
DataStructure, Dataflow, DataConstraint), applied as the minimum bump:

- patch: names and descriptions, validity dates, what a constraint attaches to, a rewording of a
  constraint that allows the same codes;
- minor: a code or concept added, a code deprecated (or no longer), an optional attribute or a
  measure added, an attribute made optional, a constraint that allows more;
- major: a code or concept removed, a dimension added, removed, renamed or moved, a mandatory
  attribute added, an attribute removed or attached elsewhere, a representation changed, a
  constraint that allows less.

A reference that moves to another version of the same artefact needs the bump that separates the
two versions it pointed at ("Changing an artefact reference"); pointing at another artefact is major.
Legacy two-part versions (``1.0``) are read as ``1.0.0`` so the same rules apply to them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum

from dataops.errors import InvalidInput
from dataops.metadata.artefacts import (
    Artefact,
    Codelist,
    Component,
    ConceptScheme,
    DataConstraint,
    Dataflow,
    DataStructure,
    Ref,
    primary_language,
)
from dataops.metadata.constraints import EVERYTHING_ELSE, allowed_codes

Add = Callable[["Change"], None]  # records one change
_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$")


class Bump(IntEnum):
    """How far a version moves: the levels of ``MAJOR.MINOR.PATCH``."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def word(self) -> str:
        """``no``, ``patch``, ``minor`` or ``major``."""
        return "no" if self is Bump.NONE else self.name.lower()


@dataclass(frozen=True, order=True)
class Version:
    """A parsed version; ``extension`` is the draft label after ``-`` (empty for a release)."""

    major: int
    minor: int
    patch: int
    extension: str = ""

    @classmethod
    def parse(cls, text: str) -> Version:
        """``1.2.3``, ``1.2.3-draft`` or a legacy ``1.2``; `InvalidInput` for anything else."""
        m = _VERSION.match(text.strip())
        if not m:
            raise InvalidInput(
                f"{text!r} is not an SDMX version: SDMX 3.0 versions are MAJOR.MINOR.PATCH, e.g. 1.2.0."
            )
        return cls(int(m[1]), int(m[2] or 0), int(m[3] or 0), m[4] or "")


def bump_between(old: str, new: str) -> Bump:
    """The bump that takes version ``old`` to ``new`` (`InvalidInput` when ``new`` is not later)."""
    a, b = Version.parse(old), Version.parse(new)
    if (b.major, b.minor, b.patch) < (a.major, a.minor, a.patch):
        raise InvalidInput(f"Version {new} is lower than {old}; a new version must be higher.")
    if b.major != a.major:
        return Bump.MAJOR
    if b.minor != a.minor:
        return Bump.MINOR
    return Bump.PATCH if b.patch != a.patch else Bump.NONE


@dataclass(frozen=True)
class Change:
    """One difference, in words, with the minimum bump the SDMX rules ask for it."""

    what: str
    bump: Bump


@dataclass
class Diff:
    """What changed from artefact ``old`` to ``new`` and which bump that calls for."""

    old: Artefact
    new: Artefact
    changes: list[Change] = field(default_factory=list)

    @property
    def required(self) -> Bump:
        """The largest bump any change needs (``NONE`` when nothing changed)."""
        return max((c.bump for c in self.changes), default=Bump.NONE)

    @property
    def given(self) -> Bump:
        """The bump the two version numbers make."""
        return bump_between(self.old.version, self.new.version)

    @property
    def draft(self) -> bool:
        """Either version is a draft (``-extension``): drafts may change without a new version."""
        return bool(Version.parse(self.old.version).extension or Version.parse(self.new.version).extension)

    def problem(self) -> str:
        """Why the new version number is too small for the change, or ``""`` when it is enough."""
        if self.draft or self.given >= self.required:
            return ""
        worst = [c.what for c in self.changes if c.bump == self.required]
        bumped = "keeps the version" if self.given is Bump.NONE else f"is a {self.given.word} bump"
        return (
            f"{self.new.kind} {self.new.agency}:{self.new.id} {self.old.version} → {self.new.version} {bumped}, "
            f"but SDMX versioning asks for a {self.required.word} bump: {'; '.join(worst)}."
        )


def diff(old: Artefact, new: Artefact) -> Diff:
    """The changes from ``old`` to ``new`` (two versions of one artefact), each with its minimum bump."""
    if old.ref.key != new.ref.key:
        raise InvalidInput(f"{old.ref} and {new.ref} are different artefacts; diff compares versions of one.")
    out = Diff(old, new)
    add = out.changes.append
    if old.name != new.name:
        add(Change(f"name changed from {old.name!r} to {new.name!r}", Bump.PATCH))
    if _others(old.names) != _others(new.names):
        add(Change("names in other languages changed", Bump.PATCH))
    if old.description != new.description:
        add(Change("description changed", Bump.PATCH))
    if (old.valid_from, old.valid_to) != (new.valid_from, new.valid_to):
        add(Change(f"validity changed to {new.valid_from or '…'} – {new.valid_to or '…'}", Bump.PATCH))
    if isinstance(old, Codelist) and isinstance(new, Codelist):
        _items(add, "code", {c.id: c for c in old.codes}, {c.id: c for c in new.codes})
    elif isinstance(old, ConceptScheme) and isinstance(new, ConceptScheme):
        _items(add, "concept", {c.id: c for c in old.concepts}, {c.id: c for c in new.concepts})
    elif isinstance(old, Dataflow) and isinstance(new, Dataflow):
        _reference(add, "structure", old.structure, new.structure)
    elif isinstance(old, DataStructure) and isinstance(new, DataStructure):
        _structure(add, old, new)
    elif isinstance(old, DataConstraint) and isinstance(new, DataConstraint):
        _constraint(add, old, new)
    return out


def _items(add: Add, noun: str, old: dict, new: dict) -> None:
    removed, added = [k for k in old if k not in new], [k for k in new if k not in old]
    if removed:
        add(Change(f"{noun}s removed: {', '.join(removed)}", Bump.MAJOR))
    if added:
        add(Change(f"{noun}s added: {', '.join(added)}", Bump.MINOR))
    renamed = [
        k
        for k in old
        if k in new and (old[k].name, _others(old[k].names)) != (new[k].name, _others(new[k].names))
    ]
    if renamed:
        add(Change(f"{noun} names changed: {', '.join(renamed)}", Bump.PATCH))
    moved = [k for k in old if k in new and getattr(old[k], "parent", "") != getattr(new[k], "parent", "")]
    if moved:
        add(Change(f"{noun}s moved in the hierarchy: {', '.join(moved)}", Bump.MINOR))
    # Deprecating is minor: data using the code stays valid, but its use changes from now on
    # (semver.org 2.0.0, rule 7, on which SDMX 3.0's versioning is modelled: a deprecation is minor).
    was = {k: getattr(v, "deprecated", "") for k, v in old.items() if k in new}
    now = {k: getattr(new[k], "deprecated", "") for k in was}
    deprecated = [k for k in was if now[k] and not was[k]]
    if deprecated:
        add(Change(f"{noun}s deprecated: {', '.join(deprecated)}", Bump.MINOR))
    redated = [k for k in was if now[k] and was[k] and now[k] != was[k]]
    if redated:
        add(Change(f"{noun}s deprecated from another date: {', '.join(redated)}", Bump.MINOR))
    revived = [k for k in was if was[k] and not now[k]]
    if revived:
        add(Change(f"{noun}s no longer deprecated: {', '.join(revived)}", Bump.MINOR))


def _others(names: tuple[tuple[str, str], ...]) -> set[tuple[str, str]]:
    """The names beside the primary one (whose changes ``name`` already shows)."""
    primary = primary_language(names)
    return {(lang, text) for lang, text in names if lang != primary}


def _reference(add: Add, what: str, old: Ref | None, new: Ref | None) -> None:
    if old == new:
        return
    if old is None or new is None or old.key != new.key:
        add(Change(f"{what} now refers to {new or 'nothing'} instead of {old or 'nothing'}", Bump.MAJOR))
        return
    try:
        level = bump_between(old.version, new.version)
    except InvalidInput:
        level = Bump.MAJOR  # pointing back to an older version may take codes away
    add(Change(f"{what} moved from {old.version} to {new.version} of {new.agency}:{new.id}", level))


def _component(add: Add, label: str, old: Component, new: Component) -> None:
    if (old.concept and old.concept.id) != (new.concept and new.concept.id):
        add(Change(f"{label} has another concept", Bump.MAJOR))
    elif old.concept and new.concept:
        _reference(add, f"{label}'s concept scheme", old.concept.scheme, new.concept.scheme)
    if (old.codelist is None) != (new.codelist is None):
        add(Change(f"{label}'s representation changed", Bump.MAJOR))
    else:
        _reference(add, f"{label}'s codelist", old.codelist, new.codelist)


def _structure(add: Add, old: DataStructure, new: DataStructure) -> None:
    old_dims, new_dims = [d.id for d in old.dimensions], [d.id for d in new.dimensions]
    if old_dims != new_dims:
        add(Change(f"dimensions changed from {'.'.join(old_dims)} to {'.'.join(new_dims)}", Bump.MAJOR))
    for dim in new.dimensions:
        before = next((d for d in old.dimensions if d.id == dim.id), None)
        if before is not None:
            _component(add, f"dimension {dim.id}", before, dim)
    if (old.time_dimension is None) != (new.time_dimension is None):
        add(Change("time dimension added or removed", Bump.MAJOR))
    old_attrs, new_attrs = {a.id: a for a in old.attributes}, {a.id: a for a in new.attributes}
    for aid, attr in old_attrs.items():
        if aid not in new_attrs:
            add(Change(f"attribute {aid} removed", Bump.MAJOR))
            continue
        after = new_attrs[aid]
        _component(add, f"attribute {aid}", attr, after)
        if attr.attached_to != after.attached_to:
            add(Change(f"attribute {aid} attached elsewhere", Bump.MAJOR))
        if attr.usage != after.usage:
            add(
                Change(
                    f"attribute {aid} made {after.usage}",
                    Bump.MAJOR if after.usage == "mandatory" else Bump.MINOR,
                )
            )
    for aid, attr in new_attrs.items():
        if aid not in old_attrs:
            level = Bump.MAJOR if attr.usage == "mandatory" else Bump.MINOR
            add(Change(f"{attr.usage} attribute {aid} added", level))
    old_m, new_m = {m.id: m for m in old.measures}, {m.id: m for m in new.measures}
    for mid in old_m.keys() - new_m.keys():
        add(Change(f"measure {mid} removed", Bump.MAJOR))
    for mid in new_m.keys() - old_m.keys():
        add(Change(f"measure {mid} added", Bump.MINOR))


def _constraint(add: Add, old: DataConstraint, new: DataConstraint) -> None:
    if old.role != new.role:
        add(Change(f"role changed from {old.role} to {new.role}", Bump.MAJOR))
    if set(old.attachments) != set(new.attachments):
        add(Change("attached to other dataflows or structures", Bump.PATCH))
    # Codes neither version names stand together for "every other code", so exclusions compare too.
    named: dict[str, set[str]] = {}
    for con in (old, new):
        for region in con.regions:
            for kv in region.key_values:
                named.setdefault(kv.id, {EVERYTHING_ELSE}).update(kv.values)
    universe = {dim: frozenset(codes) for dim, codes in named.items()}
    before, after = allowed_codes(old, universe), allowed_codes(new, universe)
    narrowed, widened = [], []
    for dim in sorted(before.keys() | after.keys()):
        was, now = before.get(dim), after.get(dim)  # None: every code
        if was == now:
            continue
        if now is not None and (was is None or not now >= was):
            lost = sorted(was - now - {EVERYTHING_ELSE}) if was is not None else []
            narrowed.append(
                f"{dim} no longer allows {', '.join(lost)}" if lost else f"{dim} is now restricted"
            )
        if was is not None and (now is None or not was >= now):
            gained = sorted(now - was - {EVERYTHING_ELSE}) if now is not None else []
            widened.append(
                f"{dim} now allows {', '.join(gained)}" if gained else f"{dim} is no longer restricted"
            )
    if narrowed:
        add(Change("; ".join(narrowed), Bump.MAJOR))
    if widened:
        add(Change("; ".join(widened), Bump.MINOR))
    if not narrowed and not widened and old.regions != new.regions:
        add(Change("cube regions reworded, allowing the same codes", Bump.PATCH))
