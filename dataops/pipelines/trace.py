"""Following a job log when GitLab's trace endpoint has no offset: cut what was already seen."""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass
class TraceSlice:
    """The part of a log after ``offset``: ``content`` to append, ``next_offset`` to ask from next time.

    ``reset`` is true when the log no longer extends what the reader had (shorter than its offset,
    e.g. a retried job), in which case ``content`` is the whole log and replaces what was shown.
    """

    offset: int
    next_offset: int
    content: str
    reset: bool = False


def slice_trace(log: bytes, offset: int) -> TraceSlice:
    """The new part of ``log`` from byte ``offset``, stopping before an incomplete UTF-8 character."""
    if offset < 0:
        offset = 0
    reset = offset > len(log)
    if reset:
        offset = 0
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    text = decoder.decode(log[offset:], final=False)
    pending = len(decoder.getstate()[0])  # bytes of a character not complete yet
    return TraceSlice(offset, len(log) - pending, text, reset)


class TraceFollower:
    """Keeps a byte offset into one job's log and returns only what is new at each `feed`."""

    def __init__(self) -> None:
        self.offset = 0

    def feed(self, log: bytes) -> TraceSlice:
        """Given the whole log as fetched now, the slice to append (or to replace with, on reset)."""
        piece = slice_trace(log, self.offset)
        self.offset = piece.next_offset
        return piece
