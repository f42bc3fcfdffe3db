"""Allowed content constraints: which codes each dimension may take, and checking rows against them.

A constraint's cube regions are read per dimension: the codes an including region lists for a
dimension are allowed (the union over including regions), the codes an excluding region or an
``include="false"`` key value lists are not. A dimension no region names is unconstrained.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import InvalidInput
from dataops.metadata.artefacts import DataConstraint, Ref
from dataops.sdmx.model import Structure

EVERYTHING_ELSE = "\x00*"  # stands for the codes a constraint never names, when no codelist is at hand


def allowed_codes(
    con: DataConstraint, universe: Mapping[str, frozenset[str]] | None = None
) -> dict[str, frozenset[str]]:
    """The codes ``con`` allows per dimension it names.

    A dimension only excluded from is allowed its ``universe`` codes (its codelist) minus the
    excluded ones; without a universe, every code the constraint names plus `EVERYTHING_ELSE`.
    """
    included: dict[str, set[str]] = {}
    excluded: dict[str, set[str]] = {}
    for region in con.regions:
        for kv in region.key_values:
            target = included if region.include and kv.include else excluded
            target.setdefault(kv.id, set()).update(kv.values)
    out: dict[str, frozenset[str]] = {}
    for dim in included.keys() | excluded.keys():
        if dim in included:
            base = included[dim]
        elif universe is not None and dim in universe:
            base = set(universe[dim])
        else:
            base = excluded[dim] | {EVERYTHING_ELSE}
        out[dim] = frozenset(base - excluded.get(dim, set()))
    return out


@dataclass(frozen=True)
class Allowed:
    """What the allowed constraints in force let a dataflow hold: codes per constrained dimension.

    ``constraints`` are the constraint versions applied (the latest version of each constraint
    attached to the dataflow or its structure and valid at the time asked).
    """

    flow: Ref
    constraints: tuple[Ref, ...] = ()
    codes: dict[str, frozenset[str]] = field(default_factory=dict)

    def allows(self, dimension: str, code: str) -> bool:
        """Whether ``code`` is allowed for ``dimension`` (an unconstrained dimension allows any)."""
        allowed = self.codes.get(dimension)
        return allowed is None or code in allowed

    def narrow(self, structure: Structure) -> Structure:
        """``structure`` (of this dataflow) with each constrained dimension's codes cut to the allowed ones."""
        dims = [
            replace(d, codes=d.codes[d.codes["id"].astype(str).isin(self.codes[d.id])].reset_index(drop=True))
            if d.id in self.codes
            else d
            for d in structure.dimensions
        ]
        return replace(structure, dimensions=dims)

    @property
    def names(self) -> str:
        """The constraint versions applied, as a message names them."""
        return ", ".join(f"{r.agency}:{r.id}({r.version})" for r in self.constraints)

    def outside(self, table: pa.Table, limit: int = 10) -> list[tuple[int, str, str]]:
        """Up to ``limit`` cells of ``table`` holding a code the constraints do not allow, as
        (row from 0, dimension, code), by row; unconstrained dimensions and nulls are not checked."""
        found: list[tuple[int, str, str]] = []
        for dim, allowed in sorted(self.codes.items()):
            if dim not in table.column_names:
                continue
            column = table.column(dim).cast(pa.string())
            inside = pc.is_in(column, value_set=pa.array(sorted(allowed), pa.string()))
            outside = pc.and_(pc.invert(inside), pc.is_valid(column))
            if not pc.any(outside).as_py():
                continue
            rows = pc.indices_nonzero(pc.fill_null(outside, False)).slice(0, limit).to_pylist()
            found += [(row, dim, column[row].as_py()) for row in rows]
        return sorted(found)[:limit]

    def refusal(self, dimension: str, code: str) -> str:
        """Why ``code`` may not stand in ``dimension``: the constraint and the dataflow named."""
        return (
            f"the allowed constraint {self.names} of dataflow {self.flow.agency}:{self.flow.id}"
            f"({self.flow.version}) does not allow {code!r} for {dimension}"
        )

    def check(self, table: pa.Table, first_row: int = 1) -> None:
        """Refuse ``table`` when a row holds a code outside the constraints.

        `InvalidInput` names the first such row (numbered from ``first_row``), the dimension, the
        code and the constraint; columns of unconstrained dimensions and nulls are not checked.
        """
        for row, dim, code in self.outside(table, limit=1):
            raise InvalidInput(
                f"Row {row + first_row}: dimension {dim} has code {code!r}, which the allowed constraint "
                f"{self.names} of dataflow {self.flow.agency}:{self.flow.id}({self.flow.version}) does not allow.",
                details={"row": row + first_row, "dimension": dim, "code": code, "constraints": self.names},
            )
