"""A structure-specific message's frame and a reader that feeds it in chunks, for the scanner tests."""

from __future__ import annotations

import pyarrow as pa

from dataops.sdmx.readers.paths import Tuning, read_message

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
    ' xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">\n'
    "<message:Header><message:ID>T</message:ID></message:Header>\n"
    '<message:DataSet ss:structureRef="X">\n'
)
TAIL = "</message:DataSet>\n</message:StructureSpecificData>\n"
# The compiled scanner scans every chunk as it comes, so that chunk boundaries are tested.
SMALL = Tuning(gather=1)


def read(
    data: bytes, *, fast: bool, chunk: int, engine: str = "native", tuning: Tuning | None = None
) -> pa.Table:
    """Read ``data`` handed over in chunks of ``chunk`` bytes, by lxml alone or with ``engine``'s scanner."""
    chunks = iter([data[i : i + chunk] for i in range(0, len(data), chunk)])
    return read_message(chunks, engine=engine if fast else "lxml", tuning=tuning)


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


def read_whole(engine: str, data: bytes) -> pa.Table:
    """Read ``data`` handed over whole, with ``engine``'s scanner (scanning as for `read`)."""
    return read_message(data, engine=engine, tuning=SMALL)


# SDMX-ML 3.0: other namespaces, the dataset's action as an attribute.
HEAD_30 = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"'
    ' xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific">\n'
    '<message:Header><message:ID>T</message:ID><message:Structure structureID="X"'
    ' dimensionAtObservation="TIME_PERIOD"/></message:Header>\n'
    '<message:DataSet ss:structureRef="X" ss:action="Replace">\n'
)
