"""A fast path for generic SDMX-ML: runs of regular ``<g:Obs>`` blocks go to pyarrow's CSV reader.

A generic observation is a small block of elements (``ObsDimension``, ``ObsValue``, ``Attributes``
or ``ObsKey`` with ``Value`` elements), usually laid out identically for every observation. With
line breaks turned into spaces and a line break put before every ``<g:Obs>``, each block becomes
one line which, split at ``"``, alternates between markup and attribute values: the markup and
the ``id`` of each ``Value`` must equal those of the run's first block (checked on all lines),
so the other fields are the values of known columns. Anything else (another layout, entities,
comments, other elements) leaves the run to lxml, as do runs the checks reject. As in `ss_fast`,
an accepted run is replaced by a processing instruction with the run's line breaks.
"""

from __future__ import annotations

import re
import secrets

import pyarrow as pa
import pyarrow.compute as pc

from dataops.sdmx.readers.runs import (
    DICT,
    OBS_DIMENSION,
    SPECIAL,
    RunBatch,
    pass_markup,
    read_fields,
    values_ok,
)

_OBS_OPEN = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?)Obs>")
_TOKEN = re.compile(
    rb'\s*<(/?)(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)((?:\s+[A-Za-z_][\w.\-]*\s*=\s*"[^"<&]*")*)\s*(/?)>'
)
_ATTR = re.compile(rb'([A-Za-z_][\w.\-]*)\s*=\s*"([^"<&]*)"')
OBS_VALUE = "OBS_VALUE"


class _Layout:
    """The fields of one block layout: which are markup, fixed ids or values of a column."""

    def __init__(self, fields: list[tuple[str, str]], key_columns: list[str], tags: int) -> None:
        self.tags = tags  # '<' per block
        self.fields = fields  # per value field: ("id", expected) or ("value", column)
        self.key_columns = key_columns
        # Markup and values alternate; a last field holds the white space after the block.
        self.names = [f"\x00f{i}" for i in range(2 * len(fields) + 2)]
        self.columns = {self.names[2 * i + 1]: col for i, (kind, col) in enumerate(fields) if kind == "value"}
        self.types = {name: pa.binary() for name in self.names}
        for name, col in self.columns.items():
            self.types[name] = pa.float64() if col == OBS_VALUE else DICT
            if col == OBS_DIMENSION:
                self.types[name] = pa.string()

    def parse(self, blob: bytes, counts: list[int]) -> RunBatch | None:
        table = read_fields(blob, self.names, self.types)
        if table is None:
            return None
        if table.num_rows != sum(counts) or not table.num_rows:
            return None
        fixed = [n for n in self.names[:-1] if n not in self.columns]
        for name in fixed:
            column = table.column(name)
            if not pc.all(pc.equal(column, column[0])).as_py():
                return None  # another layout (or indentation) somewhere: lxml reads the run
        for i, (kind, expected) in enumerate(self.fields):
            if kind == "id" and table.column(self.names[2 * i + 1])[0].as_py() != expected.encode():
                return None
        # Between blocks only white space may stand (anything else there is not an observation).
        if not pc.all(pc.match_substring_regex(table.column(self.names[-1]), r"^[ \t]*$")).as_py():
            return None
        values = pa.table({col: table.column(name) for name, col in self.columns.items()})
        return RunBatch(values, counts) if values_ok(values) else None


def _layout_of(block: bytes) -> _Layout | None:
    """The layout of one ``<g:Obs>...</g:Obs>`` block, or None when it is not a plain one."""
    fields: list[tuple[str, str]] = []
    keys: list[str] = []
    stack: list[str] = []
    pos = 0
    seen: set[str] = set()
    for m in _TOKEN.finditer(block):
        if m.start() != pos:
            return None
        pos = m.end()
        closing, name, attrs, empty = m.group(1), m.group(2).decode(), m.group(3), m.group(4)
        if closing:
            if attrs or not stack or stack.pop() != name:
                return None
            continue
        parent = stack[-1] if stack else None
        pairs = [(k.decode(), v.decode()) for k, v in _ATTR.findall(attrs)]
        named = dict(pairs)
        if len(named) != len(pairs):
            return None
        if name == "Obs" and parent is None and not pairs and not empty:
            stack.append(name)
        elif name in ("Attributes", "ObsKey") and parent == "Obs" and not pairs and not empty:
            stack.append(name)
        elif empty and parent == "Obs" and name in ("ObsDimension", "ObsValue") and "value" in named:
            column = OBS_VALUE if name == "ObsValue" else named.get("id", OBS_DIMENSION)
            if set(named) - {"id", "value"} or (name == "ObsValue" and "id" in named) or column in seen:
                return None
            seen.add(column)
            keys += [column] if name == "ObsDimension" else []
            fields += [("id", v) if k == "id" else ("value", column) for k, v in pairs]
        elif empty and parent in ("Attributes", "ObsKey") and set(named) == {"id", "value"}:
            column = named["id"]
            if column in seen or not column:
                return None
            seen.add(column)
            keys += [column] if parent == "ObsKey" else []
            fields += [("id", v) if k == "id" else ("value", column) for k, v in pairs]
        else:
            return None
    if pos != len(block) or stack or not fields:
        return None
    return _Layout(fields, keys, block.count(b"<"))


