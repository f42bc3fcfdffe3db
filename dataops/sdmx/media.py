"""SDMX media types: what the REST client puts in ``Accept`` and what the REST endpoint answers with.

Providers differ in what they honour, so the client always sends an explicit media type rather
than ``*/*`` (ECB answers generic XML to ``*/*``; Eurostat answers structure-specific).
"""

from __future__ import annotations

# SDMX REST 1.x (SDMX 2.1 messages)
GENERIC_21 = "application/vnd.sdmx.genericdata+xml;version=2.1"
STRUCTURE_SPECIFIC_21 = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
STRUCTURE_21 = "application/vnd.sdmx.structure+xml;version=2.1"
CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"
JSON_10 = "application/vnd.sdmx.data+json;version=1.0.0"
STRUCTURE_JSON_10 = "application/vnd.sdmx.structure+json;version=1.0.0"

# SDMX REST 2.x (SDMX 3.0 messages)
STRUCTURE_SPECIFIC_30 = "application/vnd.sdmx.data+xml;version=3.0.0"
STRUCTURE_30 = "application/vnd.sdmx.structure+xml;version=3.0.0"
CSV_20 = "application/vnd.sdmx.data+csv;version=2.0.0"
JSON_20 = "application/vnd.sdmx.data+json;version=2.0.0"
STRUCTURE_JSON_20 = "application/vnd.sdmx.structure+json;version=2.0.0"

ARROW_STREAM = "application/vnd.apache.arrow.stream"

# Short names usable in configuration (``data_formats = ["csv", "xml"]``).
DATA_FORMATS = {
    1: {"xml": STRUCTURE_SPECIFIC_21, "generic": GENERIC_21, "csv": CSV_10, "json": JSON_10},
    2: {"xml": STRUCTURE_SPECIFIC_30, "csv": CSV_20, "json": JSON_20},
}
STRUCTURE_FORMATS = {1: STRUCTURE_21, 2: STRUCTURE_30}


def data_accept(version: int, formats: tuple[str, ...]) -> str:
    """An ``Accept`` header listing the given short formats in preference order (q-values)."""
    table = DATA_FORMATS[version]
    parts = []
    for i, name in enumerate(formats):
        q = round(1.0 - i * 0.1, 1)
        parts.append(table[name] if i == 0 else f"{table[name]};q={q}")
    return ", ".join(parts)
