"""Tell SDMX formats apart from the first bytes of a message."""

from __future__ import annotations

import re

from dataops.errors import UnsupportedFormat
from dataops.sdmx.media import MessageFormat

F = MessageFormat
# Every format read (error messages aside): short name → description, for error messages and docs.
SUPPORTED_FORMATS: dict[str, str] = {f.label: f.description for f in MessageFormat if f is not F.ERROR}

NS_MESSAGE = {
    "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message": "2.1",
    "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message": "3.0",
}
_ROOTS = {
    ("2.1", "GenericData"): F.GENERIC_21,
    ("2.1", "GenericTimeSeriesData"): F.GENERIC_21,
    ("2.1", "StructureSpecificData"): F.STRUCTURE_SPECIFIC_21,
    ("2.1", "StructureSpecificTimeSeriesData"): F.STRUCTURE_SPECIFIC_21,
    ("3.0", "StructureSpecificData"): F.STRUCTURE_SPECIFIC_30,
    ("2.1", "Structure"): F.STRUCTURE_21,
    ("3.0", "Structure"): F.STRUCTURE_30,
    ("2.1", "Error"): F.ERROR,
    ("3.0", "Error"): F.ERROR,
}
_ROOT_TAG = re.compile(r"\s*<(?![?!])(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>?", re.S)
_PROLOG_SKIP = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S)
_CSV_FIRST = re.compile(r'^\ufeff?"?([A-Za-z_]+)(\[.\])?"?(.)?')


def supported_list() -> str:
    """The supported formats as one readable line, for error messages."""
    return "; ".join(SUPPORTED_FORMATS.values())


def unsupported(what: str, reason: str) -> UnsupportedFormat:
    """The error for a message we do not read, listing those we do."""
    return UnsupportedFormat(f"{what} {reason}. Supported formats: {supported_list()}.")


def sniff_format(head: bytes, what: str = "The message") -> MessageFormat:
    """The format of a message, from its first bytes (`MessageFormat.ERROR` for an SDMX-ML error)."""
    text = _decode_head(head)
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise unsupported(what, "is empty")
    if stripped.startswith("<"):
        return _sniff_xml(stripped, what)
    if stripped.startswith(("{", "[")):
        return _sniff_json(stripped)
    first = _CSV_FIRST.match(stripped)
    if first:
        column = first.group(1).upper()
        if column == "DATAFLOW":
            return F.CSV_10
        if column == "STRUCTURE":
            return F.CSV_20
        if column == "KEY":
            return F.ECB_CSVDATA
    raise unsupported(what, f"starts with {stripped[:40]!r}, which is no SDMX format")


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    # Latin-1 never fails and keeps ASCII markup intact whatever the real encoding is.
    return head.decode("latin-1")


def _sniff_xml(text: str, what: str) -> MessageFormat:
    pos = 0
    while m := _PROLOG_SKIP.match(text, pos):
        if m.end() == pos:
            break
        pos = m.end()
    root = _ROOT_TAG.match(text, pos)
    if not root:
        raise unsupported(what, "is XML, but its root element could not be found")
    prefix, local, attrs = root.group(1), root.group(2), root.group(3)
    decl = re.search(
        r"xmlns%s\s*=\s*[\"']([^\"']*)[\"']" % (":" + re.escape(prefix) if prefix else ""), attrs
    )
    namespace = decl.group(1) if decl else ""
    version = NS_MESSAGE.get(namespace)
    if local.lower() == "html":
        raise unsupported(what, "is an HTML page, not an SDMX message (an error or login page?)")
    if version is None:
        if "v2_0" in namespace or "SDMXML/schemas/v2_0" in namespace:
            raise unsupported(what, f"is SDMX-ML 2.0 ({local}), an old format that is not read")
        raise unsupported(
            what, f"is XML with root <{local}> in namespace {namespace!r}, not an SDMX-ML message"
        )
    fmt = _ROOTS.get((version, local))
    if fmt is None:
        raise unsupported(what, f"is an SDMX-ML {version} {local} message, which holds no data or structures")
    return fmt


def _sniff_json(text: str) -> MessageFormat:
    if re.search(r'"(dataStructures|dataflows|codelists|conceptSchemes)"\s*:', text):
        return F.STRUCTURE_JSON_20 if '"meta"' in text and "2.0" in text else F.STRUCTURE_JSON_10
    if re.search(r'"structures"\s*:', text):
        return F.JSON_20
    return F.JSON_10
