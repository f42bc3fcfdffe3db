"""Write observations as SDMX-ML data messages, streamed: 2.1 generic, 2.1 and 3.0 structure-specific.

Each writer returns an iterator of UTF-8 chunks: the header first, then one chunk per block of rows
(`series_layout.BLOCK_ROWS`), then the closing tags, so the REST endpoint sends a message of any size
without holding it whole. Observations are series-wise with the time dimension at the observation
level (``dimensionAtObservation="TIME_PERIOD"``), or flat (``AllDimensions``) when the table has no
time dimension. Missing observation values are written ``NaN``, as SDMX-ML's ``xs:double`` spells them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.sax.saxutils import quoteattr

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import InvalidInput, NotAcceptable
from dataops.sdmx.model import Dataflow, Structure
from dataops.sdmx.series_layout import (
    Layout,
    at_rows,
    concatenated,
    escape_xml,
    join,
    lay_out,
    number_text,
    pieces,
)
from dataops.sdmx.writers import SENDER, message_header

NS = {
    "2.1": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/",
    "3.0": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/",
}
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_DSD_URN = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure="
STRUCTURE_ID = "STR1"  # the header's structure id, which the data set's structureRef points at
_INFINITY = ("INF", "-INF")
# Component ids become XML names (structure-specific attributes) or attribute values; SDMX's
# NCNameIDType is what both can carry, so nothing a provider put in a column name reaches the markup.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _checked(layout: Layout) -> Layout:
    bad = [name for name in layout.columns if not _NAME.fullmatch(name)]
    if bad:
        raise NotAcceptable(
            f"The data has columns named {', '.join(map(repr, bad))}, which are not SDMX component ids, "
            "so SDMX-ML cannot carry them; ask for SDMX-CSV or SDMX-JSON."
        )
    return layout


def write_generic_21(
    table: pa.Table, dataflow: Dataflow, structure: Structure, *, flat: bool = False
) -> Iterator[bytes]:
    """SDMX-ML 2.1 generic data (``GenericData``), in chunks; ``flat``: ``AllDimensions``."""
    layout = _checked(lay_out(table, structure, flat=flat))
    ns = NS["2.1"]
    at_obs = _observation_dimension(layout)
    yield _declaration(
        "GenericData",
        {"message": ns + "message", "common": ns + "common", "generic": ns + "data/generic"},
        _header_structure("2.1", structure, at_obs, namespace=None),
        f'<message:DataSet structureRef="{STRUCTURE_ID}" action="Information">',
    )
    for start, stop in layout.blocks():
        yield concatenated(_generic_rows(layout, start, stop))
    yield b"</message:DataSet></message:GenericData>"


def write_structure_specific(
    table: pa.Table, dataflow: Dataflow, structure: Structure, version: str = "2.1", *, flat: bool = False
) -> Iterator[bytes]:
    """SDMX-ML 2.1 or 3.0 structure-specific data (``StructureSpecificData``), in chunks.

    The data set's type is named in the structure's own namespace (``urn:…DataStructure=A:ID(V):
    ObsLevelDim:TIME_PERIOD``), whose schema is derived from the data structure by the standard's
    rules for structure-specific schemas.
    """
    if version not in NS:
        raise InvalidInput(f"SDMX-ML structure-specific data is written as 2.1 or 3.0, not {version!r}.")
    layout = _checked(lay_out(table, structure, flat=flat))
    ns = NS[version]
    at_obs = _observation_dimension(layout)
    dsd_ns = f"{_dsd_urn(structure)}:ObsLevelDim:{at_obs}"
    # 2.1 requires ``dataScope`` on the data set; 3.0 dropped it.
    scope = ' ss:dataScope="DataStructure"' if version == "2.1" else ""
    yield _declaration(
        "StructureSpecificData",
        {
            "message": ns + "message",
            "common": ns + "common",
            "ss": ns + "data/structurespecific",
            "xsi": _XSI,
            "ns1": dsd_ns,
        },
        _header_structure(version, structure, at_obs, namespace=dsd_ns),
        f'<message:DataSet ss:structureRef="{STRUCTURE_ID}" xsi:type="ns1:DataSetType"{scope}'
        ' ss:action="Information">',
    )
    for start, stop in layout.blocks():
        yield concatenated(_structure_specific_rows(layout, start, stop))
    yield b"</message:DataSet></message:StructureSpecificData>"


def _observation_dimension(layout: Layout) -> str:
    return layout.at_observation


def _dsd_urn(structure: Structure) -> str:
    return f"{_DSD_URN}{structure.agency}:{structure.id}({structure.version})"


def _declaration(root: str, namespaces: dict[str, str], structure: str, data_set: str) -> bytes:
    head = message_header()
    xmlns = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in namespaces.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<message:{root} {xmlns}><message:Header>'
        f"<message:ID>{head['id']}</message:ID><message:Test>false</message:Test>"
        f"<message:Prepared>{head['prepared']}</message:Prepared>"
        f'<message:Sender id="{SENDER}"/>{structure}</message:Header>{data_set}'
    ).encode()


def _header_structure(version: str, structure: Structure, at_obs: str, namespace: str | None) -> str:
    """The header's ``Structure``: the data structure by reference (2.1) or URN (3.0)."""
    if version == "2.1":
        ref = (
            f"<Ref agencyID={quoteattr(structure.agency)} id={quoteattr(structure.id)}"
            f" version={quoteattr(structure.version)}/>"
        )
    else:
        ref = _dsd_urn(structure).replace("&", "&amp;").replace("<", "&lt;")
    ns_attr = f" namespace={quoteattr(namespace)}" if namespace else ""
    return (
        f'<message:Structure structureID="{STRUCTURE_ID}"{ns_attr} dimensionAtObservation={quoteattr(at_obs)}>'
        f"<common:Structure>{ref}</common:Structure></message:Structure>"
    )


