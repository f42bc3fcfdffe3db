"""Pieces shared by the structure readers: resolving codelist references, attribute levels."""

from __future__ import annotations

import pandas as pd


def empty_codes() -> pd.DataFrame:
    return pd.DataFrame({"id": pd.Series([], dtype=object), "name": pd.Series([], dtype=object)})


class CodelistIndex:
    """Codelists by ``AGENCY:ID(VERSION)`` and by plain id (the plain id names the last version seen)."""

    def __init__(self) -> None:
        self.full: dict[str, pd.DataFrame] = {}
        self.by_id: dict[str, pd.DataFrame] = {}

    def add(self, agency: str, cl_id: str, version: str, codes: pd.DataFrame) -> None:
        self.full[f"{agency}:{cl_id}({version})"] = codes
        self.by_id[cl_id] = codes

    def codes(self, ref: dict[str, str]) -> pd.DataFrame:
        """The codes a reference points at (exact version first), or an empty frame if not in the message."""
        if not ref:
            return empty_codes()
        exact = self.full.get(f"{ref.get('agency', '')}:{ref.get('id', '')}({ref.get('version', '')})")
        found = exact if exact is not None else self.by_id.get(ref.get("id", ""))
        return found.copy() if found is not None else empty_codes()

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """Both keys, so ``codelists["CL_FREQ"]`` and ``codelists["ECB:CL_FREQ(1.0)"]`` work."""
        return {**self.by_id, **self.full}


def attribute_level(kinds: list[str], related_dims: list[str], dims: list[str], time_dim: str | None) -> str:
    """``dataset``, ``series``, ``group`` or ``observation`` from an attribute's relationship.

    ``kinds`` are the relationship's element (or JSON key) names; ``related_dims`` the dimension
    ids it names; ``dims`` the DSD's non-time dimensions.
    """
    kinds_set = set(kinds)
    if kinds_set & {"PrimaryMeasure", "Observation", "primaryMeasure", "observation"}:
        return "observation"
    if kinds_set & {"Group", "AttachmentGroup", "group", "attachmentGroup"}:
        return "group"
    if related_dims:
        if time_dim and time_dim in related_dims:
            return "observation"
        return "series" if set(dims) <= set(related_dims) else "group"
    return "dataset"
