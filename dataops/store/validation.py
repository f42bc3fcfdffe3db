"""Checks a write must pass before anything is committed, against the dataflow's structure.

Rules: every dimension code in its codelist, the time period an SDMX period of the series'
frequency, ``OBS_VALUE`` numeric or missing, mandatory attributes present, and no observation
twice in one write, and, where the store's structures come from a metadata registry, every code
allowed by the dataflow's allowed constraints in force there (`dataops.metadata.constraints`). A refusal is one `InvalidData` naming the first rows that break a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import InvalidData, InvalidInput
from dataops.sdmx.model import Structure
from dataops.sdmx.periods import period_range
from dataops.store.layout import OBS_VALUE, dimension_ids, time_column

if TYPE_CHECKING:
    from dataops.metadata.constraints import Allowed

SHOWN = 10  # violations listed in a refusal
ACTION = "ACTION"
# The shapes a period may take for each frequency code (SDMX CL_FREQ); other codes: any period.
FREQ_FORMS = {
    "A": r"\d{4}(-A1)?",
    "S": r"\d{4}-S[12]",
    "Q": r"\d{4}-Q[1-4]",
    "M": r"\d{4}-(0[1-9]|1[0-2])|\d{4}-M(0[1-9]|1[0-2])",
    "W": r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])",
    "D": r"\d{4}-\d{2}-\d{2}",
    "B": r"\d{4}-\d{2}-\d{2}",
}


@dataclass(frozen=True)
class Violation:
    """One broken rule: the row (0-based, in the data as given), column, value and rule."""

    row: int
    column: str
    value: str
    rule: str

    def to_json(self) -> dict[str, object]:
        """The violation as the error's details carry it."""
        return {"row": self.row, "column": self.column, "value": self.value, "rule": self.rule}


def check_shape(table: pa.Table, structure: Structure, needs_values: bool, what: str) -> None:
    """`InvalidInput` unless ``table`` has the read shape's columns for this structure."""
    dims = dimension_ids(structure)
    time_col = time_column(structure)
    known = {*dims, time_col, OBS_VALUE, ACTION, *(a.id for a in structure.attributes)}
    unknown = [c for c in table.column_names if c not in known]
    required = [*dims, *((time_col, OBS_VALUE) if needs_values else ())]
    missing = [c for c in required if c not in table.column_names]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"it lacks the column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"{', '.join(unknown)} are not components of {structure.id}")
        raise InvalidInput(
            f"The data for {what} is not in the shape dataops.read returns ({'; '.join(parts)}): "
            f"expected {', '.join(dims)}, {time_col}, {OBS_VALUE} and attributes of {structure.id}."
        )


def validate(
    table: pa.Table,
    structure: Structure,
    deleting: pa.Array | None,
    what: str,
    allowed: Allowed | None = None,
) -> None:
    """`InvalidData` listing the first violations; ``deleting`` marks rows that delete (their time
    period may be empty and they need no value); ``allowed``: the allowed constraints in force."""
    found: list[Violation] = []
    found += _codes(table, structure)
    if allowed is not None:
        found += _allowed(table, allowed, deleting, {(v.row, v.column) for v in found})
    found += _periods(table, structure, deleting)
    found += _values(table)
    found += _mandatory(table, structure, deleting)
    found += _duplicates(table, structure)
    if found:
        found.sort(key=lambda v: (v.row, v.column))
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise InvalidData(
            f"Nothing was written to {what}: row {first.row}, column {first.column}, value "
            f"{first.value!r}: {first.rule}{more}.",
            details=[v.to_json() for v in found[:SHOWN]],
        )


def _text(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    if pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type):
        # Kept encoded: the checks below work on the few distinct values, not on every row.
        if isinstance(column, pa.ChunkedArray):
            return column.unify_dictionaries().combine_chunks()
        return column
    out = pc.cast(column, pa.string())
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def _rows(mask: pa.Array | pa.ChunkedArray, limit: int = SHOWN) -> list[int]:
    indices = pc.indices_nonzero(pc.fill_null(mask, False))
    return indices.slice(0, limit).to_pylist()