class GenericRunScanner:
    """Feeds on raw chunks, returns what lxml should parse, and keeps regular runs as Arrow."""

    def __init__(self) -> None:
        self.pi_target = f"dataops-gobs-{secrets.token_hex(6)}"
        self.packed_tags: dict[str, str] = {}  # this scanner leaves series keys and attributes as they are
        self.runs: list[tuple[RunBatch, int, list[str]] | None] = []
        self._buf = b""

    def take(self, run_id: int) -> tuple[RunBatch, int, list[str]]:
        """The batch holding run ``run_id``, the run's index in it and the batch's key columns."""
        run = self.runs[run_id]
        self.runs[run_id] = None
        if run is None:
            raise KeyError(run_id)
        return run

    def feed(self, chunk: bytes) -> bytes:
        buf = self._buf + chunk
        out: list[bytes] = []
        group: list[tuple[int, bytes, int, bytes]] = []  # (slot, segment, line breaks, prefix)
        pos, n = 0, len(buf)
        while pos < n:
            m = _OBS_OPEN.search(buf, pos)
            obs_at = m.start() if m else n
            special = SPECIAL.search(buf, pos, obs_at)
            if special:
                pos, wait = pass_markup(buf, pos, special.start(), out)
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
            prefix = m.group(1)
            end = self._run_end(buf, obs_at, prefix)
            if end < 0:
                pos = obs_at
                break  # not even one whole block yet: wait for more bytes
            if end == obs_at:
                out.append(m.group(0))  # no whole block before the series ends: lxml says what is wrong
                pos = m.end()
                continue
            group.append((len(out), buf[obs_at:end], buf.count(b"\n", obs_at, end), prefix))
            out.append(b"")
            pos = end
        self._resolve(out, group)
        self._buf = buf[pos:]
        return b"".join(out)

    def close(self) -> bytes:
        rest, self._buf = self._buf, b""
        return rest

    @staticmethod
    def _run_end(buf: bytes, obs_at: int, prefix: bytes) -> int:
        """After the last whole block before the series or dataset ends (-1: wait for more bytes)."""
        # Only the series end is looked for: a dataset or group end inside a run fails the '<' count.
        stop = buf.find(b"Series>", obs_at)
        stop = len(buf) if stop < 0 else stop
        close = b"</" + prefix + b"Obs>"
        last = buf.rfind(close, obs_at, stop)
        if last < 0:
            return -1 if stop == len(buf) else obs_at
        return last + len(close)

    def _resolve(self, out: list[bytes], group: list[tuple[int, bytes, int, bytes]]) -> None:
        """Parse consecutive runs of one layout together; lxml gets the runs no layout fits."""
        shapes = []
        for _, seg, _, prefix in group:
            first_end = seg.find(b"</" + prefix + b"Obs>") + len(prefix) + 6
            shapes.append((re.sub(rb'"[^"]*"', b'""', seg[:first_end]), first_end))
        layouts: dict[bytes, _Layout | None] = {}
        i = 0
        while i < len(group):
            shape, first_end = shapes[i]
            j = i + 1
            while j < len(group) and shapes[j][0] == shape:
                j += 1
            if shape not in layouts:
                layouts[shape] = _layout_of(group[i][1][:first_end])
            self._resolve_same(out, group[i:j], layouts[shape])
            i = j

    def _resolve_same(
        self, out: list[bytes], items: list[tuple[int, bytes, int, bytes]], layout: _Layout | None
    ) -> None:
        batch = None
        if layout is not None:
            # Every '<' must belong to a block of this layout (pyarrow's row count then checks the blocks).
            tags = [seg.count(b"<") for _, seg, _, _ in items]
            if all(t % layout.tags == 0 for t in tags) and not any(b"&" in seg for _, seg, _, _ in items):
                blob = b"".join(_one_line_per_block(seg, p) for _, seg, _, p in items)
                batch = layout.parse(blob, [t // layout.tags for t in tags])
        for i, (slot, seg, breaks, _) in enumerate(items):
            if batch is None or layout is None:
                out[slot] = seg
            else:
                self.runs.append((batch, i, layout.key_columns))
                out[slot] = b"<?%s %d%s?>" % (self.pi_target.encode(), len(self.runs) - 1, b"\n" * breaks)


def _one_line_per_block(seg: bytes, prefix: bytes) -> bytes:
    """Line breaks become spaces; each block starts a line and ends with '"' (its trailing space apart)."""
    seg = seg.replace(b"\n", b" ")
    if b"\r" in seg:
        seg = seg.replace(b"\r", b" ")
    seg = seg.replace(b"<" + prefix + b"Obs>", b"\n<" + prefix + b"Obs>")
    return seg.replace(b"</" + prefix + b"Obs>", b"</" + prefix + b'Obs>"')
