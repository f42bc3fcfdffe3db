"""The compiled observation scanner reads random messages exactly as lxml does, split at any byte."""

from __future__ import annotations

import random

import pytest

from dataops.errors import MalformedMessage
from dataops.sdmx.media import MessageFormat
from dataops.sdmx.readers import ss_native, table_metadata
from dataops.sdmx.readers.native_columns import native_installed
from dataops.sdmx.readers.paths import ReadPath, Tuning, choose_path, read_message
from dataops.sdmx.readers.source import InputKind
from tests.sdmx.readers.ss_message import HEAD, HEAD_30, TAIL, read, regular_message

pytestmark = pytest.mark.timeout(120)

VALUES = ["A", "E", "F", "x/>y", "a>b", "ünïcödé", "A &amp; B", "&lt;tag&gt;", "tab&#9;x", "", "1 2"]
NUMBERS = ["1.5", "-2", "1e3", "NaN", "", "NA", "0.000001", "12345.678", "N/A", "inf"]
SPACE = [" ", "  ", "\t", "\n", "\r\n", " \n  "]


def _obs(rnd: random.Random, period: int) -> str:
    attrs = [("TIME_PERIOD", f"2024-{period:04d}"), ("OBS_VALUE", rnd.choice(NUMBERS))]
    attrs += [
        (name, rnd.choice(VALUES)) for name in ("OBS_STATUS", "OBS_CONF", "COMMENT") if rnd.random() < 0.6
    ]
    if rnd.random() < 0.3:
        rnd.shuffle(attrs)
    quote = "'" if rnd.random() < 0.1 else '"'
    body = "".join(
        f"{rnd.choice(SPACE)}{name}{rnd.choice(['', ' '])}={rnd.choice(['', ' '])}{quote}{value}{quote}"
        for name, value in attrs
    )
    close = rnd.choice(["/>", " />", "/>", "></Obs>"]) if rnd.random() < 0.1 else "/>"
    return f"<Obs{body}{close}"


def _message(seed: int, head: str = HEAD) -> bytes:
    rnd = random.Random(seed)
    parts = [head]
    period = 0
    for s in range(rnd.randint(1, 6)):
        parts.append(f'<Series FREQ="M" CURRENCY="C{s}">{rnd.choice(["", chr(10)])}')
        for _ in range(rnd.randint(0, 40)):
            period += 1
            parts.append(_obs(rnd, period))
            parts.append(rnd.choice(["\n", "\n", "", "  \n", "\r\n"]))
            extra = rnd.random()
            if extra < 0.03:
                parts.append(f'<!-- <Obs TIME_PERIOD="1900-{period}" OBS_VALUE="9"/> -->\n')
            elif extra < 0.05:
                parts.append(f'<?pi <Obs TIME_PERIOD="1901-{period}"/> ?>')
            elif extra < 0.06:
                parts.append("<![CDATA[ <Obs/> ]]>")
        parts.append("</Series>\n")
    parts.append(TAIL)
    return "".join(parts).encode()


def test_the_compiled_scanner_is_installed():
    assert native_installed()
    path = choose_path(MessageFormat.STRUCTURE_SPECIFIC_21, InputKind.STREAM, HEAD.encode())
    assert path is ReadPath.NATIVE_XML


@pytest.mark.parametrize("split_at", [1 << 18, 40])
@pytest.mark.parametrize("seed", range(40))
def test_random_messages_read_as_lxml_reads_them_at_any_chunk_size(seed, split_at):
    # split_at=40: nearly every chunk is scanned in two halves, so a comment, CDATA section or
    # processing instruction open across the split takes the re-scan path.
    # gather=1: every chunk scanned on its own, so its ends are tested.
    tuning = Tuning(gather=1, split_at=split_at)
    data = _message(seed)
    try:
        slow = read(data, fast=False, chunk=1 << 20)
    except MalformedMessage as exc:  # e.g. "inf" with "NaN"-free number rules, or an empty message
        with pytest.raises(MalformedMessage) as fast_exc:
            read(data, fast=True, chunk=97, tuning=tuning)
        assert type(fast_exc.value) is type(exc)
        return
    rnd = random.Random(seed)
    for chunk in [1, rnd.randint(2, 50), rnd.randint(51, 500), 1 << 20]:
        assert read(data, fast=True, chunk=chunk, tuning=tuning).equals(slow), (seed, chunk)


