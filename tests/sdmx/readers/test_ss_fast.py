"""The structure-specific fast path gives exactly what the plain lxml path gives, whatever the bytes."""

from __future__ import annotations

import pytest

from dataops.errors import MalformedMessage
from dataops.sdmx.readers.paths import fast_path_allowed
from tests.sdmx.readers.ss_message import HEAD, SMALL, TAIL, read, read_whole, regular_message

pytestmark = pytest.mark.timeout(60)

TRICKY = (
    HEAD
    + (
        '<Series FREQ="M" CURRENCY="USD">\n'
        '<Obs TIME_PERIOD="2024-01" OBS_VALUE="1.5" OBS_STATUS="A"/>\n'
        '<!-- <Obs TIME_PERIOD="1900-01" OBS_VALUE="9"/> a commented-out observation -->\n'
        '<Obs TIME_PERIOD="2024-02" OBS_VALUE="1.6"/>\n'
        '<Obs  TIME_PERIOD = "2024-03"  OBS_VALUE="1.7" OBS_STATUS="A" />\n'
        "<Obs TIME_PERIOD='2024-04' OBS_VALUE='1.8'/>\n"
        '<Obs TIME_PERIOD="2024-05" OBS_VALUE="1.9" OBS_COM="A &amp; B &lt;C&gt;"/>\n'
        '<Obs TIME_PERIOD="2024-06" OBS_VALUE="2.0" OBS_COM="tab&#9;and line&#10;break"/>\n'
        '<?some-pi <Obs TIME_PERIOD="1900-02" OBS_VALUE="9"/> ?>\n'
        '<Obs TIME_PERIOD="2024-07" OBS_VALUE="2.1" OBS_COM="a>b"/>\n'
        '<Obs TIME_PERIOD="2024-08" OBS_VALUE="" OBS_COM="ünïcödé"/>\n'
        "</Series>\n"
        '<Series FREQ="M" CURRENCY="JPY"><![CDATA[ <Obs TIME_PERIOD="1900-03"/> ]]>'
        + "".join(f'<Obs TIME_PERIOD="2025-{m:02d}" OBS_VALUE="{m}.5" OBS_STATUS="A"/>' for m in range(1, 13))
        + "</Series>\n"
        + '<Obs FREQ="A" CURRENCY="CHF" TIME_PERIOD="2024" OBS_VALUE="3"/>\n'
    )
    + TAIL
)


def test_tricky_message_is_read_identically_by_both_paths_at_any_chunk_size(obs_scanner):
    data = TRICKY.encode()
    slow = read(data, fast=False, chunk=1 << 20)
    df = slow.to_pandas()
    assert len(df) == 8 + 12 + 1
    assert "1900-01" not in set(df["TIME_PERIOD"]) and "1900-03" not in set(df["TIME_PERIOD"])
    assert df.loc[df["TIME_PERIOD"] == "2024-05", "OBS_COM"].item() == "A & B <C>"
    assert df.loc[df["TIME_PERIOD"] == "2024-06", "OBS_COM"].item() == "tab\tand line\nbreak"
    for chunk in [7, 13, 64, 333, 4096, 1 << 20]:
        fast = read(data, fast=True, chunk=chunk, engine=obs_scanner, tuning=SMALL)
        assert fast.equals(slow), chunk


def test_bench_shaped_message_is_identical_on_both_paths(obs_scanner):
    body = "".join(
        f'<Series FREQ="D" CURRENCY="C{s:03d}" TITLE="Currency {s}">\n'
        + "".join(
            f'<Obs TIME_PERIOD="2024-{o:03d}" OBS_VALUE="{o * 1.01:.2f}" OBS_STATUS="A"/>\n'
            for o in range(300)
        )
        + "</Series>\n"
        for s in range(20)
    )
    data = (HEAD + body + TAIL).encode()
    fast = read(data, fast=True, chunk=10_000, engine=obs_scanner, tuning=SMALL)
    assert fast.equals(read(data, fast=False, chunk=1 << 20))


def test_fast_path_still_reports_broken_messages_with_their_line(obs_scanner):
    data = (
        HEAD + '<Series A="1">\n<Obs TIME_PERIOD="1" OBS_VALUE="2"/>\n<Obs TIME_PERIOD="2" OBS_VALUE="3"/>\n'
    ).encode()
    with pytest.raises(MalformedMessage, match="line"):
        read_whole(obs_scanner, data)
    bad = (
        HEAD + '<Series A="1">\n<Obs TIME_PERIOD="1"/>\n<Obs TIME_PERIOD="2"/>\n</Serie>\n' + TAIL
    ).encode()
    with pytest.raises(MalformedMessage, match="line 8"):
        read_whole(obs_scanner, bad)
    with pytest.raises(MalformedMessage):
        read_whole(obs_scanner, (HEAD + '<Series A="1"><Obs T="1" T="2"/></Series>' + TAIL).encode())
    # The pyarrow scanner names UTF-8; the compiled one leaves the element to lxml, which names the line.
    with pytest.raises(MalformedMessage, match="UTF-8|character encoding"):
        read_whole(
            obs_scanner, (HEAD + '<Series A="1"><Obs T="1" V="\xe9"/></Series>' + TAIL).encode("latin-1")
        )


