"""The compiled scanner reads random generic messages exactly as lxml does, split at any byte."""

from __future__ import annotations

import random

import pytest

from dataops.errors import MalformedMessage
from dataops.sdmx.readers import table_metadata
from dataops.sdmx.readers.generic_native import NativeGenericScanner, root_prefixes
from dataops.sdmx.readers.paths import Tuning, read_message
from dataops.sdmx.readers.source import HEAD as HEAD_SIZE

pytestmark = pytest.mark.timeout(120)

NS = 'xmlns:{p}="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"'
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment with <g:Obs> before the root -->\n'
    '<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
    " {ns} {ns2}>\n"
    '<message:Header><message:ID>T</message:ID><message:Structure structureID="X"'
    ' dimensionAtObservation="{dim}"/></message:Header>\n'
    "<message:DataSet>\n"
)
TAIL = "</message:DataSet>\n</message:GenericData>\n"
VALUES = ["A", "E", "x/>y", "a>b", "ünïcödé", "A &amp; B", "&lt;t&gt;", "tab&#9;x", "", "1 2", "q'q"]
NUMBERS = ["1.5", "-2", "1e3", "NaN", "", "NA", "0.000001", "12345.678", "N/A", "inf", "x1"]
SPACE = ["", "", " ", "\n  ", "\t", "\r\n"]


def _attrs(rnd: random.Random, pairs: list[tuple[str, str]]) -> str:
    if rnd.random() < 0.2:
        rnd.shuffle(pairs)
    quote = "'" if rnd.random() < 0.05 else '"'
    return "".join(f" {k}{rnd.choice(['', ' '])}={quote}{v}{quote}" for k, v in pairs)


def _obs(rnd: random.Random, p: str, period: int, flat: bool) -> str:
    ws = lambda: rnd.choice(SPACE)  # noqa: E731
    parts = []
    if flat:
        keys = [("FREQ", rnd.choice(["M", "A"])), ("CURRENCY", f"C{rnd.randint(0, 3)}")]
        keys.append(("TIME_PERIOD", f"2024-{period:04d}"))
        values = "".join(f"{ws()}<{p}:Value{_attrs(rnd, [('id', k), ('value', v)])}/>" for k, v in keys)
        parts.append(f"<{p}:ObsKey>{values}{ws()}</{p}:ObsKey>")
    else:
        pairs = [("value", f"2024-{period:04d}")] + ([("id", "TIME_PERIOD")] if rnd.random() < 0.2 else [])
        parts.append(f"<{p}:ObsDimension{_attrs(rnd, pairs)}/>")
    if rnd.random() < 0.95:
        parts.append(f"<{p}:ObsValue{_attrs(rnd, [('value', rnd.choice(NUMBERS))])}{rnd.choice(['', ' '])}/>")
    names = [n for n in ("OBS_STATUS", "OBS_CONF", "COMMENT") if rnd.random() < 0.6]
    if names:
        values = "".join(
            f"{ws()}<{p}:Value{_attrs(rnd, [('id', n), ('value', rnd.choice(VALUES))])}/>" for n in names
        )
        parts.append(f"<{p}:Attributes>{values}{ws()}</{p}:Attributes>")
    if rnd.random() < 0.2:
        rnd.shuffle(parts)
    odd = rnd.random()
    if odd < 0.02:
        parts.append(f'<{p}:ObsValue value="9"/>')  # the value twice: lxml keeps the last
    elif odd < 0.03:
        parts.append("text")
    elif odd < 0.04:
        parts.append(f'<{p}:ObsDimension value="{period}" extra="1"/>')
    elif odd < 0.05:
        parts.append(f'<{p}:Attributes><{p}:Value id="OBS_STATUS" value="B"></{p}:Value></{p}:Attributes>')
    return (
        f"<{p}:Obs{rnd.choice(['', '', ' '])}>" + "".join(ws() + part for part in parts) + f"{ws()}</{p}:Obs>"
    )


def _values(rnd: random.Random) -> str:
    """Series, group or dataset attributes; some ids are no XML names, or repeat."""
    ids = rnd.sample(["TITLE", "UNIT", "DECIMALS", "x@y", "xmlns", "A.B", "TITLE", "é"], rnd.randint(0, 4))
    return "".join(
        f"{rnd.choice(SPACE)}<g:Value{_attrs(rnd, [('id', i), ('value', rnd.choice(VALUES))])}/>" for i in ids
    )


