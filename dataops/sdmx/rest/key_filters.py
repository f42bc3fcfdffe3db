"""Series keys as the REST paths write them, and the 2.x ``c[...]`` filters folded into them.

A key of ``*``, ``all`` or nothing selects every series; a ``*`` position any code; ``+`` separates
codes. ``c[TIME_PERIOD]=ge:2020-01+le:2020-12`` (or ``eq:``) bounds the periods, ``c[DIM]=A,B`` keeps
the codes ``A`` or ``B`` of one dimension; ``+`` between terms is AND.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from dataops.errors import InvalidInput

_FILTER = re.compile(r"^c\[(?P<component>[^\]]+)\]$")
_EVERY_SERIES = (None, "", "*", "all")


def plain_key(key: str | None) -> str:
    """``all`` for a key that selects every series, else the key with ``*`` positions left empty."""
    return "all" if key in _EVERY_SERIES else key.replace("*", "")


@dataclass(frozen=True)
class Filters:
    """The ``c[...]`` query parameters of a 2.x data query."""

    start: str | None = None
    end: str | None = None
    codes: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> Filters:
        """``c[TIME_PERIOD]`` as start and end periods, ``c[DIM]`` as the codes wanted per dimension;
        `InvalidInput` for an operator not served."""
        start = end = None
        codes: dict[str, frozenset[str]] = {}
        for name, text in query.items():
            match = _FILTER.match(name)
            if not match:
                continue
            component = match["component"]
            # ``+`` (AND) arrives as a space when the client did not percent-encode it.
            for term in re.split(r"[+ ]", text):
                op, _, value = term.rpartition(":")
                if component == "TIME_PERIOD":
                    if op not in ("ge", "le", "eq"):
                        raise InvalidInput(
                            f"c[TIME_PERIOD] takes ge:, le: or eq: periods (ge:2020-01+le:2020-12), not {term!r}."
                        )
                    if op in ("ge", "eq"):
                        start = value
                    if op in ("le", "eq"):
                        end = value
                elif op in ("", "eq") and value.strip(","):
                    # ``,`` is OR between codes, ``+`` AND between terms: a code must satisfy every term.
                    wanted = frozenset(v for v in value.split(",") if v)
                    codes[component] = codes[component] & wanted if component in codes else wanted
                else:
                    raise InvalidInput(f"c[{component}] takes codes (A or A,B) here, not {term!r}.")
        return cls(start, end, codes)


def narrowed_key(key: str, dims: list[str], codes: Mapping[str, frozenset[str]]) -> str:
    """The key (from `plain_key`) with each ``c[DIM]`` filter folded into its position: where both
    name codes, only the codes both name are kept; `InvalidInput` when none are left or a
    dimension is unknown."""
    unknown = sorted(set(codes) - set(dims))
    if unknown:
        raise InvalidInput(f"The dataflow has no dimension {', '.join(unknown)}; it has {', '.join(dims)}.")
    parts = [""] * len(dims) if key == "all" else key.split(".")
    if len(parts) != len(dims):
        raise InvalidInput(f"The key {key!r} needs {len(dims)} positions ({'.'.join(dims)}).")
    out = []
    for dim, part in zip(dims, parts, strict=True):
        have = {c for c in part.split("+") if c not in ("", "*")}
        wanted = codes.get(dim)
        if wanted is not None and not wanted:
            raise InvalidInput(f"The terms of c[{dim}] have no {dim} code in common.")
        if wanted is not None and have:
            both = have & wanted
            if not both:
                raise InvalidInput(f"The key and c[{dim}] have no {dim} code in common.")
            have = both
        elif wanted is not None:
            have = set(wanted)
        out.append("+".join(sorted(have)))
    return ".".join(out)
