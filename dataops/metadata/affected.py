"""Which stored series an edit that takes codes away affects.

A constraint edit takes away the codes the latest version allowed and the edit no longer allows,
per dimension, in every dataflow it is attached to (directly or through their data structure). A
codelist edit takes away the codes it no longer lists, in every dimension coded by that codelist
(any version) of every dataflow. The series are counted by a counter of the store
(`dataops.store.usage.SeriesCounter`, or anything with its ``count``).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from dataops.errors import DataOpsError, InvalidInput
from dataops.metadata.artefacts import Artefact, Codelist, DataConstraint, Dataflow, DataStructure, Ref
from dataops.metadata.constraints import EVERYTHING_ELSE, allowed_codes
from dataops.metadata.registry import Registry


class Counter(Protocol):
    """Counts stored series by code (see `dataops.store.usage.SeriesCounter.count`)."""

    def count(self, agency: str, flow_id: str, dimension: str, codes: Any) -> dict[str, Any]: ...


@dataclasses.dataclass(frozen=True)
class Affected:
    """The stored series of one dataflow holding one code an edit takes away."""

    flow: str
    dimension: str
    code: str
    series: int
    examples: list[str]

    @property
    def sentence(self) -> str:
        """``12 stored series use USD (CURRENCY of ECB:EXR), e.g. M.USD.EUR.SP00.A``."""
        noun = "series uses" if self.series == 1 else "series use"
        return (
            f"{self.series} stored {noun} {self.code} ({self.dimension} of {self.flow}), "
            f"e.g. {', '.join(self.examples)}"
        )

    def to_json(self) -> dict[str, Any]:
        """The fields as JSON, with the sentence."""
        return {**dataclasses.asdict(self), "sentence": self.sentence}


def latest_flows(registry: Registry) -> list[Dataflow]:
    """The latest version of each dataflow of the registry."""
    latest = {(f.agency, f.id): f for f in registry.artefacts("dataflow") if isinstance(f, Dataflow)}
    return list(latest.values())


def removed_codes(registry: Registry, edited: Artefact) -> list[tuple[Dataflow, str, frozenset[str]]]:
    """(dataflow, dimension, codes) that ``edited`` takes away from the latest version held."""
    held = registry.versions(edited.kind, edited.agency, edited.id)
    if not held:
        return []
    before = held[-1]
    out: list[tuple[Dataflow, str, frozenset[str]]] = []
    if isinstance(edited, Codelist) and isinstance(before, Codelist):
        gone = frozenset(before.code_ids()) - frozenset(edited.code_ids())
        for flow, dim in _coded_by(registry, before.ref):
            if gone:
                out.append((flow, dim, gone))
    elif isinstance(edited, DataConstraint) and isinstance(before, DataConstraint):
        for flow in latest_flows(registry):
            targets = {flow.ref, *([flow.structure] if flow.structure else [])}
            if not targets & {*before.attachments, *edited.attachments}:
                continue
            try:
                universe = registry.codelist_codes(f"{flow.agency}:{flow.id}({flow.version})")
            except DataOpsError:
                continue  # a flow whose structure does not resolve has nothing stored by it
            was = allowed_codes(before, universe)
            now = allowed_codes(edited, universe)
            for dim in sorted(now):  # a dimension no longer constrained loses nothing
                before_codes = was.get(dim, universe.get(dim, frozenset()))
                gone = before_codes - now[dim] - {EVERYTHING_ELSE}
                if gone:
                    out.append((flow, dim, frozenset(gone)))
    return out


def affected(registry: Registry, edited: Artefact, counter: Counter | None) -> list[Affected]:
    """The stored series holding each code ``edited`` takes away (none without a counter)."""
    if counter is None:
        return []
    out = []
    for flow, dim, codes in removed_codes(registry, edited):
        used = counter.count(flow.agency, flow.id, dim, codes)
        for code in sorted(used):
            use = used[code]
            out.append(Affected(f"{flow.agency}:{flow.id}", dim, code, use.series, list(use.examples)))
    return out


def refuse_removal(found: list[Affected], edited: Artefact) -> None:
    """`InvalidInput` naming the series when a codelist edit removes codes stored series use
    (deprecate such a code instead)."""
    if not isinstance(edited, Codelist) or not found:
        return
    raise InvalidInput(
        f"codelist {edited.agency}:{edited.id} cannot lose a code stored data still use: "
        f"{'; '.join(a.sentence for a in found)}. Deprecate the code instead, or remove those series first.",
        details={"affected": [a.to_json() for a in found]},
    )


def _coded_by(registry: Registry, codelist: Ref) -> list[tuple[Dataflow, str]]:
    out = []
    for flow in latest_flows(registry):
        if flow.structure is None:
            continue
        try:
            dsd = registry.resolve(flow.structure)
        except DataOpsError:
            continue
        assert isinstance(dsd, DataStructure)
        for dim in dsd.dimensions:
            if dim.codelist is not None and dim.codelist.key == codelist.key:
                out.append((flow, dim.id))
    return out
