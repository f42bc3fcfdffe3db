"""Read SDMX data and structure messages in every common format into Arrow and the SDMX model.

``read_data`` sniffs the format, streams the message and returns one `pyarrow.Table` with one row
per observation: dimension columns in DSD order (dictionary-encoded, so pandas ``category``), the
time dimension as written in the message, ``OBS_VALUE`` as float64 (null where missing), then
attribute columns by DSD id. ``table.schema.metadata[b"sdmx"]`` holds JSON describing the
columns (format, structure id, dimensions, time dimension, attributes, footer) and the path that
read the message (``read_path``, see `paths`).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from dataops.sdmx.media import MessageFormat
from dataops.sdmx.model import Structure, StructureMessage
from dataops.sdmx.readers.memory import reading
from dataops.sdmx.readers.sniff import SUPPORTED_FORMATS, sniff_format, unsupported
from dataops.sdmx.readers.source import open_input

__all__ = ["SUPPORTED_FORMATS", "read_data", "read_structure", "sniff_format", "table_metadata"]


def read_data(
    source: Any,
    structure: Structure | None = None,
    *,
    max_bytes: int | None = None,
    engine: str | None = None,
) -> pa.Table:
    """Read one SDMX data message (path, bytes, binary file or iterator of byte chunks) into Arrow.

    ``structure`` orders and classifies the columns (needed to tell dimensions from attributes in
    structure-specific XML); ``max_bytes`` stops reading with `TooLarge` beyond that many bytes;
    ``engine`` (``"native"``, ``"pyarrow"`` or ``"lxml"``) caps the machinery used, the fastest
    installed by default.
    """
    from dataops.sdmx.readers.paths import read_message

    with reading():
        return read_message(source, structure, max_bytes=max_bytes, engine=engine)


def read_structure(source: Any, *, max_bytes: int | None = None) -> StructureMessage:
    """Read an SDMX-ML 2.1/3.0 or SDMX-JSON structure message: dataflows, structures, codelists."""
    inp = open_input(source, max_bytes)
    fmt = sniff_format(inp.head, inp.name)
    if fmt in (MessageFormat.STRUCTURE_21, MessageFormat.STRUCTURE_30):
        from dataops.sdmx.readers.xml_structure import read_xml_structure

        return read_xml_structure(inp.read_all(), inp.name)
    if fmt in (
        MessageFormat.JSON_10,
        MessageFormat.JSON_20,
        MessageFormat.STRUCTURE_JSON_10,
        MessageFormat.STRUCTURE_JSON_20,
    ):
        from dataops.sdmx.readers.json_structure import read_json_structure

        return read_json_structure(inp.read_all(), inp.name)
    if fmt is MessageFormat.ERROR:
        from dataops.sdmx.readers.xml_data import read_xml_data

        read_xml_data(inp.chunks, fmt, inp.name, None)
    raise unsupported(inp.name, f"is {fmt.description}, not a structure message")


def table_metadata(table: pa.Table) -> dict[str, Any]:
    """The ``sdmx`` metadata `read_data` stored on a table (format, structure id, column roles, read path)."""
    import json

    raw = (table.schema.metadata or {}).get(b"sdmx")
    return json.loads(raw) if raw else {}
