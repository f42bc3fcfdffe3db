"""Read SDMX data and structure messages in every common format into Arrow and the SDMX model.

``read_data`` sniffs the format, streams the message and returns one `pyarrow.Table` with one row
per observation: dimension columns in DSD order (dictionary-encoded, so pandas ``category``), the
time dimension as written in the message, ``OBS_VALUE`` as float64 (null where missing), then
attribute columns by DSD id. ``table.schema.metadata[b"sdmx"]`` holds JSON describing the
columns (format, structure id, dimensions, time dimension, attributes, footer).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from dataops.sdmx.model import Structure, StructureMessage
from dataops.sdmx.readers.memory import reading
from dataops.sdmx.readers.sniff import (
    DATA_FORMATS,
    ERROR_FORMAT,
    STRUCTURE_FORMATS,
    SUPPORTED_FORMATS,
    sniff_format,
    unsupported,
)
from dataops.sdmx.readers.source import open_input

__all__ = ["SUPPORTED_FORMATS", "read_data", "read_structure", "sniff_format", "table_metadata"]


def read_data(source: Any, structure: Structure | None = None, *, max_bytes: int | None = None) -> pa.Table:
    """Read one SDMX data message (path, bytes, binary file or iterator of byte chunks) into Arrow.

    ``structure`` orders and classifies the columns (needed to tell dimensions from attributes in
    structure-specific XML); ``max_bytes`` stops reading with `TooLarge` beyond that many bytes.
    """
    with reading():
        return _read_data(source, structure, max_bytes)


def _read_data(source: Any, structure: Structure | None, max_bytes: int | None) -> pa.Table:
    inp = open_input(source, max_bytes)
    fmt = sniff_format(inp.head, inp.name)
    if fmt.startswith("sdmx-ml") or fmt == ERROR_FORMAT:
        if fmt in STRUCTURE_FORMATS:
            raise unsupported(inp.name, "is a structure message, not data; read it with read_structure")
        from dataops.sdmx.readers.ss_fast import fast_path_allowed
        from dataops.sdmx.readers.xml_data import read_xml_data

        fast = fast_path_allowed(inp.head)
        builder, info = read_xml_data(inp.chunks, fmt, inp.name, structure, fast=fast)
        return builder.build(info, structure)
    if fmt.startswith("sdmx-json"):
        from dataops.sdmx.readers.json_data import read_json_data

        return read_json_data(inp.chunks, inp.name, structure)
    if fmt in DATA_FORMATS:
        from dataops.sdmx.readers.csv_data import read_csv_data

        return read_csv_data(inp, fmt, structure)
    raise unsupported(inp.name, f"is in format {fmt}, which holds no data")


def read_structure(source: Any, *, max_bytes: int | None = None) -> StructureMessage:
    """Read an SDMX-ML 2.1/3.0 or SDMX-JSON structure message: dataflows, structures, codelists."""
    inp = open_input(source, max_bytes)
    fmt = sniff_format(inp.head, inp.name)
    if fmt.startswith("sdmx-ml") and fmt.endswith("-structure"):
        from dataops.sdmx.readers.xml_structure import read_xml_structure

        return read_xml_structure(inp.read_all(), inp.name)
    if fmt.startswith("sdmx-json"):
        from dataops.sdmx.readers.json_structure import read_json_structure

        return read_json_structure(inp.read_all(), inp.name)
    if fmt == ERROR_FORMAT:
        from dataops.sdmx.readers.xml_data import read_xml_data

        read_xml_data(inp.chunks, fmt, inp.name, None)
    raise unsupported(inp.name, f"is {SUPPORTED_FORMATS.get(fmt, fmt)}, not a structure message")


def table_metadata(table: pa.Table) -> dict[str, Any]:
    """The ``sdmx`` metadata `read_data` stored on a table (format, structure id, column roles)."""
    import json

    raw = (table.schema.metadata or {}).get(b"sdmx")
    return json.loads(raw) if raw else {}