def _message(seed: int) -> bytes:
    rnd = random.Random(seed)
    flat = rnd.random() < 0.25
    # Another declared prefix for the same namespace (lxml reads both alike); sometimes none.
    p2 = rnd.choice(["h", ""])
    head = HEAD.format(
        ns=NS.format(p="g"), ns2=NS.format(p=p2) if p2 else "", dim="AllDimensions" if flat else "TIME_PERIOD"
    )
    parts = [head]
    if rnd.random() < 0.3:
        parts.append(f"<g:Attributes>{_values(rnd)}</g:Attributes>\n")  # dataset attributes
    if rnd.random() < 0.3:
        key = '<g:GroupKey><g:Value id="CURRENCY" value="C1"/></g:GroupKey>'
        parts.append(f'<g:Group type="G">{key}<g:Attributes>{_values(rnd)}</g:Attributes></g:Group>\n')
    period = 0
    for s in range(rnd.randint(1, 5)):
        if not flat:
            key = f'<g:SeriesKey><g:Value id="FREQ" value="M"/><g:Value id="CURRENCY" value="C{s}"/></g:SeriesKey>'
            if rnd.random() < 0.2:
                key = key.replace("<g:Value", "\n <g:Value")
            if rnd.random() < 0.7:
                key += f"{rnd.choice(SPACE)}<g:Attributes>{_values(rnd)}</g:Attributes>"
            parts.append(f"<g:Series>{key}{rnd.choice(['', chr(10)])}")
        for _ in range(rnd.randint(0, 30)):
            period += 1
            prefix = p2 if p2 and rnd.random() < 0.1 else "g"
            parts.append(_obs(rnd, prefix, period, flat))
            parts.append(rnd.choice(["\n", "\n", "", "  \n", "\r\n"]))
            extra = rnd.random()
            if extra < 0.03:
                parts.append(f'<!-- <g:Obs><g:ObsValue value="{period}"/></g:Obs> -->\n')
            elif extra < 0.05:
                parts.append("<?pi <g:Obs> ?>")
            elif extra < 0.06:
                parts.append("<![CDATA[ <g:Obs></g:Obs> ]]>")
        if not flat:
            parts.append("</g:Series>\n")
    parts.append(TAIL)
    return "".join(parts).encode()


PATHS = {"native": "native-generic-xml", "pyarrow": "pyarrow-generic-xml", "lxml": "lxml"}


def read(data: bytes, *, fast: bool, chunk: int, tuning: Tuning | None = None, engine: str = "native"):
    """``data`` in chunks of ``chunk`` bytes, read by ``engine``'s generic scanner (or lxml alone)."""
    engine = engine if fast else "lxml"
    chunks = iter([data[i : i + chunk] for i in range(0, len(data), chunk)])
    table = read_message(chunks, engine=engine, tuning=tuning)
    assert table_metadata(table)["read_path"] == PATHS[engine]
    return table


@pytest.mark.parametrize("split_at", [1 << 18, 40])
@pytest.mark.parametrize("seed", range(40))
def test_random_generic_messages_read_as_lxml_reads_them_at_any_chunk_size(seed, split_at):
    _same_as_lxml(seed, split_at, "native")


@pytest.mark.parametrize("seed", range(40))
def test_random_generic_messages_read_by_the_pyarrow_path_as_lxml_reads_them(seed):
    _same_as_lxml(seed, 1 << 18, "pyarrow")


def _same_as_lxml(seed: int, split_at: int, engine: str) -> None:
    # split_at=40: nearly every chunk is scanned in two halves; gather=1: every chunk on its own.
    tuning = Tuning(gather=1, split_at=split_at)
    data = _message(seed)
    try:
        slow = read(data, fast=False, chunk=1 << 20)
    except MalformedMessage as exc:  # e.g. "x1" as a value, or no observation at all
        with pytest.raises(MalformedMessage) as fast_exc:
            read(data, fast=True, chunk=97, tuning=tuning, engine=engine)
        assert type(fast_exc.value) is type(exc)
        return
    rnd = random.Random(seed)
    for chunk in [1, rnd.randint(2, 50), rnd.randint(51, 500), 1 << 20]:
        assert read(data, fast=True, chunk=chunk, tuning=tuning, engine=engine).equals(slow), (seed, chunk)


