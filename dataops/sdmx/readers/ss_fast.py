"""A fast path for structure-specific XML: runs of plain ``<Obs .../>`` elements go to pyarrow's CSV reader.

Calling Python once per observation is what makes XML slow. In structure-specific messages the
observations are self-closing ``<Obs A="..." B="..."/>`` elements with the same attributes in the
same order, usually one per line. Split at ``"``, such a line is ``<Obs A=`` · value · `` B=`` ·
value · ``/>``, so a whole series (from its first ``<Obs`` to the last ``/>`` before the next
``</``) is parsed by pyarrow's CSV reader with ``"`` as the delimiter, straight
into the final column types, in one pass and at C speed. The separator columns are read as
dictionaries and every distinct separator is checked against the attribute names of the first
observation, so a run is only accepted when each line is exactly one such element: any other
layout, attribute order, quoting, entity, comment or stray markup fails the checks, and the run
is then matched by a stricter regular expression (`_Template`) or, failing that, left to lxml.

Each accepted run is replaced, in the bytes lxml still parses, by a processing instruction carrying
the run's number and as many line breaks as the run had, so lxml still checks the rest of the
document (DTDs refused, nesting, truncation) and reports true line numbers, and the target knows
which series the run belongs to.
"""

from __future__ import annotations

import re
import secrets
from concurrent.futures import Future

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dataops.errors import MalformedMessage
from dataops.sdmx.readers.runs import DICT, SPECIAL, RunBatch, parse_pool, pass_markup, read_fields, values_ok

_FIRST_OBS = re.compile(rb'<Obs((?:\s+[A-Za-z_][\w.\-]*="[^"<&\x00-\x1f]{0,4096}")+)\s*/>')
_NAME = re.compile(rb'([A-Za-z_][\w.\-]*)="')
_OBS_START = re.compile(rb"<Obs\s")
_VALUE = rb'"([^"<&\x00-\x1f]{0,4096})"'
DELIM = "\x1f"


