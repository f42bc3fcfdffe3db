"""Turn what a caller hands us (path, bytes, file object, HTTP byte stream) into one chunk stream.

The stream is decompressed when gzip-compressed, limited to ``max_bytes`` and its first bytes are
available for format sniffing without being consumed.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from dataops.errors import InvalidInput, NotFound
from dataops.sdmx.xml_safety import check_file_size, gunzip, limit_bytes

CHUNK = 1 << 20
HEAD = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"


class InputKind(StrEnum):
    """What a message was handed over as, as far as the choice of a read path cares."""

    FILE = "file"  # an uncompressed file on disk (a compressed one is read as a stream)
    BYTES = "bytes"
    STREAM = "stream"  # a binary file object or an iterator of byte chunks


@dataclass
class Input:
    """A message ready to read: ``head`` is its start, ``chunks`` yields all of it (head included)."""

    head: bytes
    chunks: Iterator[bytes]
    name: str
    kind: InputKind
    path: Path | None = None  # set when the message is an uncompressed file on disk

    def read_all(self) -> bytes:
        """The whole message as bytes (for formats that are small or need random access)."""
        return b"".join(self.chunks)


def open_input(source: Any, max_bytes: int | None = None) -> Input:
    """Open ``source`` (path, bytes, binary file object or iterable of bytes chunks)."""
    path: Path | None = None
    kind = InputKind.STREAM
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise NotFound(f"The SDMX file {path} does not exist.")
        name = str(path)
        check_file_size(path.stat().st_size, max_bytes, name)
        raw: Iterable[bytes] = _file_chunks(path)
        kind = InputKind.FILE
    elif isinstance(source, bytes | bytearray | memoryview):
        name = "The message"
        kind = InputKind.BYTES
        view = memoryview(source).cast("B")
        raw = (bytes(view[i : i + CHUNK]) for i in range(0, len(view), CHUNK))
    elif hasattr(source, "read"):
        name = getattr(source, "name", None) or "The message"
        name = str(name)
        raw = iter(lambda: source.read(CHUNK), b"")
    elif isinstance(source, Iterable):
        name = "The message"
        raw = source
    else:
        raise InvalidInput(
            f"Cannot read SDMX from a {type(source).__name__}: pass a file path, bytes, a binary file "
            "object or an iterator of bytes."
        )
    chunks = _checked(raw)
    first, chunks = _peek(chunks, 2)
    if first.startswith(GZIP_MAGIC):
        chunks = gunzip(chunks)
        path = None
        kind = InputKind.STREAM if kind is InputKind.FILE else kind
    chunks = limit_bytes(chunks, max_bytes, name)
    head, chunks = _peek(chunks, HEAD)
    return Input(head, chunks, name, kind, path)


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _checked(chunks: Iterable[Any]) -> Iterator[bytes]:
    for chunk in chunks:
        if isinstance(chunk, str):
            raise InvalidInput(
                "The message must be given as bytes, not text (open files in binary mode 'rb')."
            )
        if chunk:
            yield bytes(chunk)


def _peek(chunks: Iterator[bytes], size: int) -> tuple[bytes, Iterator[bytes]]:
    """The first ``size`` bytes (fewer if the stream is shorter) and a stream that still yields them."""
    taken: list[bytes] = []
    have = 0
    for chunk in chunks:
        taken.append(chunk)
        have += len(chunk)
        if have >= size:
            break
    head = b"".join(taken)
    return head[:size], itertools.chain([head] if head else [], chunks)


class ChunkReader(io.RawIOBase):
    """A read-only binary file over a chunk iterator (for pyarrow readers that want a file)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._buf:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buf = memoryview(chunk)
        n = min(len(buffer), len(self._buf))
        buffer[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n
