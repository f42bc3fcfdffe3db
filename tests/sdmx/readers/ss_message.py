"""A structure-specific message's frame and a reader that feeds it in chunks, for the scanner tests."""

from __future__ import annotations

import pyarrow as pa

from dataops.sdmx.readers.source import open_input
from dataops.sdmx.readers.xml_data import read_xml_data

FMT = "sdmx-ml-2.1-structure-specific"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
    ' xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">\n'
    "<message:Header><message:ID>T</message:ID></message:Header>\n"
    '<message:DataSet ss:structureRef="X">\n'
)
TAIL = "</message:DataSet>\n</message:StructureSpecificData>\n"


def read(data: bytes, *, fast: bool, chunk: int) -> pa.Table:
    """Read ``data`` handed over in chunks of ``chunk`` bytes, with or without the fast path."""
    inp = open_input(iter([data[i : i + chunk] for i in range(0, len(data), chunk)]))
    builder, info = read_xml_data(inp.chunks, FMT, inp.name, None, fast=fast)
    return builder.build(info, None)


def regular_message(series: int = 10, observations: int = 50) -> bytes:
    """Series of indented, identical-looking plain observations: every one of them a fast-path run."""
    body = "".join(
        f'<Series FREQ="D" CURRENCY="C{s}">\n'
        + "".join(
            f'  <Obs TIME_PERIOD="2024-{o:03d}" OBS_VALUE="{o}.5" OBS_STATUS="A"/>\n'
            for o in range(observations)
        )
        + "</Series>\n"
        for s in range(series)
    )
    return (HEAD + body + TAIL).encode()