def test_fast_path_is_used_only_for_utf8_messages_without_a_default_namespace():
    assert fast_path_allowed(HEAD.encode())
    assert not fast_path_allowed(HEAD.replace("UTF-8", "ISO-8859-1").encode())
    assert not fast_path_allowed(
        HEAD.replace(
            "<message:StructureSpecificData", '<message:StructureSpecificData xmlns="urn:x"'
        ).encode()
    )


LINES = (
    HEAD
    + (
        '<Series FREQ="M" CURRENCY="USD">\n'
        '  <Obs TIME_PERIOD="2024-01" OBS_VALUE="1.5" OBS_STATUS="A"/>\n'
        '\t<Obs TIME_PERIOD="2024-02" OBS_VALUE="NaN" OBS_STATUS="A" />\r\n'
        '    <Obs TIME_PERIOD="2024-03" OBS_STATUS="E" OBS_VALUE="1.7"/>\n'
        '<Obs TIME_PERIOD="2024-04" OBS_VALUE="1.8" OBS_STATUS="a\tb"/>\n'
        '<Obs TIME_PERIOD="2024-05" OBS_VALUE="1e3" OBS_STATUS="x/>y"/>\n'
        '<Obs TIME_PERIOD="2024-06" OBS_VALUE="" OBS_STATUS="&quot;q&quot;"/>\n'
        "</Series>\n"
        '<Series FREQ="M" CURRENCY="JPY">'
        + "".join(f'<Obs TIME_PERIOD="2025-{m:02d}" OBS_VALUE="{m}.5" OBS_STATUS="A"/>' for m in range(1, 9))
        + "\n"
        + "".join(f'<Obs TIME_PERIOD="2026-{m:02d}" OBS_VALUE="{m}" OBS_STATUS="A"/>\n' for m in range(1, 9))
        + "</Series>\n"
        '<Series FREQ="M" CURRENCY="CHF">\n'
        '<Obs TIME_PERIOD="2024-01" OBS_VALUE="1" OBS_STATUS=" OBS_VALUE="/>\n'
        '<Obs TIME_PERIOD="2024-02" OBS_VALUE="2" OBS_STATUS="A"/>\n'
        "</Series>\n"
    )
    + TAIL
)


def test_line_layouts_attribute_order_and_odd_values_read_as_lxml_reads_them(obs_scanner):
    data = LINES.encode()
    slow = read(data, fast=False, chunk=1 << 20)
    df = slow.to_pandas()
    assert len(df) == 6 + 16 + 2
    assert df.loc[df["TIME_PERIOD"] == "2024-03", "OBS_VALUE"].tolist() == [1.7]
    assert df.loc[df["TIME_PERIOD"] == "2024-04", "OBS_STATUS"].item() == "a b"  # XML turns tabs into spaces
    assert df.loc[df["TIME_PERIOD"] == "2024-05", "OBS_STATUS"].item() == "x/>y"
    for chunk in [5, 61, 200, 1000, 1 << 20]:
        assert read(data, fast=True, chunk=chunk, engine=obs_scanner, tuning=SMALL).equals(slow), chunk


def test_regular_runs_leave_no_observation_for_lxml():
    from dataops.sdmx.readers.ss_fast import ObsRunScanner

    data = regular_message()
    scanner = ObsRunScanner()
    out = scanner.feed(data) + scanner.close()
    assert b"<Obs" not in out
    assert out.count(b"\n") == data.count(b"\n")  # line numbers stay true
    batches = {id(run[0]) for run in scanner.runs}
    assert len(batches) == 1 and sum(scanner.runs[0][0].counts) == 500


def test_a_value_that_is_no_number_is_reported_on_the_fast_path_too(obs_scanner):
    data = (HEAD + '<Series A="1">\n<Obs TIME_PERIOD="1" OBS_VALUE="1.5"/>\n'
            '<Obs TIME_PERIOD="2" OBS_VALUE="abc"/>\n</Series>\n' + TAIL).encode()  # fmt: skip
    with pytest.raises(MalformedMessage, match="'abc'"):
        read_whole(obs_scanner, data)