def test_regular_runs_leave_no_observation_for_lxml_and_keep_line_numbers():
    body = "".join(
        f'<g:Series><g:SeriesKey><g:Value id="CURRENCY" value="C{s}"/></g:SeriesKey>\n'
        + "".join(
            f'  <g:Obs>\n    <g:ObsDimension value="2024-{o:03d}"/>\n    <g:ObsValue value="{o}.5"/>\n'
            f'    <g:Attributes><g:Value id="OBS_STATUS" value="A"/></g:Attributes>\n  </g:Obs>\n'
            for o in range(50)
        )
        + "</g:Series>\n"
        for s in range(10)
    )
    data = (HEAD.format(ns=NS.format(p="g"), ns2="", dim="TIME_PERIOD") + body + TAIL).encode()
    scanner = NativeGenericScanner(gather=1)
    out = scanner.feed(data[:1000]) + scanner.feed(data[1000:]) + scanner.close()
    assert out.count(b"<g:Obs>") == 1  # the one in the comment before the root
    assert out.count(b"\n") == data.count(b"\n")
    assert read(data, fast=True, chunk=1000).equals(read(data, fast=False, chunk=1 << 20))


def test_a_block_with_a_prefix_the_root_does_not_declare_is_left_to_lxml():
    head = HEAD.format(ns=NS.format(p="g"), ns2="", dim="TIME_PERIOD")
    body = '<g:Series><z:Obs><z:ObsDimension value="1"/><z:ObsValue value="2"/></z:Obs></g:Series>\n'
    data = (head + body + TAIL).encode()
    scanner = NativeGenericScanner(gather=1)
    assert scanner.feed(data) + scanner.close() == data
    assert read(data, fast=True, chunk=1 << 20).equals(read(data, fast=False, chunk=1 << 20))


def test_the_root_prefixes_are_read_once_the_root_tag_is_whole():
    head = HEAD.format(ns=NS.format(p="g"), ns2=NS.format(p="h"), dim="TIME_PERIOD").encode()
    assert root_prefixes(head[:60]) is None
    assert root_prefixes(head) == ["message", "g", "h"]


def test_truncated_generic_messages_fail_alike_on_both_paths():
    data = _message(3)
    for cut in range(400, len(data) - 5, max(1, len(data) // 25)):
        with pytest.raises(MalformedMessage) as slow:
            read(data[:cut], fast=False, chunk=1 << 20)
        with pytest.raises(MalformedMessage) as fast:
            read(data[:cut], fast=True, chunk=64)
        assert str(fast.value) == str(slow.value), cut


@pytest.mark.parametrize(
    "sample",
    ["ECB_EXR/1/M.USD.EUR.SP00.A.xml", "ECB_EXR/ng-ts-gf.xml", "ECB_EXR/ng-xs.xml", "ECB_EXR/ng-flat.xml"],
)
def test_real_generic_messages_read_as_lxml_reads_them(samples, sample):
    data = (samples / sample).read_bytes()
    slow = read(data, fast=False, chunk=1 << 20)
    for chunk in [7, 1000, 1 << 20]:
        assert read(data, fast=True, chunk=chunk, tuning=Tuning(gather=1, split_at=40)).equals(slow)


def test_series_values_survive_a_default_namespace_declared_below_the_root():
    head = HEAD.format(ns=NS.format(p="g"), ns2="", dim="TIME_PERIOD")
    # Past the first 64 KB, where the reader no longer looks for default namespaces.
    padding = "<!-- " + "x" * HEAD_SIZE + " -->\n"
    head = head.replace("<message:DataSet>", padding + '<message:DataSet xmlns="urn:x">')
    body = (
        '<g:Series><g:SeriesKey><g:Value id="CURRENCY" value="USD"/></g:SeriesKey>'
        '<g:Attributes><g:Value id="TITLE" value="t"/></g:Attributes>\n'
        '<g:Obs><g:ObsDimension value="2024-01"/><g:ObsValue value="1"/></g:Obs>\n</g:Series>\n'
    )
    data = (head + body + TAIL).encode()
    fast = read(data, fast=True, chunk=1 << 20)
    assert fast.equals(read(data, fast=False, chunk=1 << 20))
    assert fast.column("TITLE").to_pylist() == ["t"] and fast.column("CURRENCY").to_pylist() == ["USD"]