class _Template:
    """One attribute list (names in order): the line checks and the stricter regular expressions."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        # Separator fields between the values, as found when a line is split at '"'.
        ws = rb"[ \t\r\n]"
        self.first_sep = re.compile(
            ws + b"*<Obs" + ws + b"+" + re.escape(names[0].encode()) + ws + b"*=" + ws + b"*"
        )
        self.mid_seps = [
            re.compile(ws + b"+" + re.escape(n.encode()) + ws + b"*=" + ws + b"*") for n in names[1:]
        ]
        self.last_sep = re.compile(ws + b"*/>" + ws + b"*")
        self.columns = [c for i, n in enumerate(names) for c in (f"\x00sep{i}", n)] + ["\x00end"]
        # Values straight into their final types; separators as bytes (no UTF-8 check, compared once).
        self.types = {c: pa.binary() if c[0] == "\x00" else DICT for c in self.columns}
        self.types.update(
            {n: t for n, t in (("OBS_VALUE", pa.float64()), ("TIME_PERIOD", pa.string())) if n in names}
        )
        one = (
            rb"\s*<Obs"
            + b"".join(rb"\s+" + re.escape(n.encode()) + rb"=" + _VALUE for n in names)
            + rb"\s*/>"
        )
        self.run = re.compile(b"(?:" + one.replace(b"([^", b"(?:[^") + b")+")
        self.obs = re.compile(one)
        self.width = len(names) + 1

    def parse_lines(self, segments: list[memoryview], newlines: list[int]) -> RunBatch | None:
        """All segments in one CSV pass, or None when any line is not exactly one plain ``<Obs/>``."""
        # Usually one observation per line: then a run has one row more than line breaks.
        batch = self._parse(b"\n".join(segments), [n + 1 for n in newlines])
        if batch is None:
            # Several observations on a line (or none): break the lines after every '/>'.
            raw = [bytes(seg) for seg in segments]
            batch = self._parse(
                b"\n".join(r.replace(b"/>", b"/>\n") for r in raw), [r.count(b"/>") for r in raw]
            )
        return batch

    def _parse(self, blob: bytes, counts: list[int]) -> RunBatch | None:
        table = read_fields(blob, self.columns, self.types)
        if table is None:
            return None
        if table.num_rows != sum(counts) or not self._separators_ok(table):
            return None
        values = table.select(list(self.names))
        if not values_ok(values):
            return None
        return RunBatch(values, counts)

    def _separators_ok(self, table: pa.Table) -> bool:
        checks = [self.first_sep, *self.mid_seps, self.last_sep]
        for i, check in enumerate(checks):
            column = table.column(f"\x00sep{i}" if i < len(self.names) else "\x00end")
            first = column[0].as_py()
            if not check.fullmatch(first):
                return False
            # Nearly always every line has the same separators (same indentation): one comparison.
            if not pc.all(pc.equal(column, pa.scalar(first, pa.binary()))).as_py():
                if not all(check.fullmatch(s) for s in pc.unique(column).to_pylist()):
                    return False
        return True

    def rows(self, segment: bytes) -> tuple[bytes, int]:
        """A regular-expression run as lines ``\\x1f v1 ... vk \\x1f`` (split and join at C speed)."""
        parts = self.obs.split(segment)
        count = (len(parts) - 1) // self.width
        parts[0 :: self.width] = [b"\n"] * (count + 1)  # the (empty) text between matches
        return DELIM.encode().join(parts), count


class ObsRunScanner:
    """Feeds on raw chunks, returns what lxml should parse, and keeps the observation runs as Arrow."""

    def __init__(self) -> None:
        self.pi_target = f"dataops-obs-{secrets.token_hex(6)}"
        self.runs: list[tuple[RunBatch, int] | None] = []
        self._templates: dict[tuple[str, ...], _Template] = {}
        self._buf = b""
        self._out: list[bytes] = []
        self._group: list[tuple[int, memoryview, int]] = []  # (index in _out, segment, line breaks)
        self._group_template: _Template | None = None
        self._pending: list[tuple[list, _Template, Future]] = []  # batches of the current chunk
        self._previous: tuple[list[bytes], list[tuple[list, _Template, Future]]] | None = None

    def feed(self, chunk: bytes) -> bytes:
        buf = self._buf + chunk
        view = memoryview(buf)
        out = self._out
        pos = 0
        n = len(buf)
        while pos < n:
            m = _OBS_START.search(buf, pos)
            obs_at = m.start() if m else n
            special = SPECIAL.search(buf, pos, obs_at)
            if special:
                pos, wait = pass_markup(buf, pos, special.start(), out, self._close_group)
                if wait:
                    break
                continue
            if m is None:
                cut = buf.rfind(b"<", pos)
                cut = n if cut < 0 else cut
                out.append(buf[pos:cut])
                pos = cut
                break
            out.append(buf[pos:obs_at])
            pos = obs_at
            first = _FIRST_OBS.match(buf, obs_at)
            if first is None:
                close = buf.find(b">", obs_at)
                if close < 0:
                    break  # an element cut by the chunk boundary: wait for more bytes
                self._close_group()
                out.append(buf[obs_at : close + 1])  # not plain: lxml reads it
                pos = close + 1
                continue
            names = tuple(x.decode() for x in _NAME.findall(first.group(1)))
            if len(set(names)) != len(names):
                self._close_group()
                out.append(first.group(0))  # duplicate attributes: let lxml reject the message
                pos = first.end()
                continue
            end = _run_end(buf, first.end())
            template = self._templates.get(names)
            if template is None:
                template = self._templates[names] = _Template(names)
            if template is not self._group_template:
                self._close_group()
                self._group_template = template
            self._group.append((len(out), view[obs_at:end], buf.count(b"\n", obs_at, end)))
            out.append(b"")  # filled in when the batch is parsed
            pos = end
        self._close_group()
        self._buf = buf[pos:]
        # This chunk's batches parse while the caller feeds the previous chunk's output to lxml.
        previous = self._resolve(*self._previous) if self._previous else b""
        self._previous = (out, self._pending)
        self._out, self._pending = [], []
        return previous

    def take(self, run_id: int) -> tuple[RunBatch, int]:
        """The batch holding run ``run_id`` and the run's index in it; the builder keeps it from here on."""
        run = self.runs[run_id]
        self.runs[run_id] = None
        if run is None:
            raise KeyError(run_id)
        return run

    def close(self) -> bytes:
        """The last chunk's output, then what is left as it is (at most one run, read the slow way)."""
        previous = self._resolve(*self._previous) if self._previous else b""
        self._previous = None
        rest, self._buf = self._buf, b""
        return previous + rest

    def _close_group(self) -> None:
        """Start parsing the open batch (on the parse thread) and note where its output goes."""
        group, template = self._group, self._group_template
        self._group, self._group_template = [], None
        if not group or template is None:
            return
        future = parse_pool().submit(
            template.parse_lines, [seg for _, seg, _ in group], [lines for _, _, lines in group]
        )
        self._pending.append((group, template, future))

    def _resolve(self, out: list[bytes], pending: list[tuple[list, _Template, Future]]) -> bytes:
        """Wait for a chunk's batches, put their processing instructions (or fallback bytes) in place."""
        for group, template, future in pending:
            batch = future.result()
            if batch is None:
                for slot, seg, _ in group:
                    raw = bytes(seg)
                    # Comments or processing instructions inside: lxml reads all of it.
                    plain = b"<!" not in raw and b"<?" not in raw
                    out[slot] = self._regex_runs(template, raw) if plain else raw
                continue
            for i, (slot, _, lines) in enumerate(group):
                out[slot] = self._pi(batch, i, lines)
        return b"".join(out)

    def _pi(self, batch: RunBatch, index: int, lines: int) -> bytes:
        self.runs.append((batch, index))
        return b"<?%s %d%s?>" % (self.pi_target.encode(), len(self.runs) - 1, b"\n" * lines)

    def _regex_runs(self, template: _Template, seg: bytes) -> bytes:
        """The slower, stricter path: maximal regular-expression runs become batches, the rest lxml's."""
        out: list[bytes] = []
        pos = 0
        while pos < len(seg):
            run = template.run.match(seg, pos)
            if run is None:
                nxt = _OBS_START.search(seg, pos + 1)
                stop = nxt.start() if nxt else len(seg)
                out.append(seg[pos:stop])
                pos = stop
                continue
            rows, count = template.rows(seg[pos : run.end()])
            batch = RunBatch(rows_to_table(template.names, rows), [count])
            out.append(self._pi(batch, 0, seg.count(b"\n", pos, run.end())))
            pos = run.end()
        return b"".join(out)


def _run_end(buf: bytes, first_end: int) -> int:
    """End of a candidate run: the last ``/>`` before the next end tag (or the buffer's end)."""
    stop = buf.find(b"</", first_end)
    last = buf.rfind(b"/>", first_end, len(buf) if stop < 0 else stop)
    return first_end if last < 0 else last + 2


def rows_to_table(names: tuple[str, ...], rows: bytes) -> pa.Table:
    """Parse the ``\\x1f``-separated rows of one template into string columns."""
    try:
        return _read_rows(names, rows)
    except pa.ArrowInvalid as exc:
        raise MalformedMessage(
            f"The message has observation values that are not valid UTF-8 text: {exc}"
        ) from None


def _read_rows(names: tuple[str, ...], rows: bytes) -> pa.Table:
    return pacsv.read_csv(
        pa.py_buffer(rows),
        read_options=pacsv.ReadOptions(column_names=["\x00lead", *names, "\x00trail"]),
        parse_options=pacsv.ParseOptions(delimiter=DELIM, quote_char=False, escape_char=False),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            include_columns=list(names),
            strings_can_be_null=False,
            null_values=[],
        ),
    )
