"""What the agency, id and version segments of an SDMX REST path mean, the same on 1.x and 2.x paths.

====================  ==========================  =============================================
segment               agency, id                  version
====================  ==========================  =============================================
left out              any                         the latest (SDMX's default, 1.x and 2.x)
``*``, ``all``        any                         every version
``~``, ``latest``     (a name like any other)     the latest version of each artefact
``+``                 (a name like any other)     the latest stable version (no ``-draft``-like
                                                  extension)
``A,B``               ``A`` or ``B``              ``A`` or ``B``
====================  ==========================  =============================================

SDMX REST 1.x spells them ``all`` and ``latest``, 2.x ``*``, ``~`` and ``+``; both spellings are
understood on both paths. A data or availability query names one dataflow: there every version and
the latest both leave the choice to the provider (its latest), and ``+`` is resolved against the
source's dataflows (`Selector.flow_ref`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from dataops.errors import InvalidInput, UnknownDataflow

ANY = frozenset({"", "*", "all"})
LATEST = frozenset({"~", "latest"})
LATEST_STABLE = "+"
LIST_SEPARATOR = ","
ONE_AT_A_TIME = "Ask for one dataflow, one version and one key at a time; ',' lists are not supported here."

# ``references``: what comes with the artefacts asked for.
REFERENCES = ("none", "parents", "parentsandsiblings", "ancestors", "children", "descendants", "all")
_CHILDREN = frozenset({"children", "descendants", "all"})
_DESCENDANTS = frozenset({"descendants", "all"})
_PARENTS = frozenset({"parents", "parentsandsiblings", "ancestors", "all"})


class Versions(StrEnum):
    """Which versions of each artefact a version segment keeps."""

    EVERY = "every"
    LATEST = "latest"
    LATEST_STABLE = "latest_stable"
    LISTED = "listed"


class Maintainable(Protocol):
    """A dataflow or a data structure: anything with an agency, an id and a version.

    Read-only members, so that frozen dataclasses (`Dataflow`) match as well as mutable ones.
    """

    @property
    def agency(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...


T = TypeVar("T", bound=Maintainable)


def version_order(version: str) -> tuple[int, ...]:
    """A sort key for versions: numeric parts compare as numbers (1.10 is later than 1.9) and an
    extension (``1.1.0-draft``) sorts as a part below every number."""
    return tuple(int(p) if p.isdigit() else -1 for p in version.replace("-", ".").split("."))


def _names(segment: str | None) -> tuple[str, ...]:
    if segment is None or segment in ANY:
        return ()
    return tuple(segment.split(LIST_SEPARATOR))


@dataclass(frozen=True)
class Selector:
    """The maintainable artefacts an ``{agency}/{id}/{version}`` path names.

    Empty ``agencies`` or ``ids`` mean any; ``versions`` holds the versions named when ``rule`` is
    `Versions.LISTED`.
    """

    agencies: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    rule: Versions = Versions.LATEST
    versions: tuple[str, ...] = ()

    @classmethod
    def parse(cls, agency: str | None = None, id_: str | None = None, version: str | None = None) -> Selector:
        """Read the three path segments (``None`` for one left out) as the table above says."""
        versions: tuple[str, ...]
        if version is None or version in LATEST:
            rule, versions = Versions.LATEST, ()
        elif version in ANY:
            rule, versions = Versions.EVERY, ()
        elif version == LATEST_STABLE:
            rule, versions = Versions.LATEST_STABLE, ()
        else:
            rule, versions = Versions.LISTED, tuple(version.split(LIST_SEPARATOR))
        return cls(_names(agency), _names(id_), rule, versions)

    def names_agency(self, agency: str) -> bool:
        """Whether artefacts of ``agency`` are asked for."""
        return not self.agencies or agency in self.agencies

    def names_id(self, id_: str) -> bool:
        """Whether artefacts with id ``id_`` are asked for."""
        return not self.ids or id_ in self.ids

    def admits(self, version: str) -> bool:
        """Whether an artefact published in ``version`` only is asked for (the latest of one is itself)."""
        return self.rule is not Versions.LISTED or version in self.versions

    @property
    def version_label(self) -> str:
        """The version segment as a 2.x path spells it (``~``, ``+``, ``*`` or the versions listed)."""
        labels = {Versions.EVERY: "*", Versions.LATEST: "~", Versions.LATEST_STABLE: LATEST_STABLE}
        return labels.get(self.rule) or LIST_SEPARATOR.join(self.versions)

    @property
    def one_id(self) -> str | None:
        """The id when exactly one is named, else ``None``."""
        return self.ids[0] if len(self.ids) == 1 else None

    def pick(self, items: Iterable[T]) -> list[T]:
        """The artefacts named, in the order given; one per agency and id for the latest rules."""
        named = [i for i in items if self.names_agency(i.agency) and self.names_id(i.id)]
        if self.rule is Versions.EVERY:
            return named
        if self.rule is Versions.LISTED:
            return [i for i in named if i.version in self.versions]
        if self.rule is Versions.LATEST_STABLE:
            # Semantic versions with an extension (1.1.0-draft) are not stable yet.
            named = [i for i in named if "-" not in i.version]
        latest: dict[tuple[str, str], T] = {}
        for item in named:
            best = latest.get((item.agency, item.id))
            if best is None or version_order(item.version) > version_order(best.version):
                latest[(item.agency, item.id)] = item
        return list(latest.values())

    def require_one_flow(self) -> None:
        """`InvalidInput` unless one dataflow in one version is named, as a data query needs."""
        if not self.ids:
            raise InvalidInput("Name one dataflow by its id; '*' and 'all' are not supported here.")
        if len(self.ids) > 1 or len(self.agencies) > 1 or len(self.versions) > 1:
            raise InvalidInput(ONE_AT_A_TIME)

    def flow_ref(self, flows: Iterable[Maintainable] = ()) -> str:
        """The one dataflow named, as ``AGENCY:ID(VERSION)``: an agency left unnamed is left out, and so
        is the version (the provider answers its latest) unless one is named or ``+`` picks it among
        ``flows``, the source's dataflows (`UnknownDataflow` when none of them is a stable version)."""
        self.require_one_flow()
        ref = f"{self.agencies[0]}:{self.ids[0]}" if self.agencies else self.ids[0]
        if self.rule is Versions.LATEST_STABLE:
            stable = self.pick(flows)
            if not stable:
                raise UnknownDataflow(f"The source has no stable version of the dataflow {ref!r}.")
            return f"{stable[0].agency}:{stable[0].id}({stable[0].version})"
        return f"{ref}({self.versions[0]})" if self.versions else ref


@dataclass(frozen=True)
class References:
    """The ``references`` query parameter: which related artefacts come with those asked for."""

    value: str = "none"

    @classmethod
    def parse(cls, value: str) -> References:
        """One of `REFERENCES` (any case), or `InvalidInput` listing them."""
        value = value.lower()
        if value not in REFERENCES:
            raise InvalidInput(f"references must be one of {', '.join(REFERENCES)}, not {value!r}.")
        return cls(value)

    @property
    def children(self) -> bool:
        """A dataflow's data structure; a data structure's codelists and concept scheme."""
        return self.value in _CHILDREN

    @property
    def descendants(self) -> bool:
        """A dataflow's data structure with its codelists and concept scheme."""
        return self.value in _DESCENDANTS

    @property
    def parents(self) -> bool:
        """The dataflows that use a data structure (or the structures that use a codelist)."""
        return self.value in _PARENTS
