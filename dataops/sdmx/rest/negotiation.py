"""Content negotiation of the SDMX REST endpoint: ``format=`` or ``Accept`` → the format a resource writes.

Formats are short names (data: ``generic21``, ``ss21``, ``ss30``, ``csv``, ``csv20``, ``json``,
``json20``; ``xml``, ``json`` for SDMX 2.1 structures, ``xml30``, ``json20`` for SDMX 3.0 ones);
`CONTENT_TYPES` gives each its media type.

Which data format a client gets when it names none (no ``Accept``, ``*/*``) or only
``application/xml`` is the standard's, per REST version:

- REST 1.x: SDMX-ML generic data 2.1. The SDMX 2.1 web services guidelines, section "Selection of
  the Appropriate Representation" (sdmx-rest, ``v2_1/ws/rest/docs/4_6_conneg.md``): a client that
  does not specify the format, or only ``application/xml``, gets "the most recent version, that the
  service support, of the SDMX-ML Generic Data format for data queries".
- REST 2.x: SDMX-JSON 2.0, the format the SDMX REST 2.0 specification marks as the default in the
  "Response types" section of its data queries (sdmx-rest, ``doc/data.md``). That specification
  gives ``application/xml`` no meaning of its own; it gets SDMX-ML 3.0, the only SDMX-ML data
  format of SDMX 3.0 (structure-specific), in the spirit of the 2.1 rule.

An ``Accept`` of ``*/*`` is treated as no ``Accept`` at all, as HTTP defines them to mean the same
(RFC 9110, section 12.5.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dataops.errors import InvalidInput, NotAcceptable
from dataops.sdmx import media

DATA_TYPES = {
    media.GENERIC_21: "generic21",
    media.STRUCTURE_SPECIFIC_21: "ss21",
    media.STRUCTURE_SPECIFIC_30: "ss30",
    # Without a version: the one version of each that SDMX defines.
    "application/vnd.sdmx.genericdata+xml": "generic21",
    "application/vnd.sdmx.structurespecificdata+xml": "ss21",
    "application/vnd.sdmx.data+xml": "ss30",
    # Not a media type of the standard, but what a client reading "structure-specific 3.0" may send.
    "application/vnd.sdmx.structurespecificdata+xml;version=3.0.0": "ss30",
    media.CSV_10: "csv",
    media.CSV_20: "csv20",
    "application/vnd.sdmx.data+csv": "csv",
    "text/csv": "csv",
    media.JSON_10: "json",
    media.JSON_20: "json20",
    "application/vnd.sdmx.data+json": "json",
    "application/json": "json",
}
_XML = ("application/xml", "text/xml")
DATA_1_TYPES = {**DATA_TYPES, **dict.fromkeys(_XML, "generic21")}
DATA_2_TYPES = {**DATA_TYPES, **dict.fromkeys(_XML, "ss30")}
_STRUCTURE_XML = ("application/vnd.sdmx.structure+xml", "application/xml", "text/xml")
_STRUCTURE_JSON = ("application/vnd.sdmx.structure+json", "application/json")
# REST 1.x structure resources: SDMX-ML 2.1 or SDMX-JSON 1.0.
STRUCTURE_TYPES = {
    media.STRUCTURE_21: "xml",
    **dict.fromkeys(_STRUCTURE_XML, "xml"),
    media.STRUCTURE_JSON_10: "json",
    **dict.fromkeys(_STRUCTURE_JSON, "json"),
}
# REST 2.x structure resources: SDMX-ML 3.0 or SDMX-JSON 2.0.
STRUCTURE_30_TYPES = {
    media.STRUCTURE_30: "xml30",
    **dict.fromkeys(_STRUCTURE_XML, "xml30"),
    media.STRUCTURE_JSON_20: "json20",
    **dict.fromkeys(_STRUCTURE_JSON, "json20"),
}
CONTENT_TYPES = {
    ("data", "generic21"): media.GENERIC_21,
    ("data", "ss21"): media.STRUCTURE_SPECIFIC_21,
    ("data", "ss30"): media.STRUCTURE_SPECIFIC_30,
    ("data", "json20"): media.JSON_20,
    ("data", "csv"): media.CSV_10,
    ("data", "csv20"): media.CSV_20,
    ("data", "json"): media.JSON_10,
    ("structure", "xml"): media.STRUCTURE_21,
    ("structure", "json"): media.STRUCTURE_JSON_10,
    ("structure", "xml30"): media.STRUCTURE_30,
    ("structure", "json20"): media.STRUCTURE_JSON_20,
}
FORMAT_PARAMS = {
    "csv": "csv",
    "csvdata": "csv",
    "json": "json",
    "jsondata": "json",
    "sdmx-json": "json",
    "xml": "xml",
    "sdmx-ml": "xml",
}
# ``format=`` on data resources: the names ECB and others take; ``xml`` is the REST version's SDMX-ML.
_DATA_PARAMS = {
    "csv": "csv",
    "csvdata": "csv",
    "json": "json",
    "jsondata": "json",
    "sdmx-json": "json",
    "genericdata": "generic21",
    "structurespecificdata": "ss21",
}


@dataclass(frozen=True)
class Offer:
    """What one resource writes: ``kind`` (``data`` or ``structure``), media type → format, and the
    format answered to ``*/*`` or no ``Accept``."""

    kind: str
    types: Mapping[str, str]
    default: str
    params: Mapping[str, str] | None = None  # ``format=`` name → format; None: by family (`FORMAT_PARAMS`)

    def media_type(self, fmt: str) -> str:
        """The media type a body in ``fmt`` is sent with."""
        return CONTENT_TYPES[(self.kind, fmt)]


DATA_1 = Offer(
    "data", DATA_1_TYPES, "generic21", {**_DATA_PARAMS, "xml": "generic21", "sdmx-ml": "generic21"}
)
DATA_2 = Offer("data", DATA_2_TYPES, "json20", {**_DATA_PARAMS, "xml": "ss30", "sdmx-ml": "ss30"})
STRUCTURE_1 = Offer("structure", STRUCTURE_TYPES, "xml")
STRUCTURE_2 = Offer("structure", STRUCTURE_30_TYPES, "xml30")


def canonical(media_type: str) -> tuple[str, str | None]:
    """A media type without spaces or parameters other than ``version``, and that version padded to
    three parts, so ``version=1.0`` and ``version=1.0.0`` name the same format."""
    fields = [f.strip().replace(" ", "") for f in media_type.split(";")]
    version = None
    for f in fields[1:]:
        name, _, value = f.partition("=")
        if name.lower() == "version" and value:
            parts = value.strip('"').split(".")
            version = ".".join(parts + ["0"] * (3 - len(parts)))
    return fields[0].lower(), version


def negotiate(accept: str, offered: Mapping[str, str], default: str) -> str | None:
    """The offered format the Accept header ranks highest (``default`` for ``*/*`` or no header).

    A media type asked for with a ``version`` matches only that version: a client that wants
    SDMX-JSON 2.0 is not handed 1.0.
    """
    if not accept.strip():
        return default
    by_type = {canonical(k): v for k, v in offered.items()}
    ranked = []
    for order, item in enumerate(accept.split(",")):
        fields = [f.strip() for f in item.split(";") if f.strip()]
        if not fields:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.replace(" ", "").startswith("q="):
                try:
                    q = float(f.split("=", 1)[1])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, order, ";".join(fields)))
    for _, _, media_type in sorted(ranked):
        bare, version = canonical(media_type)
        if bare in ("*/*", "application/*"):
            return default
        found = by_type.get((bare, version))
        if found:
            return found
    return None


def choose(offer: Offer, accept: str, format_param: str | None) -> str:
    """The format to answer in: ``format=`` wins over ``Accept``; nothing acceptable is `NotAcceptable`
    listing the media types offered, an unknown ``format=`` `InvalidInput` listing the names."""
    if format_param and offer.params is not None:
        fmt = offer.params.get(format_param.lower())
        if fmt is None:
            raise InvalidInput(
                f"format must be one of {', '.join(sorted(offer.params))}, not {format_param!r}."
            )
        return fmt
    if format_param:
        # ``format=json`` names a family; the resource answers the JSON version it offers.
        families = {f.rstrip("0123456789"): f for f in offer.types.values()}
        family = FORMAT_PARAMS.get(format_param.lower())
        if family not in families:
            names = sorted(p for p, f in FORMAT_PARAMS.items() if f in families)
            raise InvalidInput(f"format must be one of {', '.join(names)}, not {format_param!r}.")
        return families[family]
    fmt = negotiate(accept, offer.types, offer.default)
    if fmt is None:
        available = ", ".join(sorted({offer.media_type(f) for f in offer.types.values()}))
        raise NotAcceptable(
            f"This endpoint cannot answer {accept!r}; it offers {available}"
            f" (with no Accept header: {offer.media_type(offer.default)})."
        )
    return fmt
