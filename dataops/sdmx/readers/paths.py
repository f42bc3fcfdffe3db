"""Which read path reads a data message: one table, consulted once per read, the choice recorded.

Every data message is read by one of these paths (`ReadPath`):

======================  ==============================================================================
path                    what reads the message
======================  ==============================================================================
``native-xml``          structure-specific SDMX-ML: the compiled scanner (`ss_native`) reads the runs
                        of plain observations, lxml (`xml_data`) everything else
``pyarrow-xml``         the same with pyarrow's CSV reader on the runs (`ss_fast`)
``native-generic-xml``  generic SDMX-ML: the compiled scanner (`generic_native`) reads the runs of
                        plain observation blocks, lxml everything else
``pyarrow-generic-xml`` generic SDMX-ML: pyarrow reads regular observation blocks (`generic_fast`)
``lxml``                SDMX-ML read by lxml alone (`xml_data`)
``native-csv``          an SDMX-CSV file read by the compiled row scanner (`csv_native`)
``pyarrow-csv-halves``  an SDMX-CSV file read by pyarrow as two halves at once (`csv_halves`)
``pyarrow-csv``         SDMX-CSV read by pyarrow's streaming reader (`csv_data`)
``native-json``         SDMX-JSON, streamed: the compiled scanner (`json_native`) reads the series
                        and observations, `json` (`json_data`) everything else
``json``                SDMX-JSON, streamed, read by `json` alone (`json_data`)
======================  ==============================================================================

`PATHS` chooses by message kind, input kind and whether the compiled scanners are installed; SDMX-ML
that is not UTF-8 or has a default namespace goes to ``lxml`` (the scanners compare bytes), and a
quote in a CSV file's first 64 KB to ``pyarrow-csv`` (only it reads quoted values). A CSV path
that meets what it does not read later on (a quote, a file too small to halve) hands the file to
the next path of `STEP_DOWN`. The path that read the message is recorded in the table's ``sdmx``
metadata as ``read_path`` and logged at debug level.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pyarrow as pa

from dataops.errors import InvalidInput, TooLarge
from dataops.sdmx.media import MessageFormat
from dataops.sdmx.model import Structure
from dataops.sdmx.readers import csv_halves, csv_native, ss_native
from dataops.sdmx.readers.csv_data import read_stream
from dataops.sdmx.readers.csv_frame import CsvFrame, Pieces, malformed, read_header
from dataops.sdmx.readers.generic_fast import GenericRunScanner
from dataops.sdmx.readers.generic_native import NativeGenericScanner
from dataops.sdmx.readers.json_data import read_json_data
from dataops.sdmx.readers.json_native import NativeObservations, json_scanner_installed
from dataops.sdmx.readers.json_observations import FLAT_SLICE, PlainObservations
from dataops.sdmx.readers.native_columns import INSTALL_HINT, native_installed
from dataops.sdmx.readers.sniff import sniff_format, unsupported
from dataops.sdmx.readers.source import ChunkReader, Input, InputKind, open_input
from dataops.sdmx.readers.ss_fast import ObsRunScanner
from dataops.sdmx.readers.xml_data import read_xml_data

log = logging.getLogger(__name__)


class ReadPath(StrEnum):
    """A way of reading a data message (see the module's table)."""

    NATIVE_XML = "native-xml"
    PYARROW_XML = "pyarrow-xml"
    NATIVE_GENERIC_XML = "native-generic-xml"
    PYARROW_GENERIC_XML = "pyarrow-generic-xml"
    LXML = "lxml"
    NATIVE_CSV = "native-csv"
    PYARROW_CSV_HALVES = "pyarrow-csv-halves"
    PYARROW_CSV = "pyarrow-csv"
    NATIVE_JSON = "native-json"
    JSON = "json"


class Engine(StrEnum):
    """The fastest machinery a read may use (`read_message`'s ``engine``)."""

    NATIVE = "native"  # the compiled scanners (an error where they are not installed)
    PYARROW = "pyarrow"  # pyarrow, as on installs without the compiled scanners
    LXML = "lxml"  # SDMX-ML by lxml alone, SDMX-JSON by json alone; SDMX-CSV still by pyarrow


class Kind(StrEnum):
    """The kinds of message `PATHS` tells apart."""

    STRUCTURE_SPECIFIC = "structure-specific"
    GENERIC = "generic"
    CSV = "csv"
    JSON = "json"
    ERROR = "error"


KINDS: dict[MessageFormat, Kind] = {
    MessageFormat.STRUCTURE_SPECIFIC_21: Kind.STRUCTURE_SPECIFIC,
    MessageFormat.STRUCTURE_SPECIFIC_30: Kind.STRUCTURE_SPECIFIC,
    MessageFormat.GENERIC_21: Kind.GENERIC,
    MessageFormat.CSV_10: Kind.CSV,
    MessageFormat.CSV_20: Kind.CSV,
    MessageFormat.ECB_CSVDATA: Kind.CSV,
    MessageFormat.JSON_10: Kind.JSON,
    MessageFormat.JSON_20: Kind.JSON,
    # The JSON reader tells data from structure for sure (the sniffer only looks at the start).
    MessageFormat.STRUCTURE_JSON_10: Kind.JSON,
    MessageFormat.STRUCTURE_JSON_20: Kind.JSON,
    MessageFormat.ERROR: Kind.ERROR,
}  # SDMX-ML structure messages are no data: `read_message` says so

P = ReadPath
F, B, S = InputKind.FILE, InputKind.BYTES, InputKind.STREAM
# message kind → input kind → (path with the compiled scanners installed, path without them)
PATHS: dict[Kind, dict[InputKind, tuple[ReadPath, ReadPath]]] = {
    Kind.STRUCTURE_SPECIFIC: {
        F: (P.NATIVE_XML, P.PYARROW_XML),
        B: (P.NATIVE_XML, P.PYARROW_XML),
        S: (P.NATIVE_XML, P.PYARROW_XML),
    },
    Kind.GENERIC: {
        F: (P.NATIVE_GENERIC_XML, P.PYARROW_GENERIC_XML),
        B: (P.NATIVE_GENERIC_XML, P.PYARROW_GENERIC_XML),
        S: (P.NATIVE_GENERIC_XML, P.PYARROW_GENERIC_XML),
    },
    # The compiled CSV scanner and the two halves need a file they can open and seek in.
    Kind.CSV: {
        F: (P.NATIVE_CSV, P.PYARROW_CSV_HALVES),
        B: (P.PYARROW_CSV, P.PYARROW_CSV),
        S: (P.PYARROW_CSV, P.PYARROW_CSV),
    },
    Kind.JSON: {F: (P.NATIVE_JSON, P.JSON), B: (P.NATIVE_JSON, P.JSON), S: (P.NATIVE_JSON, P.JSON)},
    Kind.ERROR: {F: (P.LXML, P.LXML), B: (P.LXML, P.LXML), S: (P.LXML, P.LXML)},
}
# What reads a CSV file when a path gives up on it while reading.
STEP_DOWN = {P.NATIVE_CSV: P.PYARROW_CSV_HALVES, P.PYARROW_CSV_HALVES: P.PYARROW_CSV}
_SCANNED_XML = {P.NATIVE_XML, P.PYARROW_XML, P.NATIVE_GENERIC_XML, P.PYARROW_GENERIC_XML}


@dataclass(frozen=True)
class Tuning:
    """The sizes the paths work in; tests shrink them to reach chunk boundaries and the halves."""

    gather: int = ss_native.GATHER  # bytes the compiled XML scanner gathers per scan
    split_at: int = ss_native.SPLIT_AT  # chunks from this size are scanned as two halves
    csv_block: int = csv_native.BLOCK  # bytes per block of the compiled CSV scanner
    halves_min_size: int = csv_halves.MIN_SIZE  # smaller CSV files are read as one stream
    flat_slice: int = FLAT_SLICE  # observations of a flat SDMX-JSON dataset decoded at a time


def choose_path(
    fmt: MessageFormat, kind: InputKind, head: bytes = b"", *, engine: Engine | str | None = None
) -> ReadPath:
    """The path that reads a data message of format ``fmt`` handed over as ``kind``, starting with ``head``.

    ``engine`` None means the fastest installed; see `Engine` for the others.
    """
    chosen = _engine(engine)
    compiled = chosen in (None, Engine.NATIVE) and native_installed()
    with_compiled, without = PATHS[KINDS[fmt]][kind]
    path = with_compiled if compiled else without
    if path in _SCANNED_XML and (chosen is Engine.LXML or not fast_path_allowed(head)):
        return P.LXML
    if path is P.NATIVE_JSON and (chosen is Engine.LXML or not json_scanner_installed()):
        return P.JSON  # also under a compiled module built before it had the JSON scanner
    if path in STEP_DOWN and b'"' in head:
        return P.PYARROW_CSV
    return path


def read_message(
    source: Any,
    structure: Structure | None = None,
    *,
    max_bytes: int | None = None,
    engine: Engine | str | None = None,
    tuning: Tuning | None = None,
) -> pa.Table:
    """Read one data message (see `dataops.sdmx.readers.read_data`) by the path `choose_path` gives.

    The table's ``sdmx`` metadata names the path that read it (``read_path``).
    """
    inp = open_input(source, max_bytes)
    fmt = sniff_format(inp.head, inp.name)
    if fmt not in KINDS:
        raise unsupported(inp.name, "is a structure message, not data; read it with read_structure")
    path = choose_path(fmt, inp.kind, inp.head, engine=engine)
    sizes = tuning or Tuning()
    if KINDS[fmt] is Kind.CSV:
        table, path = _read_csv(inp, fmt, structure, path, sizes)
    elif path is P.NATIVE_JSON:
        table = read_json_data(inp.chunks, inp.name, structure, NativeObservations(sizes.flat_slice))
    elif path is P.JSON:
        table = read_json_data(inp.chunks, inp.name, structure, PlainObservations(sizes.flat_slice))
    else:
        table = _read_xml(inp, fmt, structure, path, sizes)
    log.debug("%s (%s, %s) was read by the %s path", inp.name, fmt.label, inp.kind, path)
    return _recorded(table, path)


def fast_path_allowed(head: bytes) -> bool:
    """Whether the XML scanners may read a message: UTF-8 (or ASCII) without a default namespace,
    where bytes are the text they compare."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    decl = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([^\"']+)", head.removeprefix(b"\xef\xbb\xbf"))
    if decl and decl.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return False
    return re.search(rb"\sxmlns\s*=", head) is None


def _engine(engine: Engine | str | None) -> Engine | None:
    if engine is None:
        return None
    try:
        chosen = Engine(engine)
    except ValueError:
        raise InvalidInput(
            f"There is no read engine {engine!r}: use one of {', '.join(e.value for e in Engine)}."
        ) from None
    if chosen is Engine.NATIVE and not native_installed():
        raise InvalidInput(
            f"The compiled scanners (dataops_native) are not installed. {INSTALL_HINT} "
            "Or read with engine='pyarrow'."
        )
    return chosen


def _read_xml(
    inp: Input, fmt: MessageFormat, structure: Structure | None, path: ReadPath, tuning: Tuning
) -> pa.Table:
    obs_scanner: ss_native.NativeObsScanner | ObsRunScanner | None = None
    if path is P.NATIVE_XML:
        obs_scanner = ss_native.NativeObsScanner(gather=tuning.gather, split_at=tuning.split_at)
    elif path is P.PYARROW_XML:
        obs_scanner = ObsRunScanner()
    generic: NativeGenericScanner | GenericRunScanner | None = None
    if path is P.NATIVE_GENERIC_XML:
        generic = NativeGenericScanner(gather=tuning.gather, split_at=tuning.split_at)
    elif path is P.PYARROW_GENERIC_XML:
        generic = GenericRunScanner()
    builder, info = read_xml_data(
        inp.chunks, fmt, inp.name, structure, obs_scanner=obs_scanner, generic_scanner=generic
    )
    return builder.build(info, structure)


def _read_csv(
    inp: Input, fmt: MessageFormat, structure: Structure | None, path: ReadPath, tuning: Tuning
) -> tuple[pa.Table, ReadPath]:
    frame = read_header(inp, fmt, structure)
    try:
        pieces = _csv_pieces(inp, frame, path, tuning)
        while pieces is None:
            log.debug("%s: the %s path leaves the file to the %s path", inp.name, path, STEP_DOWN[path])
            path = STEP_DOWN[path]
            pieces = _csv_pieces(inp, frame, path, tuning)
    except TooLarge:
        raise
    except pa.ArrowInvalid as exc:
        raise malformed(inp.name, exc) from None
    return frame.table(pieces, structure), path


def _csv_pieces(inp: Input, frame: CsvFrame, path: ReadPath, tuning: Tuning) -> Pieces | None:
    """The columns read by ``path``, or None when it leaves the file to the next one."""
    if path is P.NATIVE_CSV and inp.path is not None:
        return csv_native.read_native(
            inp.path, frame.names, frame.types, frame.delimiter, block=tuning.csv_block
        )
    if path is P.PYARROW_CSV_HALVES and inp.path is not None:
        return csv_halves.read_halves(
            inp.path,
            lambda source, skip_rows: read_stream(frame, source, skip_rows, halves=2),
            min_size=tuning.halves_min_size,
        )
    if path is not P.PYARROW_CSV:
        return None
    source = str(inp.path) if inp.path is not None else pa.PythonFile(ChunkReader(inp.chunks), mode="r")
    return read_stream(frame, source, 1)


def _recorded(table: pa.Table, path: ReadPath) -> pa.Table:
    metadata = dict(table.schema.metadata or {})
    sdmx = json.loads(metadata.get(b"sdmx", b"{}"))
    sdmx["read_path"] = path.value
    metadata[b"sdmx"] = json.dumps(sdmx).encode()
    return table.replace_schema_metadata(metadata)
