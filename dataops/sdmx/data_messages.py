"""One data table → the SDMX data message of a negotiated format (`dataops.sdmx.rest.negotiation`).

SDMX-ML and SDMX-JSON 2.0 messages come as an iterator of chunks (`xml_data_writers`,
`json_data_writers`), written as produced; SDMX-CSV and SDMX-JSON 1.0 as one body (`writers`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from dataops.sdmx import json_data_writers, writers, xml_data_writers
from dataops.sdmx.model import Dataflow, Structure


def write(
    fmt: str, table: pa.Table, dataflow: Dataflow, structure: Structure, *, flat: bool = False
) -> bytes | Iterator[bytes]:
    """The message in format ``fmt`` (a short name of `negotiation.CONTENT_TYPES`' data formats);
    ``flat``: SDMX-ML and SDMX-JSON 2.0 observations keyed by every dimension, not in series (CSV is
    flat anyway, SDMX-JSON 1.0 always series-wise)."""
    if fmt == "csv":
        return writers.write_csv_10(table, dataflow)
    if fmt == "csv20":
        return writers.write_csv_20(table, dataflow)
    if fmt == "json":
        return writers.write_json_10(table, dataflow, structure)
    if fmt == "json20":
        return json_data_writers.write_json_20(table, dataflow, structure, flat=flat)
    if fmt == "generic21":
        return xml_data_writers.write_generic_21(table, dataflow, structure, flat=flat)
    if fmt in ("ss21", "ss30"):
        version = "2.1" if fmt == "ss21" else "3.0"
        return xml_data_writers.write_structure_specific(table, dataflow, structure, version, flat=flat)
    raise ValueError(f"no data writer for the format {fmt!r}")
