"""Safe XML parsing for messages from the outside world, and the byte limits on what is read.

Every SDMX-ML message is parsed with these settings: no DTD loading, no entity expansion, no
network access, libxml2's "huge tree" mode off. A document that declares a DTD at all is refused
(SDMX messages never carry one; entity bombs and external entities need one).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

from dataops.errors import MalformedMessage, TooLarge

SAFE_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}

DTD_REFUSED = (
    "declares a DTD (<!DOCTYPE ...>). SDMX messages never do; DTDs can hide entity bombs or read "
    "local files, so the message was refused."
)


def safe_parser(**kwargs: Any) -> etree.XMLParser:
    """An lxml parser with the safe settings (extra keyword arguments such as ``target`` are passed on)."""
    return etree.XMLParser(**SAFE_PARSER_OPTIONS, **kwargs)


def parse_tree(data: bytes, what: str) -> etree._Element:
    """Parse a whole (small) document safely; ``what`` names the file or URL in error messages."""
    try:
        root = etree.fromstring(data, safe_parser(remove_blank_text=True))
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, what) from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise MalformedMessage(f"{what} {DTD_REFUSED}")
    return root


def syntax_error(exc: etree.XMLSyntaxError, what: str) -> MalformedMessage:
    """Turn libxml2's complaint into a sentence naming the file and the line."""
    line = exc.lineno
    reason = exc.msg.split(", line ")[0]  # libxml2 appends ", line L, column C": the line is said once
    if "entity" in reason.lower() or "doctype" in reason.lower():
        return MalformedMessage(f"{what} {DTD_REFUSED} (line {line}: {reason})", details={"line": line})
    if "limit" in reason.lower() or "XML_PARSE_HUGE" in reason:  # e.g. "Excessive depth in document"
        return MalformedMessage(
            f"{what} has a value or element beyond the safety limits of the XML parser (line {line}: "
            f"{reason.strip()}); such messages are refused rather than read into memory.",
            details={"line": line},
        )
    return MalformedMessage(
        f"{what} is not well-formed XML at line {line}: {reason}. The file may be truncated or damaged.",
        details={"line": line},
    )


def check_file_size(size: int, max_bytes: int | None, what: str) -> None:
    """Raise `TooLarge` for a file of ``size`` bytes over ``max_bytes``, before any of it is read."""
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(too_large_sentence(what, max_bytes), details={"max_bytes": max_bytes})


def limit_bytes(chunks: Iterable[bytes], max_bytes: int | None, what: str) -> Iterator[bytes]:
    """Pass chunks through, raising `TooLarge` as soon as more than ``max_bytes`` have been seen."""
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if max_bytes is not None and seen > max_bytes:
            raise TooLarge(too_large_sentence(what, max_bytes), details={"max_bytes": max_bytes})
        yield chunk


def too_large_sentence(what: str, max_bytes: int) -> str:
    """The sentence for a message over the configured size limit."""
    return (
        f"{what} is larger than the limit of {max_bytes:,} bytes, so reading stopped before it could "
        "exhaust memory. Narrow the query (fewer series or periods) or raise max_bytes."
    )


def gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Decompress a gzip stream in pieces of at most 1 MiB, so a small message never inflates whole in
    memory (`limit_bytes` then counts the decompressed bytes)."""
    inflater = zlib.decompressobj(wbits=31)
    for chunk in chunks:
        try:
            out = inflater.decompress(chunk, 1 << 20)
            while out:
                yield out
                out = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        except zlib.error as exc:
            raise MalformedMessage(f"The gzip-compressed message is damaged: {exc}") from None
    tail = inflater.flush()
    if tail:
        yield tail
    if not inflater.eof:
        raise MalformedMessage("The gzip-compressed message ends early: it was truncated in transfer.")
