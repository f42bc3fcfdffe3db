"""The SDMX domain model shared by readers, the REST client, the server and the panel."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Dataflow:
    """A dataflow as listed by a provider (a stub: no structure resolved yet)."""

    id: str
    agency: str
    version: str
    name: str
    structure_id: str = ""
    structure_agency: str = ""
    structure_version: str = ""


@dataclass
class Dimension:
    """A key dimension, in DSD order; ``codes`` is a DataFrame with columns ``id`` and ``name``."""

    id: str
    name: str
    codes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"id": [], "name": []}))
    position: int = 0
    codelist: str = ""  # the id of the codelist the codes come from, when the DSD said

    def code_ids(self) -> frozenset[str]:
        """The ids of ``codes`` as a set, remembered while ``codes`` is the same table (a key is
        checked against them on every request the REST endpoint answers)."""
        held = self.__dict__.get("_code_ids")
        if held is None or held[0] is not self.codes:
            ids = frozenset(self.codes["id"].astype(str)) if len(self.codes) else frozenset()
            held = (self.codes, ids)
            self.__dict__["_code_ids"] = held  # not a field: equality and repr ignore it
        return held[1]


@dataclass(frozen=True)
class Attribute:
    """A DSD attribute; ``level`` is ``dataset``, ``series``, ``group`` or ``observation``;
    ``mandatory``: the DSD says every observation (or series) must carry a value."""

    id: str
    name: str
    level: str
    mandatory: bool = False


@dataclass
class Structure:
    """A data structure definition: dimensions in DSD order (time dimension excluded), attributes."""

    id: str
    agency: str
    version: str
    name: str
    dimensions: list[Dimension]
    time_dimension: str | None
    attributes: list[Attribute]
    primary_measure: str = "OBS_VALUE"

    def dimension(self, dim_id: str) -> Dimension:
        """The dimension with this id (KeyError naming the known ones otherwise)."""
        for dim in self.dimensions:
            if dim.id == dim_id:
                return dim
        raise KeyError(f"{self.id} has no dimension {dim_id!r}; it has {[d.id for d in self.dimensions]}")


@dataclass
class StructureMessage:
    """Everything a structure message held: dataflows, DSDs and codelists (id → DataFrame)."""

    dataflows: list[Dataflow] = field(default_factory=list)
    structures: list[Structure] = field(default_factory=list)
    codelists: dict[str, pd.DataFrame] = field(default_factory=dict)
