"""Series keys only (``detail=serieskeysonly``): one row per series, the dimension columns in DSD order.

Providers answer such a query with SDMX-ML series that hold no observations, which the data
readers (one row per observation) would turn into nothing; this reads the keys themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from dataops.errors import MalformedMessage, NoData
from dataops.sdmx.media import data_accept
from dataops.sdmx.model import Structure
from dataops.sdmx.provider_errors import provider_message

# SDMX-ML only: the one representation in which a series can come without observations.
ACCEPT = {1: data_accept(1, ("xml", "generic")), 2: data_accept(2, ("xml",))}


def read_series_keys(chunks: Iterable[bytes], structure: Structure, where: str) -> pa.Table:
    """The series of an SDMX-ML 2.1 (generic or structure-specific) or 3.0 message, one row each."""
    dims = [d.id for d in sorted(structure.dimensions, key=lambda d: d.position)]
    parser = etree.XMLPullParser(
        events=("end",), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    rows: list[list[str]] = []
    head = b""
    try:
        for chunk in chunks:
            head = head or chunk[:4096]
            parser.feed(chunk)
            _collect(parser, dims, rows)
        parser.close()
        _collect(parser, dims, rows)
    except etree.XMLSyntaxError as exc:
        code, text = provider_message(head)
        raise MalformedMessage(
            f"The series keys from {where} are not a readable SDMX-ML message: {text or exc}"
        ) from exc
    if not rows:
        raise NoData(f"No series matches this query at {where}.")
    return series_table(dims, rows)


def _collect(parser: etree.XMLPullParser, dims: list[str], rows: list[list[str]]) -> None:
    for _, el in parser.read_events():
        # The parser reports "end" events only, and each of those carries an element.
        assert isinstance(el, etree._Element)
        if etree.QName(el).localname != "Series":
            continue
        key = el.find("{*}SeriesKey")
        if key is not None:
            values = {v.get("id"): v.get("value", "") for v in key.iterfind("{*}Value")}
            rows.append([values.get(d, "") for d in dims])
        else:
            rows.append([el.get(d, "") for d in dims])
        el.clear()


def series_table(dims: list[str], rows: list[list[str]]) -> pa.Table:
    """Dictionary-encoded dimension columns (pandas ``category``), duplicates removed."""
    unique = list(dict.fromkeys(tuple(r) for r in rows))
    columns = {
        d: pa.array([r[i] for r in unique], pa.string()).dictionary_encode() for i, d in enumerate(dims)
    }
    return pa.table(columns)


def keys_of(table: pa.Table, structure: Structure) -> pa.Table:
    """The distinct series of an observation table (for sources that filter locally)."""
    dims = [d.id for d in structure.dimensions if d.id in table.column_names]
    columns = [pc.cast(table.column(d), pa.string()).to_pylist() for d in dims]
    return series_table(dims, [list(r) for r in zip(*columns, strict=True)])