def test_plain_runs_leave_no_observation_for_lxml_and_keep_line_numbers():
    data = regular_message()
    scanner = ss_native.NativeObsScanner(gather=1)
    out = scanner.feed(data[:1000]) + scanner.feed(data[1000:]) + scanner.close()
    assert b"<Obs" not in out
    assert out.count(b"\n") == data.count(b"\n")
    runs = list(scanner.runs.values())
    assert sum(len(run[0].counts) for run in runs if run[1] == 0) == len(runs)
    assert sum(run[0].counts[run[1]] for run in runs) == 500


def test_a_doctype_stops_the_scanner_and_lxml_refuses_the_message():
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "boom">]>\n'
        + HEAD.split("\n", 1)[1]
        + '<Series A="1"><Obs TIME_PERIOD="1" OBS_VALUE="&e;"/><Obs TIME_PERIOD="2" OBS_VALUE="1"/></Series>'
        + TAIL
    ).encode()
    scanner = ss_native.NativeObsScanner()
    out = scanner.feed(data) + scanner.close()
    assert out == data and scanner.runs == {}
    with pytest.raises(MalformedMessage):
        read(data, fast=True, chunk=50)


def test_truncated_messages_fail_alike_on_both_paths():
    data = _message(3)
    for cut in range(len(HEAD) + 10, len(data) - 5, max(1, len(data) // 25)):
        with pytest.raises(MalformedMessage) as slow:
            read(data[:cut], fast=False, chunk=1 << 20)
        with pytest.raises(MalformedMessage) as fast:
            read(data[:cut], fast=True, chunk=64)
        assert str(fast.value) == str(slow.value), cut


def test_characters_xml_refuses_are_refused_on_both_paths():
    for char in ["\ufffe", "\uffff"]:
        data = (
            HEAD + f'<Series A="1"><Obs TIME_PERIOD="1" OBS_VALUE="1" OBS_COM="x{char}"/></Series>' + TAIL
        ).encode()
        with pytest.raises(MalformedMessage):
            read(data, fast=False, chunk=1 << 20)
        with pytest.raises(MalformedMessage):
            read(data, fast=True, chunk=1 << 20)


@pytest.mark.parametrize("engine", ["native", "pyarrow"])
@pytest.mark.parametrize("seed", range(20))
def test_random_sdmx_ml_30_messages_read_as_lxml_reads_them(seed, engine):
    data = _message(seed, HEAD_30)
    tuning = Tuning(gather=1, split_at=40)
    try:
        slow = read(data, fast=False, chunk=1 << 20)
    except MalformedMessage as exc:
        with pytest.raises(MalformedMessage) as fast_exc:
            read(data, fast=True, chunk=97, tuning=tuning, engine=engine)
        assert type(fast_exc.value) is type(exc)
        return
    fast = read(data, fast=True, chunk=random.Random(seed).randint(2, 500), tuning=tuning, engine=engine)
    assert table_metadata(fast)["read_path"] == f"{engine}-xml"
    assert table_metadata(fast)["actions"] == ["Replace"]
    assert fast.equals(slow)


def test_the_real_sdmx_ml_30_sample_reads_as_lxml_reads_it(samples):
    from dataops.sdmx.readers import read_structure

    structure = read_structure(samples / "v3/xml/ECB_EXR1.xml").structures[0]
    data = (samples / "v3/xml/ECB_EXR0.xml").read_bytes()
    slow = read_message(data, structure, engine="lxml")
    for chunk in [13, 1000, 1 << 20]:
        chunks = iter([data[i : i + chunk] for i in range(0, len(data), chunk)])
        fast = read_message(chunks, structure, engine="native", tuning=Tuning(gather=1, split_at=40))
        assert table_metadata(fast)["read_path"] == "native-xml"
        assert fast.num_rows == 116 and fast.equals(slow)