def _codes(table: pa.Table, structure: Structure) -> list[Violation]:
    out = []
    for dim in structure.dimensions:
        values = _text(table.column(dim.id))
        missing = pc.is_null(values)
        for row in _rows(missing):
            out.append(Violation(row, dim.id, "", "a dimension needs a code"))
        if len(dim.codes):
            allowed = pa.array([str(c) for c in dim.codes["id"]], pa.string())
            outside = _outside(values, allowed)
            listname = dim.codelist or f"the codelist of {dim.id}"
            for row in _rows(outside):
                out.append(Violation(row, dim.id, values[row].as_py(), f"not a code of {listname}"))
    return out


def _allowed(
    table: pa.Table, allowed: Allowed, deleting: pa.Array | None, seen: set[tuple[int, str]]
) -> list[Violation]:
    # Deleting is always allowed: it is how data a narrowed constraint no longer allows is removed.
    keep = None
    if deleting is not None and pc.any(deleting).as_py():
        keep = pc.invert(pc.fill_null(deleting, False))
    cells = allowed.outside(table if keep is None else table.filter(keep), SHOWN)
    if cells and keep is not None:
        index = pc.indices_nonzero(keep)
        cells = [(index[row].as_py(), dim, code) for row, dim, code in cells]
    return [
        Violation(row, dim, code, allowed.refusal(dim, code))
        for row, dim, code in cells
        if (row, dim) not in seen  # a code outside the codelist is refused once, for that
    ]


def _outside(values: pa.Array, allowed: pa.Array) -> pa.Array:
    """Which values (not missing) are not in ``allowed``; an encoded column is checked once per
    distinct value."""
    if isinstance(values, pa.DictionaryArray):
        unknown = pc.invert(pc.is_in(values.dictionary, value_set=allowed))
        if not pc.any(unknown).as_py():
            return pa.repeat(pa.scalar(False), len(values))
        bad = pc.indices_nonzero(unknown)
        return pc.and_(pc.is_in(values.indices, value_set=bad), pc.is_valid(values))
    return pc.and_(pc.invert(pc.is_in(values, value_set=allowed)), pc.is_valid(values))


def _periods(table: pa.Table, structure: Structure, deleting: pa.Array | None) -> list[Violation]:
    time_col = time_column(structure)
    if time_col not in table.column_names:
        return []
    periods = _text(table.column(time_col))
    freqs = (
        _text(table.column("FREQ")) if "FREQ" in table.column_names else pa.nulls(len(periods), pa.string())
    )
    distinct = [{"p": p, "f": f} for p, f in _distinct_pairs(periods, freqs)]
    bad: dict[tuple[str | None, str | None], str] = {}
    for pair in distinct:
        period, freq = pair["p"], pair["f"]
        if period is None:
            bad[(period, freq)] = "an observation needs a time period"
        elif period_range(period) is None:
            bad[(period, freq)] = "not an SDMX time period"
        elif freq in FREQ_FORMS and not re.fullmatch(FREQ_FORMS[freq], period):
            bad[(period, freq)] = f"not a period of frequency {freq}"
    if not bad:
        return []
    out = []
    deletes = deleting.to_pylist() if deleting is not None else None
    for row, (period, freq) in enumerate(zip(periods.to_pylist(), freqs.to_pylist(), strict=True)):
        rule = bad.get((period, freq))
        if rule and not (period is None and deletes and deletes[row]):
            out.append(Violation(row, time_col, period or "", rule))
            if len(out) >= SHOWN:
                break
    return out


