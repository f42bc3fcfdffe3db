"""The compiled fast path for generic SDMX-ML (``dataops_native.scan_generic_runs``, built from ``native/``).

Generic observations are ``<g:Obs>`` blocks of ``ObsDimension``, ``ObsValue``, ``ObsKey`` and
``Attributes`` elements. The compiled scanner reads runs of plain blocks straight into Arrow
columns and replaces each run by a processing instruction, exactly as `ss_native` does for
structure-specific ``<Obs/>`` elements (same chunking, same two halves at once); lxml parses
everything else. What "plain" means is written at the top of ``native/src/generic_obs.rs``:
among other things every element of a block must carry a namespace prefix the message's root
element declares, so that lxml would have accepted the block's names.

A series' ``SeriesKey`` and ``Attributes`` elements are packed into one element each, the values
becoming its XML attributes, so that lxml hands a series' values over in one call instead of two
per value (`packed_tags` names them; ids that are no XML names leave the element as it was).

Each run also names its key columns (``ObsDimension`` and ``ObsKey`` values), those first met in
or before it, so that the table lists the dimensions in the order lxml would meet them.
"""

from __future__ import annotations

import re

import numpy as np

from dataops.sdmx.readers.native_columns import dataops_native
from dataops.sdmx.readers.runs import OBS_DIMENSION, RunBatch
from dataops.sdmx.readers.ss_native import GATHER, SPLIT_AT, NativeObsScanner, batches

KINDS = {"OBS_VALUE": "float", "TIME_PERIOD": "large_string", OBS_DIMENSION: "large_string"}
_OBS_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?Obs>")
_SKIPPED = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.S)
_ROOT = re.compile(rb"<(?![!?])[^>]*>")
_PREFIX = re.compile(rb"\sxmlns:([A-Za-z_][\w.\-]*)\s*=")
HEAD_LIMIT = 1 << 16  # bytes looked at for the root element's namespace declarations


def root_prefixes(head: bytes) -> list[str] | None:
    """The namespace prefixes the root element of a message starting with ``head`` declares;
    None while its start tag is not whole."""
    root = _ROOT.search(_SKIPPED.sub(b"", head))
    if root is None:
        return None
    return [p.decode() for p in _PREFIX.findall(root.group(0))]


class _GenericChunks(NativeObsScanner):
    """`NativeObsScanner`'s chunking with the generic scanner; keeps each run's key columns."""

    def __init__(self, *, gather: int, split_at: int) -> None:
        super().__init__(gather=gather, split_at=split_at)
        self.pi_target = self.pi_target.replace("dataops-obs-", "dataops-gobs-")
        self.keys: dict[int, list[str]] = {}
        self.prefixes: list[str] = []

    def _scan(self, buf: bytes, start: int, end: int, last: bool, first_run: int) -> dict:
        result = dataops_native.scan_generic_runs(
            buf, last, self.pi_target, first_run, KINDS, self.prefixes, start, end
        )
        result["consumed"] += start
        result["first_run"] = first_run
        return result

    def _split(self, buf: bytes) -> int:
        found = _OBS_OPEN.search(buf, len(buf) // 2)
        return found.start() if found else -1

    def _keep(self, result: dict) -> None:
        keys = result.pop("keys", [])
        for first_id, row, batch in batches(result):
            ends = row + np.cumsum(batch.counts)
            for i in range(len(batch.counts)):
                self.runs[first_id + i] = (batch, i)
                self.keys[first_id + i] = [name for name, first in keys if first < ends[i]]


class NativeGenericScanner:
    """Feeds on raw chunks, returns what lxml should parse, keeps the runs of generic observations as Arrow."""

    def __init__(self, *, gather: int = GATHER, split_at: int = SPLIT_AT) -> None:
        """``gather`` and ``split_at`` as for `NativeObsScanner`."""
        self._chunks = _GenericChunks(gather=gather, split_at=split_at)
        self.pi_target = self._chunks.pi_target
        # Series keys and attributes the scanner packs into one element each (generic_obs.rs).
        self.packed_tags = {f"{self.pi_target}-{name}": name for name in ("SeriesKey", "Attributes")}
        self._head: bytes | None = b""  # the message's first bytes until the root's prefixes are known

    def feed(self, chunk: bytes) -> bytes:
        """Output of earlier chunks, if any is ready (see `NativeObsScanner.feed`)."""
        if self._head is not None:
            self._head += chunk[:HEAD_LIMIT]
            prefixes = root_prefixes(self._head)
            if prefixes is not None or len(self._head) >= HEAD_LIMIT:
                self._chunks.prefixes = prefixes or []
                self._head = None
        return self._chunks.feed(chunk)

    def close(self) -> bytes:
        """Everything not returned yet."""
        return self._chunks.close()

    def take(self, run_id: int) -> tuple[RunBatch, int, list[str]]:
        """The batch holding run ``run_id``, the run's index in it and the key columns met so far."""
        batch, index = self._chunks.take(run_id)
        return batch, index, self._chunks.keys.pop(run_id)
