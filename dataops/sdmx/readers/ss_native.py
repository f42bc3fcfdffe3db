"""The compiled fast path for structure-specific XML (the `dataops_native` extension, built from ``native/``).

`dataops_native.scan_obs_runs` finds runs of plain ``<Obs .../>`` elements in a chunk, reads their
attributes straight into Arrow buffers (float64 ``OBS_VALUE``, large_string ``TIME_PERIOD``, the type
the table keeps, dictionaries for the rest) and replaces each run by a processing instruction, exactly as `ss_fast.ObsRunScanner`
does with pyarrow's CSV reader: lxml still parses everything else, so the document is checked as a
whole and line numbers stay true. What "plain" means, and so what is left to lxml, is written at the
top of ``native/src/ss_obs.rs`` and ``native/src/lex.rs``.

Chunk n is scanned on a worker thread (without the GIL) while lxml parses chunk n - 1's output.
Where the extension is not installed, `ss_fast.ObsRunScanner` reads the same messages to the same
table, about twice as slowly (bench/sdmx_read.py); `paths` chooses between them.
"""

from __future__ import annotations

import secrets
from concurrent.futures import Future

import pyarrow as pa
import pyarrow.compute as pc

from dataops.sdmx.readers.native_columns import array_of, dataops_native
from dataops.sdmx.readers.runs import RunBatch, parse_pool

KINDS = {"OBS_VALUE": "float", "TIME_PERIOD": "large_string"}
SPLIT_AT = 1 << 18  # chunks at least this long are scanned in two halves at once
GATHER = 4 << 20  # bytes gathered from the input's chunks per scan (fewer, larger steps)


def _scan(buf: bytes, start: int, end: int, last: bool, target: str, first_run: int) -> dict:
    """Scan ``buf[start:end]``; the result's ``consumed`` is made absolute (an index into ``buf``)."""
    result = dataops_native.scan_obs_runs(buf, last, target, first_run, KINDS, start, end)
    result["consumed"] += start
    result["first_run"] = first_run
    return result


def batches(result: dict) -> list[tuple[int, int, RunBatch]]:
    """The runs of a scan as batches, each with the id of its first run and its first row in the scan."""
    counts, first_run = result["counts"], result["first_run"]
    if not counts:
        return []
    table = pa.table({c["name"]: array_of(c) for c in result.pop("columns")})
    # One batch per stretch of runs with no lxml-read observation between them (document order).
    batches, row = [], 0
    bounds = [0, *result["breaks"], len(counts)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        rows = sum(counts[lo:hi])
        piece = table if len(bounds) == 2 else _own_columns(table.slice(row, rows))
        batches.append((first_run + lo, row, RunBatch(piece, counts[lo:hi])))
        row += rows
    return batches


def _own_columns(piece: pa.Table) -> pa.Table:
    """A slice as if scanned alone: only the attributes it has, dictionaries of its own values."""
    columns = {}
    for name, column in zip(piece.column_names, piece.columns, strict=True):
        if column.null_count == len(column):
            continue
        if pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column.cast(pa.string()))
        columns[name] = column
    return pa.table(columns)


class NativeObsScanner:
    """Feeds on raw chunks, returns what lxml should parse, keeps the observation runs as Arrow.

    A chunk is scanned in two halves at once (one per core) when it is large: the second half
    starts at an ``<Obs`` tag and assumes the first half leaves nothing open there (no comment,
    CDATA section, processing instruction or declaration). The first half's result says whether
    that held; when it did not, the second half is scanned again from where the first stopped.
    Run ids of the second half start at ``first_run + split``: the first half, ``split`` bytes
    long, cannot hold that many runs.
    """

    def __init__(self, *, gather: int = GATHER, split_at: int = SPLIT_AT) -> None:
        """``gather`` and ``split_at`` override `GATHER` and `SPLIT_AT` (tests use tiny ones)."""
        self.pi_target = f"dataops-obs-{secrets.token_hex(6)}"
        self.runs: dict[int, tuple[RunBatch, int] | None] = {}
        self._gather = gather
        self._split_at = split_at
        self._rest = b""
        self._pending: tuple[bytes, int, Future, Future | None, int] | None = None
        self._passthrough = False
        self._next_run = 0
        self._gathered: list[bytes] = []  # chunks not scanned yet
        self._size = 0

    def feed(self, chunk: bytes) -> bytes:
        """Output of earlier chunks, if any is ready; chunks are scanned while the caller parses it."""
        self._gathered.append(chunk)
        self._size += len(chunk)
        if self._size < self._gather:
            return b""
        previous = self._collect()
        buf = b"".join([self._rest, *self._gathered])
        self._rest, self._gathered, self._size = b"", [], 0
        if self._passthrough:
            return previous + buf
        split = self._split(buf) if len(buf) >= self._split_at else -1
        split = split if split > 0 else len(buf)
        pool, base = parse_pool(), self._next_run
        first = pool.submit(self._scan, buf, 0, split, False, base)
        second = None
        if split < len(buf):
            second = pool.submit(self._scan, buf, split, len(buf), False, base + split)
        self._pending = (buf, split, first, second, base)
        self._next_run = base + len(buf)
        return previous

    def close(self) -> bytes:
        """Everything not returned yet; the message's last bytes are scanned as final."""
        previous = self._collect()
        rest = b"".join([self._rest, *self._gathered])
        self._rest, self._gathered, self._size = b"", [], 0
        if self._passthrough or not rest:
            return previous + rest
        result = self._scan(rest, 0, len(rest), True, self._next_run)
        self._keep(result)
        return previous + result["out"]

    def take(self, run_id: int) -> tuple[RunBatch, int]:
        """The batch holding run ``run_id`` and the run's index in it; the builder keeps it from here on."""
        run = self.runs[run_id]
        self.runs[run_id] = None
        if run is None:
            raise KeyError(run_id)
        return run

    def _collect(self) -> bytes:
        if self._pending is None:
            return b""
        buf, split, first, second, base = self._pending
        self._pending = None
        result = first.result()
        self._keep(result)
        out = [result["out"]]
        if second is not None:
            if result["consumed"] == split and not result["passthrough"]:
                result = second.result()
            else:
                second.cancel()  # an assumption failed: scan on from where the first half stopped
                start = result["consumed"]
                if result["passthrough"]:
                    result = {"out": buf[start:], "consumed": len(buf), "passthrough": True, "counts": []}
                else:
                    result = self._scan(buf, start, len(buf), False, base + split)
            self._keep(result)
            out.append(result["out"])
        self._passthrough = result["passthrough"]
        self._rest = buf[result["consumed"] :]
        return b"".join(out)

    def _scan(self, buf: bytes, start: int, end: int, last: bool, first_run: int) -> dict:
        """Scan ``buf[start:end]``; the result's ``consumed`` is made absolute (an index into ``buf``)."""
        return _scan(buf, start, end, last, self.pi_target, first_run)

    def _split(self, buf: bytes) -> int:
        """Where the second half of a large chunk starts: an observation's start tag past the middle (-1: none)."""
        return buf.find(b"<Obs", len(buf) // 2)

    def _keep(self, result: dict) -> None:
        for first_id, _, batch in batches(result):
            for i in range(len(batch.counts)):
                self.runs[first_id + i] = (batch, i)
