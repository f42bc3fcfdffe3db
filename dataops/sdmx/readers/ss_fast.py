"""A fast path for structure-specific XML: runs of plain ``<Obs .../>`` elements become CSV rows.

Calling Python once per observation is what makes XML slow. In structure-specific messages the
observations are self-closing ``<Obs A="..." B="..."/>`` elements with the same attributes in the
same order, so runs of them are matched by one compiled regular expression, rewritten to
``\\x1f``-separated lines at C speed and parsed by pyarrow's CSV reader.

Correctness is kept by construction: a run only matches when every value is literal text (no
``&`` entity, no ``<``, no control characters or line breaks, at most 4,096 bytes) with double
quotes; anything else is left for lxml. Each run is replaced, in the bytes lxml still parses, by a
processing instruction carrying the run's number and as many line breaks as the run had, so lxml
still checks the rest of the document (DTDs refused, nesting, truncation) and reports true line
numbers, and the target knows which series the run belongs to.
"""

from __future__ import annotations

import re
import secrets

import pyarrow as pa
import pyarrow.csv as pacsv

from dataops.errors import MalformedMessage

_FIRST_OBS = re.compile(rb'<Obs((?:\s+[A-Za-z_][\w.\-]*="[^"<&\x00-\x1f]{0,4096}")+)\s*/>')
_NAME = re.compile(rb'([A-Za-z_][\w.\-]*)="')
_OBS_START = re.compile(rb"<Obs\s")
_SPECIAL = re.compile(rb"<[!?]")
_VALUE = rb'"([^"<&\x00-\x1f]{0,4096})"'
DELIM = "\x1f"


class _Template:
    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        one = (
            rb"\s*<Obs"
            + b"".join(rb"\s+" + re.escape(n.encode()) + rb"=" + _VALUE for n in names)
            + rb"\s*/>"
        )
        self.run = re.compile(b"(?:" + one.replace(b"([^", b"(?:[^") + b")+")
        self.obs = re.compile(one)
        self.width = len(names) + 1

    def rows(self, segment: bytes) -> tuple[bytes, int]:
        """The run as lines ``\\x1f v1 ... vk \\x1f`` (split and join run at C speed, unlike ``sub``)."""
        parts = self.obs.split(segment)
        count = (len(parts) - 1) // self.width
        parts[0 :: self.width] = [b"\n"] * (count + 1)  # the (empty) text between matches
        return DELIM.encode().join(parts), count


class ObsRunScanner:
    """Feeds on raw chunks, returns what lxml should parse, and keeps the observation runs as CSV."""

    def __init__(self) -> None:
        self.pi_target = f"dataops-obs-{secrets.token_hex(6)}"
        self.runs: list[tuple[tuple[str, ...], bytes, int]] = []
        self._templates: dict[tuple[str, ...], _Template] = {}
        self._buf = b""

    def feed(self, chunk: bytes) -> bytes:
        buf = self._buf + chunk
        out: list[bytes] = []
        pos = 0
        n = len(buf)
        while pos < n:
            m = _OBS_START.search(buf, pos)
            obs_at = m.start() if m else n
            special = _SPECIAL.search(buf, pos, obs_at)
            if special:
                # Comments, CDATA and processing instructions pass through whole, never scanned.
                start = special.start()
                if n - start < 9:
                    break  # too few bytes to tell a comment from CDATA: wait for more
                if buf.startswith(b"<!--", start):
                    closer = b"-->"
                elif buf.startswith(b"<![CDATA[", start):
                    closer = b"]]>"
                elif buf.startswith(b"<!", start):
                    closer = b">"  # a DOCTYPE: lxml refuses the message anyway
                else:
                    closer = b"?>"
                end = buf.find(closer, start + 2)
                if end < 0:
                    out.append(buf[pos:start])
                    pos = start
                    break
                out.append(buf[pos : end + len(closer)])
                pos = end + len(closer)
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
                out.append(buf[obs_at : close + 1])  # not plain: lxml reads it
                pos = close + 1
                continue
            names = tuple(x.decode() for x in _NAME.findall(first.group(1)))
            if len(set(names)) != len(names):
                out.append(first.group(0))  # duplicate attributes: let lxml reject the message
                pos = first.end()
                continue
            template = self._templates.get(names)
            if template is None:
                template = self._templates[names] = _Template(names)
            run = template.run.match(buf, obs_at)
            end = run.end() if run else first.end()
            if end == n:
                break  # the run may continue in the next chunk
            segment = buf[obs_at:end]
            rows, count = template.rows(segment)
            self.runs.append((names, rows, count))
            lines = segment.count(b"\n")
            out.append(b"<?%s %d%s?>" % (self.pi_target.encode(), len(self.runs) - 1, b"\n" * lines))
            pos = end
        self._buf = buf[pos:]
        return b"".join(out)

    def close(self) -> bytes:
        """What is left at the end goes to lxml as it is (at most one run, read the slow way)."""
        rest, self._buf = self._buf, b""
        return rest


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


def fast_path_allowed(head: bytes) -> bool:
    """Only for UTF-8 (or ASCII) messages without a default namespace, where bytes are the text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    decl = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([^\"']+)", head.removeprefix(b"\xef\xbb\xbf"))
    if decl and decl.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return False
    return re.search(rb"\sxmlns\s*=", head) is None