Render = Callable[[pa.Array], pa.Array]


def _xml_attribute(name: str) -> Render:
    """Renders values as `` NAME="value"``."""

    def render(values: pa.Array) -> pa.Array:
        return join(f' {name}="', escape_xml(values), '"')

    return render


def _generic_value(tag: str, name: str | None) -> Render:
    """Renders values as ``<generic:TAG id="NAME" value="value"/>`` (no id when ``name`` is None)."""
    prefix = f'<generic:{tag} id="{name}" value="' if name else f'<generic:{tag} value="'

    def render(values: pa.Array) -> pa.Array:
        return join(prefix, escape_xml(values), '"/>')

    return render


def _column(layout: Layout, name: str, start: int, stop: int) -> pa.Array:
    return layout.column(name, start, stop)


def _value_text(layout: Layout, start: int, stop: int) -> pa.Array | None:
    if layout.measure is None:
        return None
    return number_text(_column(layout, layout.measure, start, stop), "NaN", _INFINITY)


def _structure_specific_rows(layout: Layout, start: int, stop: int) -> pa.Array:
    """The text of rows ``[start, stop)``: ``<Series …>`` before a series' first row, ``<Obs …/>``,
    ``</Series>`` after its last; flat data sets are ``<Obs …/>`` with every dimension."""
    starts, ends = layout.starts[start:stop], layout.ends[start:stop]
    obs = [_pieces(layout, n, start, stop, _xml_attribute(n)) for n in layout.obs_attrs]
    value = _value_text(layout, start, stop)
    value_piece = [join(' OBS_VALUE="', value, '"')] if value is not None else []
    if layout.flat:
        keys = [_pieces(layout, n, start, stop, _xml_attribute(n)) for n in [*layout.dims, *_time(layout)]]
        return join("<Obs", *keys, *value_piece, *obs, "/>")
    head_rows = _series_heads(layout, start, stop, starts, _xml_attribute)
    header = join("<Series", *head_rows, ">")
    if layout.keys_only:
        return join(header, "</Series>")
    time = _pieces(layout, layout.time or "", start, stop, _xml_attribute(layout.time or ""))
    observation = join("<Obs", time, *value_piece, *obs, "/>")
    return join(at_rows(header, starts), observation, _where(ends, "</Series>"))


def _generic_rows(layout: Layout, start: int, stop: int) -> pa.Array:
    """The text of rows ``[start, stop)`` as generic ``Series``/``Obs`` elements."""
    starts, ends = layout.starts[start:stop], layout.ends[start:stop]
    value = _value_text(layout, start, stop)
    value_el = [join('<generic:ObsValue value="', value, '"/>')] if value is not None else []
    attrs = [_pieces(layout, n, start, stop, _generic_value("Value", n)) for n in layout.obs_attrs]
    obs_attrs = _wrapped("generic:Attributes", attrs)
    if layout.flat:
        keys = [
            _pieces(layout, n, start, stop, _generic_value("Value", n))
            for n in [*layout.dims, *_time(layout)]
        ]
        key = _wrapped("generic:ObsKey", keys) if keys else ""
        return join("<generic:Obs>", key, *value_el, obs_attrs, "</generic:Obs>")
    key_rows = _series_heads(
        layout, start, stop, starts, lambda n: _generic_value("Value", n), dims_only=True
    )
    attr_rows = _series_heads(
        layout, start, stop, starts, lambda n: _generic_value("Value", n), attrs_only=True
    )
    header = join(
        "<generic:Series>",
        _wrapped("generic:SeriesKey", key_rows),
        _wrapped("generic:Attributes", attr_rows),
    )
    if layout.keys_only:
        return join(header, "</generic:Series>")
    time = _pieces(layout, layout.time or "", start, stop, _generic_value("ObsDimension", None))
    observation = join("<generic:Obs>", time, *value_el, obs_attrs, "</generic:Obs>")
    return join(at_rows(header, starts), observation, _where(ends, "</generic:Series>"))


def _time(layout: Layout) -> list[str]:
    return [layout.time] if layout.time else []


def _pieces(layout: Layout, name: str, start: int, stop: int, render: Render) -> pa.Array:
    return pieces(_column(layout, name, start, stop), render)


def _series_heads(
    layout: Layout,
    start: int,
    stop: int,
    starts: np.ndarray,
    renderer: Callable[[str], Render],
    *,
    dims_only: bool = False,
    attrs_only: bool = False,
) -> list[pa.Array]:
    """Per series starting in ``[start, stop)``, the rendered pieces of its key and attributes."""
    first = np.flatnonzero(starts) + start
    names = [] if attrs_only else list(layout.dims)
    names += [] if dims_only else layout.series_attrs
    index = pa.array(first)
    return [pieces(layout.columns[n].take(index), renderer(n)) for n in names]


def _wrapped(tag: str, parts: list[pa.Array]) -> pa.Array | str:
    """``<tag>…</tag>`` around the joined parts, or nothing where they are all empty."""
    if not parts:
        return ""
    inner = join(*parts)
    empty = pc.equal(pc.binary_length(inner), 0)
    return pc.if_else(empty, "", join(f"<{tag}>", inner, f"</{tag}>"))


def _where(mask: np.ndarray, text: str) -> pa.Array:
    return pc.if_else(pa.array(mask), text, "")
