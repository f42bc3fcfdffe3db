"""Series keys: ``M.USD+JPY.EUR.SP00.A`` ⇄ one selection of codes per dimension.

An empty position (``M..EUR.SP00.A``) or ``*`` is a wildcard; ``+`` (REST 1.x) and ``,``
(REST 2.x) separate alternative codes. ``all``, ``*`` or an empty key select everything.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dataops.errors import InvalidInput
from dataops.sdmx.model import Structure

_CODE = re.compile(r"^[A-Za-z0-9_@$\-]+$")
_ALL = ("", "all", "*")


@dataclass(frozen=True)
class SeriesKey:
    """Codes chosen per dimension, in DSD order; an empty tuple means any code.

    ``values == ()`` is the key that selects every series when the structure is not known yet.
    """

    values: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def parse(cls, text: str) -> SeriesKey:
        """Parse REST key syntax (1.x or 2.x); `InvalidInput` says which part is wrong."""
        text = text.strip()
        if text.lower() in _ALL:
            return cls()
        positions: list[tuple[str, ...]] = []
        for pos, part in enumerate(text.split("."), start=1):
            if part in ("", "*"):
                positions.append(())
                continue
            codes = tuple(re.split(r"[+,]", part))
            for code in codes:
                if not _CODE.match(code):
                    shown = code or "an empty code"
                    raise InvalidInput(
                        f"The series key {text!r} is malformed: position {pos} holds {shown!r}; codes are "
                        "letters, digits, '_', '-', '@' or '$', separated by '+' and positions by '.'."
                    )
            positions.append(codes)
        return cls(tuple(positions))

    @classmethod
    def from_dict(cls, mapping: Mapping[str, str | Sequence[str]], structure: Structure) -> SeriesKey:
        """Build from ``{dimension id: code or codes}``; dimensions left out are wildcards."""
        by_id = {d.id: d.id for d in structure.dimensions}
        by_id.update({d.id.lower(): d.id for d in structure.dimensions if d.id.lower() not in by_id})
        chosen: dict[str, tuple[str, ...]] = {}
        for name, value in mapping.items():
            dim_id = by_id.get(name) or by_id.get(str(name).lower())
            if dim_id is None:
                raise InvalidInput(
                    f"{structure.id} has no dimension {name!r}; its dimensions are "
                    f"{', '.join(d.id for d in structure.dimensions)}."
                )
            codes = (value,) if isinstance(value, str) else tuple(value)
            for code in codes:
                if not isinstance(code, str) or not _CODE.match(code):
                    raise InvalidInput(f"{code!r} is not a valid code for dimension {dim_id}.")
            chosen[dim_id] = codes
        return cls(tuple(chosen.get(d.id, ()) for d in structure.dimensions))

    @classmethod
    def coerce(cls, key: object, structure: Structure | None = None) -> SeriesKey:
        """Accept ``None``, a string, a mapping or a `SeriesKey` (mappings need the structure)."""
        if key is None:
            return cls()
        if isinstance(key, SeriesKey):
            return key
        if isinstance(key, str):
            return cls.parse(key)
        if isinstance(key, Mapping):
            if structure is None:
                raise InvalidInput("A key given as a dict needs the dataflow's structure to order it.")
            return cls.from_dict(key, structure)
        raise InvalidInput(
            f"A series key is a string like 'M.USD.EUR.SP00.A' or a dict, not {type(key).__name__}."
        )

    @property
    def is_all(self) -> bool:
        """True when every position is a wildcard."""
        return all(not codes for codes in self.values)

    def expand(self, structure: Structure) -> SeriesKey:
        """The same key with one position per dimension (``all`` becomes explicit wildcards)."""
        if not self.values:
            return SeriesKey(tuple(() for _ in structure.dimensions))
        return self

    def validate(self, structure: Structure) -> SeriesKey:
        """Check positions and codes against the structure; return the expanded key."""
        key = self.expand(structure)
        dims = structure.dimensions
        if len(key.values) != len(dims):
            raise InvalidInput(
                f"The series key {self} has {len(key.values)} positions but {structure.id} has "
                f"{len(dims)} dimensions ({'.'.join(d.id for d in dims)})."
            )
        for pos, (dim, codes) in enumerate(zip(dims, key.values, strict=True), start=1):
            known = dim.code_ids() if len(dim.codes) else None
            for code in codes:
                if known is not None and code not in known:
                    raise InvalidInput(
                        f"{dim.id} has no code {code!r} in {structure.id}: position {pos} of the series key "
                        f"holds a code its codelist does not have; {_nearest(code, known)}.",
                        details={"position": pos, "dimension": dim.id, "code": code},
                    )
        return key

    def to_rest(self, version: int = 1) -> str:
        """The key as a REST path segment: 1.x uses ``+`` and empty wildcards, 2.x ``,`` and ``*``."""
        if not self.values or (version == 2 and self.is_all):
            return "all" if version == 1 else "*"
        sep, wildcard = ("+", "") if version == 1 else (",", "*")
        return ".".join(sep.join(codes) if codes else wildcard for codes in self.values)

    def to_dict(self, structure: Structure) -> dict[str, list[str]]:
        """``{dimension id: [codes]}`` for the positions that are not wildcards."""
        key = self.expand(structure)
        return {d.id: list(c) for d, c in zip(structure.dimensions, key.values, strict=False) if c}

    def matches(self, codes: Sequence[str]) -> bool:
        """Does the series with these dimension codes (DSD order) fall under this key?"""
        return all(not want or code in want for want, code in zip(self.values, codes, strict=False))

    def __str__(self) -> str:
        return self.to_rest(1)


def _nearest(code: str, known: frozenset[str]) -> str:
    """A hint naming the codes closest to ``code`` (by spelling), or a sample when none is close."""
    near = difflib.get_close_matches(code.upper(), sorted(known), n=4, cutoff=0.5)
    if near:
        return "did you mean " + ", ".join(near) + "?"
    return "codes include " + ", ".join(sorted(known)[:8])
