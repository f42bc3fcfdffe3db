"""Walk a JSON document from a stream of byte chunks without decoding it whole.

The outer levels (objects and arrays the caller chooses to enter) are walked member by member;
whatever the caller asks for as a value is decoded by the standard library's C decoder, so memory
follows the largest value asked for (one series' observations), not the message.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any

from dataops.errors import MalformedMessage

_WS = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()
KEEP = 1 << 20  # consumed text is dropped once this much has piled up


class JsonStream:
    """A cursor over a JSON text arriving in chunks (UTF-8)."""

    def __init__(self, chunks: Iterator[bytes], what: str) -> None:
        self._chunks = chunks
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.what = what
        self.text = ""
        self.pos = 0
        self.eof = False
        self._line = 1  # line number at the start of ``text``
        self._byte = 0
        self.generation = 0  # counts the changes of ``text`` (positions hold within one version)

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = next(self._chunks, None)
        try:
            text = self._decoder.decode(chunk or b"", final=chunk is None)
        except UnicodeDecodeError as exc:
            raise MalformedMessage(
                f"{self.what} is not valid UTF-8 JSON: {exc.reason} at byte {self._byte + exc.start}."
            ) from None
        self._byte += len(chunk or b"")
        self.eof = chunk is None
        if self.pos > KEEP:
            # find() is a memchr: compact JSON, which has no line breaks, is not counted through.
            if self.text.find("\n", 0, self.pos) >= 0:
                self._line += self.text.count("\n", 0, self.pos)
            self.text = self.text[self.pos :]
            self.pos = 0
        self.text += text
        self.generation += 1
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            blank = _WS.match(self.text, self.pos)
            assert blank is not None  # the pattern matches the empty string too
            self.pos = blank.end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            self.fail(f"Expecting {char!r}")
        self.pos += 1

    def value(self) -> Any:
        """Decode the next value whole."""
        self.peek()
        want = 0
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                # Near the end of what has arrived the value may just be cut: read on.
                cut = exc.pos >= len(self.text) - 16 or exc.msg.startswith("Unterminated string")
                if cut and self._read_at_least(want := 2 * max(want, len(self.text) - self.pos, 1 << 16)):
                    continue
                self.fail(exc.msg, exc.pos)
            if end == len(self.text) and not self.eof and not isinstance(value, dict | list | str):
                # A number (or literal) that ends with the text so far may go on in the next chunk.
                if self._read_at_least(len(self.text) - self.pos + 1):
                    continue
            self.pos = end
            return value

    def more(self) -> bool:
        """Read on until at least twice the unconsumed text (64 KB at least) is there; False at the end."""
        return self._read_at_least(2 * (len(self.text) - self.pos) + (1 << 16))

    def _read_at_least(self, size: int) -> bool:
        grew = False
        while len(self.text) - self.pos < size and self._more():
            grew = True
        return grew

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here; the caller consumes each member's value."""
        self.take("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                self.fail("Expecting property name enclosed in double quotes")
            self.take(":")
            yield key
            char = self.peek()
            self.pos += 1
            if char == "}":
                return
            if char != ",":
                self.pos -= 1
                self.fail("Expecting ',' delimiter")

    def next_member(self, first: bool) -> str | None:
        """The key of the next member of the object being walked, or None when it closes here.

        ``first``: no member has been read since its ``{``. The same steps and errors as `members`,
        for callers that walk part of an object some other way.
        """
        if first:
            if self.peek() == "}":
                self.pos += 1
                return None
        else:
            char = self.peek()
            self.pos += 1
            if char == "}":
                return None
            if char != ",":
                self.pos -= 1
                self.fail("Expecting ',' delimiter")
        key = self.value()
        if not isinstance(key, str):
            self.fail("Expecting property name enclosed in double quotes")
        self.take(":")
        return key

    def elements(self) -> Iterator[int]:
        """Positions of the elements of the array that starts here; the caller consumes each one."""
        self.take("[")
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            char = self.peek()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                self.pos -= 1
                self.fail("Expecting ',' delimiter")

    def end(self) -> None:
        """Nothing but white space may follow the document."""
        if self.peek():
            self.fail("Extra data")

    def fail(self, reason: str, pos: int | None = None) -> None:
        pos = self.pos if pos is None else pos
        pos = min(pos, len(self.text))
        line = self._line + self.text.count("\n", 0, pos)
        column = pos - self.text.rfind("\n", 0, pos)
        raise MalformedMessage(
            f"{self.what} is not valid JSON at line {line}, column {column}: {reason}. "
            "The file may be truncated or damaged.",
            details={"line": line},
        )
