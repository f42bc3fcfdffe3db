"""The generic-XML fast path gives exactly what the plain lxml path gives, whatever the layout."""

from __future__ import annotations

import pytest

from dataops.sdmx.readers import table_metadata
from dataops.sdmx.readers.generic_fast import GenericRunScanner
from dataops.sdmx.readers.paths import read_message

pytestmark = pytest.mark.timeout(60)

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
    ' xmlns:g="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">\n'
    '<message:Header><message:ID>T</message:ID><message:Structure structureID="X"'
    ' dimensionAtObservation="TIME_PERIOD"/></message:Header>\n'
    "<message:DataSet>\n"
)
TAIL = "</message:DataSet>\n</message:GenericData>\n"


def obs(period: str, value: str, status: str = "A", indent: str = "") -> str:
    return (
        f'{indent}<g:Obs>\n{indent}  <g:ObsDimension value="{period}"/>\n{indent}  <g:ObsValue value="{value}"/>\n'
        f'{indent}  <g:Attributes><g:Value id="OBS_STATUS" value="{status}"/></g:Attributes>\n{indent}</g:Obs>\n'
    )


def series(key: str, body: str) -> str:
    return (
        f'<g:Series><g:SeriesKey><g:Value id="FREQ" value="M"/><g:Value id="CURRENCY" value="{key}"/>'
        f'</g:SeriesKey><g:Attributes><g:Value id="TITLE" value="t {key}"/></g:Attributes>\n{body}</g:Series>\n'
    )


TRICKY = (
    HEAD
    + series("USD", "".join(obs(f"2024-{m:02d}", f"{m}.5", indent="    ") for m in range(1, 13)))
    + series(
        "JPY",
        obs("2024-01", "1")
        + "<!-- " + obs("1900-01", "9").replace("--", "") + " -->\n"
        + obs("2024-02", "NaN", "A&amp;B")
        + obs("2024-03", "2", "a\tb")
        + '<g:Obs><g:ObsDimension value="2024-04"/><g:ObsValue value="3"/></g:Obs>\n'
        + obs("2024-05", ""),
    )
    + series("CHF", "".join(obs(f"2025-{m:02d}", f"{m}", indent="  ") for m in range(1, 5)) + "  ")
    + '<g:Obs><g:ObsKey><g:Value id="FREQ" value="A"/><g:Value id="CURRENCY" value="GBP"/>'
    '<g:Value id="TIME_PERIOD" value="2024"/></g:ObsKey><g:ObsValue value="7"/></g:Obs>\n'
    + TAIL
)  # fmt: skip


def read(data: bytes, *, fast: bool, chunk: int):
    chunks = iter([data[i : i + chunk] for i in range(0, len(data), chunk)])
    table = read_message(chunks, engine="pyarrow" if fast else "lxml")
    assert table_metadata(table)["read_path"] == ("pyarrow-generic-xml" if fast else "lxml")
    return table


def test_tricky_generic_message_is_read_identically_by_both_paths_at_any_chunk_size():
    data = TRICKY.encode()
    slow = read(data, fast=False, chunk=1 << 20)
    df = slow.to_pandas()
    assert len(df) == 12 + 5 + 4 + 1
    assert "1900-01" not in set(df["TIME_PERIOD"])
    jpy = df[df["CURRENCY"] == "JPY"].set_index("TIME_PERIOD")
    assert jpy.loc["2024-02", "OBS_STATUS"] == "A&B" and jpy.loc["2024-03", "OBS_STATUS"] == "a b"
    for chunk in [11, 97, 500, 4096, 1 << 20]:
        assert read(data, fast=True, chunk=chunk).equals(slow), chunk


def test_regular_generic_runs_leave_no_observation_for_lxml():
    body = "".join(
        series(f"C{s}", "".join(obs(f"2024-{o:03d}", f"{o}.5") for o in range(40))) for s in range(5)
    )
    data = (HEAD + body + TAIL).encode()
    scanner = GenericRunScanner()
    out = scanner.feed(data) + scanner.close()
    assert b"<g:Obs>" not in out
    assert out.count(b"\n") == data.count(b"\n")
    assert read(data, fast=True, chunk=1000).equals(read(data, fast=False, chunk=1 << 20))
