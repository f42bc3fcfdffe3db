"""SDMX message formats, named by their media types: what the REST client puts in ``Accept``, what
the REST endpoint answers with, and what the readers find a message to be.

Providers differ in what they honour, so the client always sends an explicit media type rather
than ``*/*`` (ECB answers generic XML to ``*/*``; Eurostat answers structure-specific).
"""

from __future__ import annotations

from enum import StrEnum


class MessageFormat(StrEnum):
    """An SDMX message format; the value is its media type.

    ``label`` is the short name the readers record in a table's metadata (``"sdmx-csv-1.0"``),
    ``description`` the words error messages use for it.
    """

    # Data: SDMX 2.1 messages (SDMX REST 1.x), SDMX 3.0 messages (SDMX REST 2.x).
    GENERIC_21 = "application/vnd.sdmx.genericdata+xml;version=2.1"
    STRUCTURE_SPECIFIC_21 = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
    STRUCTURE_SPECIFIC_30 = "application/vnd.sdmx.data+xml;version=3.0.0"
    CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"
    CSV_20 = "application/vnd.sdmx.data+csv;version=2.0.0"
    # Not an SDMX media type: ECB's ``format=csvdata`` comes as plain CSV.
    ECB_CSVDATA = "text/csv"
    JSON_10 = "application/vnd.sdmx.data+json;version=1.0.0"
    JSON_20 = "application/vnd.sdmx.data+json;version=2.0.0"
    # Structures: dataflows, DSDs, codelists.
    STRUCTURE_21 = "application/vnd.sdmx.structure+xml;version=2.1"
    STRUCTURE_30 = "application/vnd.sdmx.structure+xml;version=3.0.0"
    STRUCTURE_JSON_10 = "application/vnd.sdmx.structure+json;version=1.0.0"
    STRUCTURE_JSON_20 = "application/vnd.sdmx.structure+json;version=2.0.0"
    # An SDMX-ML <Error> message has no media type of its own: providers send it as XML.
    ERROR = "application/xml"

    @property
    def label(self) -> str:
        """The short name (``"sdmx-ml-2.1-generic"``), as in a table's ``sdmx`` metadata."""
        return _NAMES[self][0]

    @property
    def description(self) -> str:
        """What the format is, in words (``"SDMX-ML 2.1 generic data"``)."""
        return _NAMES[self][1]

    @property
    def is_structure(self) -> bool:
        """True for structure messages (dataflows, DSDs, codelists)."""
        return self in _STRUCTURES


_NAMES: dict[MessageFormat, tuple[str, str]] = {
    MessageFormat.GENERIC_21: ("sdmx-ml-2.1-generic", "SDMX-ML 2.1 generic data"),
    MessageFormat.STRUCTURE_SPECIFIC_21: (
        "sdmx-ml-2.1-structure-specific",
        "SDMX-ML 2.1 structure-specific data (series, cross-section, flat)",
    ),
    MessageFormat.STRUCTURE_SPECIFIC_30: (
        "sdmx-ml-3.0-structure-specific",
        "SDMX-ML 3.0 structure-specific data",
    ),
    MessageFormat.CSV_10: ("sdmx-csv-1.0", "SDMX-CSV 1.0"),
    MessageFormat.CSV_20: ("sdmx-csv-2.0", "SDMX-CSV 2.0 (also with ';' separator, labels, decimal comma)"),
    MessageFormat.ECB_CSVDATA: ("ecb-csvdata", "ECB csvdata (CSV with a KEY column)"),
    MessageFormat.JSON_10: ("sdmx-json-1.0", "SDMX-JSON 1.0 data"),
    MessageFormat.JSON_20: ("sdmx-json-2.0", "SDMX-JSON 2.0 data"),
    MessageFormat.STRUCTURE_21: ("sdmx-ml-2.1-structure", "SDMX-ML 2.1 structure"),
    MessageFormat.STRUCTURE_30: ("sdmx-ml-3.0-structure", "SDMX-ML 3.0 structure"),
    MessageFormat.STRUCTURE_JSON_10: ("sdmx-json-1.0-structure", "SDMX-JSON 1.0 structure"),
    MessageFormat.STRUCTURE_JSON_20: ("sdmx-json-2.0-structure", "SDMX-JSON 2.0 structure"),
    MessageFormat.ERROR: ("sdmx-ml-error", "an SDMX-ML error message"),
}
_STRUCTURES = frozenset(
    {
        MessageFormat.STRUCTURE_21,
        MessageFormat.STRUCTURE_30,
        MessageFormat.STRUCTURE_JSON_10,
        MessageFormat.STRUCTURE_JSON_20,
    }
)

# The earlier module-level names, still used by the REST endpoint's handlers; each is the enum member.
GENERIC_21 = MessageFormat.GENERIC_21
STRUCTURE_SPECIFIC_21 = MessageFormat.STRUCTURE_SPECIFIC_21
STRUCTURE_21 = MessageFormat.STRUCTURE_21
CSV_10 = MessageFormat.CSV_10
JSON_10 = MessageFormat.JSON_10
STRUCTURE_JSON_10 = MessageFormat.STRUCTURE_JSON_10
STRUCTURE_SPECIFIC_30 = MessageFormat.STRUCTURE_SPECIFIC_30
STRUCTURE_30 = MessageFormat.STRUCTURE_30
CSV_20 = MessageFormat.CSV_20
JSON_20 = MessageFormat.JSON_20
STRUCTURE_JSON_20 = MessageFormat.STRUCTURE_JSON_20

ARROW_STREAM = "application/vnd.apache.arrow.stream"

# Short names usable in configuration (``data_formats = ["csv", "xml"]``), per SDMX REST major version.
DATA_FORMATS: dict[int, dict[str, MessageFormat]] = {
    1: {
        "xml": MessageFormat.STRUCTURE_SPECIFIC_21,
        "generic": MessageFormat.GENERIC_21,
        "csv": MessageFormat.CSV_10,
        "json": MessageFormat.JSON_10,
    },
    2: {
        "xml": MessageFormat.STRUCTURE_SPECIFIC_30,
        "csv": MessageFormat.CSV_20,
        "json": MessageFormat.JSON_20,
    },
}
STRUCTURE_FORMATS: dict[int, MessageFormat] = {1: MessageFormat.STRUCTURE_21, 2: MessageFormat.STRUCTURE_30}


def data_accept(version: int, formats: tuple[str, ...]) -> str:
    """An ``Accept`` header listing the given short formats in preference order (q-values)."""
    table = DATA_FORMATS[version]
    parts = []
    for i, name in enumerate(formats):
        q = round(1.0 - i * 0.1, 1)
        parts.append(table[name] if i == 0 else f"{table[name]};q={q}")
    return ", ".join(parts)
