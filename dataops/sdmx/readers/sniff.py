"""Tell SDMX formats apart from the first bytes of a message."""

from __future__ import annotations

import re

from dataops.errors import UnsupportedFormat

SUPPORTED_FORMATS: dict[str, str] = {
    "sdmx-ml-2.1-generic": "SDMX-ML 2.1 generic data",
    "sdmx-ml-2.1-structure-specific": "SDMX-ML 2.1 structure-specific data (series, cross-section, flat)",
    "sdmx-ml-3.0-structure-specific": "SDMX-ML 3.0 structure-specific data",
    "sdmx-csv-1.0": "SDMX-CSV 1.0",
    "sdmx-csv-2.0": "SDMX-CSV 2.0 (also with ';' separator, labels, decimal comma)",
    "ecb-csvdata": "ECB csvdata (CSV with a KEY column)",
    "sdmx-json-1.0": "SDMX-JSON 1.0 data",
    "sdmx-json-2.0": "SDMX-JSON 2.0 data",
    "sdmx-ml-2.1-structure": "SDMX-ML 2.1 structure",
    "sdmx-ml-3.0-structure": "SDMX-ML 3.0 structure",
    "sdmx-json-1.0-structure": "SDMX-JSON 1.0 structure",
    "sdmx-json-2.0-structure": "SDMX-JSON 2.0 structure",
}
DATA_FORMATS = tuple(f for f in SUPPORTED_FORMATS if not f.endswith("-structure"))
STRUCTURE_FORMATS = tuple(f for f in SUPPORTED_FORMATS if f.endswith("-structure"))
ERROR_FORMAT = "sdmx-ml-error"  # an SDMX-ML <message:Error> reply: read, then raised as RemoteError

NS_MESSAGE = {
    "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message": "2.1",
    "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message": "3.0",
}
_ROOTS = {
    ("2.1", "GenericData"): "sdmx-ml-2.1-generic",
    ("2.1", "GenericTimeSeriesData"): "sdmx-ml-2.1-generic",
    ("2.1", "StructureSpecificData"): "sdmx-ml-2.1-structure-specific",
    ("2.1", "StructureSpecificTimeSeriesData"): "sdmx-ml-2.1-structure-specific",
    ("3.0", "StructureSpecificData"): "sdmx-ml-3.0-structure-specific",
    ("2.1", "Structure"): "sdmx-ml-2.1-structure",
    ("3.0", "Structure"): "sdmx-ml-3.0-structure",
    ("2.1", "Error"): ERROR_FORMAT,
    ("3.0", "Error"): ERROR_FORMAT,
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


def sniff_format(head: bytes, what: str = "The message") -> str:
    """The format name (a key of `SUPPORTED_FORMATS`, or ``"sdmx-ml-error"``) of a message's first bytes."""
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
            return "sdmx-csv-1.0"
        if column == "STRUCTURE":
            return "sdmx-csv-2.0"
        if column == "KEY":
            return "ecb-csvdata"
    raise unsupported(what, f"starts with {stripped[:40]!r}, which is no SDMX format")


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    # Latin-1 never fails and keeps ASCII markup intact whatever the real encoding is.
    return head.decode("latin-1")


def _sniff_xml(text: str, what: str) -> str:
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


def _sniff_json(text: str) -> str:
    if re.search(r'"(dataStructures|dataflows|codelists|conceptSchemes)"\s*:', text):
        return "sdmx-json-2.0-structure" if '"meta"' in text and "2.0" in text else "sdmx-json-1.0-structure"
    if re.search(r'"structures"\s*:', text):
        return "sdmx-json-2.0"
    return "sdmx-json-1.0"