def _values(table: pa.Table) -> list[Violation]:
    if OBS_VALUE not in table.column_names:
        return []
    column = table.column(OBS_VALUE)
    if pa.types.is_floating(column.type) or pa.types.is_integer(column.type) or pa.types.is_null(column.type):
        return []
    text = pc.utf8_trim_whitespace(_text(column))
    number = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|NaN|nan")
    out = []
    for row, value in enumerate(text.to_pylist()):
        if value not in (None, "") and not number.fullmatch(value):
            out.append(Violation(row, OBS_VALUE, value, "OBS_VALUE must be a number or missing"))
            if len(out) >= SHOWN:
                break
    return out


def _mandatory(table: pa.Table, structure: Structure, deleting: pa.Array | None) -> list[Violation]:
    out = []
    for attr in structure.attributes:
        if not attr.mandatory or attr.level == "dataset":
            continue
        if attr.id not in table.column_names:
            rows = range(min(1, table.num_rows))
            out += [Violation(r, attr.id, "", f"the mandatory attribute {attr.id} is missing") for r in rows]
            continue
        values = _text(table.column(attr.id))
        empty = pc.or_kleene(pc.is_null(values), pc.equal(values, ""))
        if deleting is not None:
            empty = pc.and_kleene(empty, pc.invert(deleting))
        out += [
            Violation(r, attr.id, "", f"the mandatory attribute {attr.id} is missing") for r in _rows(empty)
        ]
    return out


def _codes_of(columns: list[pa.Array]) -> tuple[pa.Array, list[pa.Array]]:
    """One int64 per row identifying its combination of values (nulls count as a value), and each
    column's distinct values: hashing small integers is far cheaper than joining texts."""
    combined: pa.Array | None = None
    dictionaries = []
    for column in columns:
        encoded = pc.dictionary_encode(column, null_encoding="encode")
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.unify_dictionaries().combine_chunks()
        if encoded.null_count:  # a column that came encoded keeps nulls out of its dictionary
            encoded = pc.dictionary_encode(pc.cast(encoded, pa.string()), null_encoding="encode")
        dictionaries.append(encoded.dictionary)
        index = pc.cast(encoded.indices, pa.int64())
        combined = (
            index if combined is None else pc.add(pc.multiply(combined, len(encoded.dictionary)), index)
        )
    assert combined is not None
    return combined, dictionaries


def _distinct_pairs(first: pa.Array, second: pa.Array) -> list[tuple[str | None, str | None]]:
    combined, (a, b) = _codes_of([first, second])
    out = []
    for code in pc.unique(combined).to_pylist():
        i, j = divmod(code, len(b))
        out.append((a[i].as_py(), b[j].as_py()))
    return out


def _duplicates(table: pa.Table, structure: Structure) -> list[Violation]:
    keys = [c for c in (*dimension_ids(structure), time_column(structure)) if c in table.column_names]
    if not keys or table.num_rows < 2:
        return []
    combined, dictionaries = _codes_of([_text(table.column(k)) for k in keys])
    sizes = [len(d) for d in dictionaries]
    product = 1
    for size in sizes:
        product *= max(size, 1)
    if product >= 2**62:  # the codes would overflow: join the texts instead
        combined = pc.binary_join_element_wise(
            *(pc.fill_null(_text(table.column(k)), "") for k in keys), "\x1f"
        )
    # Only a write that has repeats pays for finding them. Sorting (a stable sort: one pass over data
    # that come in order, as they usually do) costs less than hashing a million distinct codes.
    if pa.types.is_integer(combined.type):
        ranked = np.sort(combined.to_numpy(), kind="stable")
        if not (ranked[1:] == ranked[:-1]).any():
            return []
    elif len(pc.unique(combined)) == table.num_rows:
        return []
    import pandas as pd

    repeated = pd.Series(combined.to_numpy(zero_copy_only=False)).duplicated()
    rows = [int(r) for r in repeated[repeated].index[:SHOWN]]
    time_col = time_column(structure)
    column = time_col if time_col in keys else keys[-1]
    return [
        Violation(
            r,
            column,
            str(table.column(column)[r].as_py()),
            "the same observation appears twice in this write",
        )
        for r in rows
    ]
