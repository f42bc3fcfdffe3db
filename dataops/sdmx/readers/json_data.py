"""SDMX-JSON 1.0 and 2.0 data messages.

Keys in SDMX-JSON are positions into the value lists of the message's own structure section
(``"0:1:0"``), so the message is decoded once with `json` and then expanded through the
`TableBuilder`, which stores series-level values once per series.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from dataops.errors import MalformedMessage, NoData, ProviderQuirk, RemoteError
from dataops.sdmx.media import MessageFormat
from dataops.sdmx.model import Structure
from dataops.sdmx.readers.json_columns import ObsBlock, RawDataset, block_positions, decode_positions
from dataops.sdmx.readers.json_observations import PlainObservations
from dataops.sdmx.readers.json_stream import JsonStream
from dataops.sdmx.readers.sniff import unsupported
from dataops.sdmx.readers.table import OBS_VALUE, TableBuilder, TableInfo

TIME_PERIOD = "TIME_PERIOD"


class Observations(Protocol):
    """What reads a dataset's ``series`` and flat ``observations`` objects into its blocks."""

    def series(self, stream: JsonStream, ds: RawDataset) -> None: ...

    def flat(self, stream: JsonStream, ds: RawDataset) -> None: ...


def load_json(data: bytes, what: str) -> Any:
    """Decode JSON, naming line and column when it is broken."""
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise MalformedMessage(f"{what} is not valid UTF-8 JSON: {exc.reason} at byte {exc.start}.") from None
    except json.JSONDecodeError as exc:
        raise MalformedMessage(
            f"{what} is not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}. "
            "The file may be truncated or damaged.",
            details={"line": exc.lineno},
        ) from None


def raise_errors(doc: dict[str, Any], what: str) -> None:
    """An SDMX-JSON ``errors`` section becomes `NoData` or `RemoteError` with the provider's text."""
    errors = doc.get("errors") or []
    if not errors:
        return
    texts = []
    codes = []
    for err in errors:
        if not isinstance(err, dict):
            texts.append(str(err))
            continue
        codes.append(str(err.get("code", "")))
        detail = err.get("title") or err.get("message") or err.get("detail") or ""
        if isinstance(detail, dict | list):
            detail = json.dumps(detail)
        texts.append(f"(code {err.get('code')}) {detail}".strip())
    if "100" in codes or "404" in codes:
        raise NoData(f"The provider found no data: {'; '.join(texts)}")
    raise RemoteError(
        f"The provider answered with an error message: {'; '.join(texts)}", details={"codes": codes}
    )


def read_json_data(
    chunks: Iterator[bytes], what: str, structure: Structure | None, observations: Observations | None = None
) -> pa.Table:
    """Read an SDMX-JSON 1.0 or 2.0 data message, streaming: one series' objects at a time.

    ``observations`` reads the series and flat observations (`PlainObservations` by default).
    """
    observations = observations or PlainObservations()
    stream = JsonStream(chunks, what)
    if stream.peek() != "{":
        stream.value()  # broken JSON says where; a well-formed non-object is no SDMX-JSON
        raise unsupported(what, "is JSON but not an SDMX-JSON message")
    doc: dict[str, Any] = {}
    datasets: list[RawDataset] | None = None
    for key in stream.members():
        if key == "data" and stream.peek() == "{":
            for inner in stream.members():
                if inner == "dataSets":
                    datasets = _read_datasets(stream, observations)
                else:
                    doc.setdefault("data", {})[inner] = stream.value()
        elif key == "dataSets":
            datasets = _read_datasets(stream, observations)
        else:
            doc[key] = stream.value()
        if key == "errors":
            raise_errors(doc, what)
    stream.end()
    body = doc.get("data", doc)
    if datasets is None:
        if isinstance(body, dict) and ("dataStructures" in body or "dataflows" in body):
            raise unsupported(
                what, "is an SDMX-JSON structure message, not data; read it with read_structure"
            )
        raise unsupported(what, "is JSON without SDMX-JSON dataSets")
    if isinstance(body, dict) and "structures" in body:
        fmt, structures = MessageFormat.JSON_20, body["structures"] or []
    else:
        fmt = MessageFormat.JSON_10
        structures = [
            (body.get("structure") if isinstance(body, dict) else None) or doc.get("structure") or {}
        ]
    info = TableInfo(format=fmt, what=what)
    builder = TableBuilder()
    for ds in datasets:
        index = ds.members.get("structure", 0)
        index = index if isinstance(index, int) else 0
        if index >= len(structures):
            raise MalformedMessage(
                f"{what} has a dataset pointing at structure {index}, which it does not contain."
            )
        _add_dataset(ds, _Layout(structures[index], what), builder, info)
    if structures and structures[0]:
        layout = _Layout(structures[0], what)
        info.dimensions = [d for d in layout.dimension_order if d != layout.time]
        info.time_dimension = layout.time
        info.structure_id = layout.structure_id
    return builder.build(info, structure)


def _read_datasets(stream: JsonStream, observations: Observations) -> list[RawDataset]:
    """The ``dataSets`` array, series by series, observations as columns."""
    datasets = []
    for _ in stream.elements():
        ds = RawDataset()
        for key in stream.members():
            if key == "series" and stream.peek() == "{":
                observations.series(stream, ds)
            elif key == "observations" and stream.peek() == "{":
                observations.flat(stream, ds)
            else:
                ds.members[key] = stream.value()
        datasets.append(ds)
    return datasets


def _add_dataset(ds: RawDataset, lay: _Layout, builder: TableBuilder, info: TableInfo) -> None:
    what = lay.what
    context: dict[str, str | None] = {d["id"]: _value(d, 0, what) for d in lay.ds_dims}
    ds_attr_idx = ds.members.get("attributes")
    if ds_attr_idx is None:
        context.update({a["id"]: a["default"] for a in lay.ds_attrs if a.get("default") is not None})
    else:
        context.update(_attributes(lay.ds_attrs, ds_attr_idx, what))
    action = ds.members.get("action")
    if action:
        info.actions = [*(info.actions or []), action]
        if str(action).lower() == "delete":
            context["ACTION"] = action
    values = {k: v for k, v in context.items() if v is not None}
    flat_idx = builder.new_series(values, real=False) if any(b.flat() for b in ds.blocks) else -1
    series_idx = []
    ids: dict[int, list[str | None]] = {}  # each component's values, decoded once for all series
    for key, attributes in ds.series:
        series_values = {**values, **_key(key, lay.series_dims, what, ids)}
        series_values.update(_attributes(lay.series_attrs, attributes, what, ids))
        series_idx.append(builder.new_series({k: v for k, v in series_values.items() if v is not None}))
    blocks = [b for b in ds.blocks if len(b)]
    if not blocks:
        return
    ds.blocks = []
    # Series positions → the builder's series (the last entry, reached by -1, is the flat one).
    lookup = np.array([*series_idx, flat_idx], dtype=np.int32)
    owners, counts = zip(*(b.owners() for b in blocks), strict=True)
    rows = np.repeat(lookup[np.concatenate(owners)], np.concatenate(counts))
    sizes = [len(b) for b in blocks]
    # Block by block, releasing each part once it is converted, so no column exists twice.
    positions_by_dim: list[list[pa.Array]] = [[] for _ in lay.obs_dims]
    for b in blocks:
        for j, positions in enumerate(block_positions(b, len(lay.obs_dims), what)):
            positions_by_dim[j].append(positions)
        b.keys = b.positions = None
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    for dim, pieces in zip(lay.obs_dims, positions_by_dim, strict=True):
        columns[dim["id"]] = decode_positions(dim, _joined(pieces), what, _value)
        pieces.clear()
    values_by_type = [b.values for b in blocks]
    if any(pa.types.is_string(v.type) for v in values_by_type):
        values_by_type = [v.cast(pa.string()) for v in values_by_type]
    columns[OBS_VALUE] = pa.chunked_array(values_by_type)
    del values_by_type
    for j, comp in enumerate(_observation_attributes(lay, blocks, info)):
        pieces = [
            b.attributes[j] if j < len(b.attributes) else pa.nulls(size, pa.int32())
            for b, size in zip(blocks, sizes, strict=True)
        ]
        positions = _joined(pieces)
        del pieces
        if positions.null_count < len(positions):
            columns[comp["id"]] = decode_positions(comp, positions, what, _value)
    del blocks
    builder.add_block(pa.table(columns), rows)


def _joined(pieces: list[pa.Array]) -> pa.Array:
    """The pieces as one array; a single piece as it is (concatenating would copy it)."""
    return pieces[0] if len(pieces) == 1 else pa.concat_arrays(pieces)


def _observation_attributes(lay: _Layout, blocks: list[ObsBlock], info: TableInfo) -> list[dict[str, Any]]:
    """The observation attributes the positions of an observation array refer to, in order.

    Standard SDMX-JSON 1.0 gives every observation attribute its place. Legacy OECD.Stat-style
    endpoints leave out the attributes whose ``values`` list is empty, so ``[-2.45, 1]`` with
    ``TIME_FORMAT`` (no values) then ``OBS_STATUS`` means ``OBS_STATUS`` = value 1. Only when the
    standard reading is impossible (a position refers to an attribute that has no values) and the
    arrays fit the attributes that have values are they read that way, with a warning.
    """
    comps = lay.obs_attrs
    width = max((len(b.attributes) for b in blocks), default=0)
    impossible = [
        comp["id"]
        for j, comp in enumerate(comps[:width])
        if not comp.get("values")
        and any(j < len(b.attributes) and b.attributes[j].null_count < len(b.attributes[j]) for b in blocks)
    ]
    valued = [comp for comp in comps if comp.get("values")]
    if not impossible or width > len(valued):
        return comps
    note = (
        f"{lay.what}: observation arrays leave out the attributes without values "
        f"({', '.join(c['id'] for c in comps if not c.get('values'))}); their positions were read as "
        f"{', '.join(c['id'] for c in valued[:width])}."
    )
    info.quirks = [*(info.quirks or []), note]
    warnings.warn(note, ProviderQuirk, stacklevel=2)
    return valued


class _Layout:
    """The structure section of a message: which component sits at which level and position."""

    def __init__(self, st: dict[str, Any], what: str) -> None:
        dims = st.get("dimensions") or {}
        attrs = st.get("attributes") or {}
        self.ds_dims = dims.get("dataSet") or []
        self.series_dims = dims.get("series") or []
        self.obs_dims = dims.get("observation") or []
        self.ds_attrs = attrs.get("dataSet") or []
        self.series_attrs = attrs.get("series") or []
        self.obs_attrs = attrs.get("observation") or []
        # Dimension groups (2.0) attach like series attributes; keep them with the series.
        self.series_attrs = self.series_attrs + (attrs.get("dimensionGroup") or [])
        all_dims = [*self.ds_dims, *self.series_dims, *self.obs_dims]
        self.time = next(
            (
                d["id"]
                for d in all_dims
                if d.get("role") in ("TIME_PERIOD", "time") or d.get("id") == TIME_PERIOD
            ),
            None,
        )
        positioned = sorted(
            (d for d in all_dims if d.get("id") != self.time),
            key=lambda d: d.get("keyPosition", d.get("position", 1_000_000)),
        )
        self.dimension_order = [d["id"] for d in positioned]
        self.structure_id = ""
        for link in st.get("links") or []:
            if link.get("rel") in ("datastructure", "dataflow") and (link.get("urn") or link.get("href")):
                urn = link.get("urn") or ""
                self.structure_id = urn.rpartition("=")[2] if urn else _from_href(link["href"])
                if link.get("rel") == "datastructure":
                    break
        self.what = what


def _from_href(href: str) -> str:
    m = re.search(r"/(?:dataflow|datastructure)/([^/]+)/([^/]+)/([^/?]+)", href)
    return f"{m[1]}:{m[2]}({m[3]})" if m else href


def _value(component: dict[str, Any], index: Any, what: str) -> str | None:
    """The value a position refers to (id for coded values, else the text)."""
    if index is None:
        return None
    values = component.get("values") or []
    try:
        item = values[int(index)]
    except (IndexError, ValueError, TypeError):
        raise MalformedMessage(
            f"{what} refers to value {index!r} of {component.get('id')}, which has only {len(values)} values."
        ) from None
    if not isinstance(item, dict):
        return None if item is None else str(item)
    for key in ("id", "value", "name"):
        if key in item and item[key] is not None:
            found = item[key]
            return (
                found
                if isinstance(found, str)
                else json.dumps(found)
                if isinstance(found, dict)
                else str(found)
            )
    return None


def _known_value(
    component: dict[str, Any], index: Any, what: str, ids: dict[int, list[str | None]] | None
) -> str | None:
    """`_value`, looked up in ``ids`` (filled on first use) when given."""
    if ids is None or index is None:
        return _value(component, index, what)
    known = ids.get(id(component))
    if known is None:
        count = len(component.get("values") or [])
        known = ids[id(component)] = [_value(component, i, what) for i in range(count)]
    try:
        return known[int(index)]
    except (IndexError, ValueError, TypeError):
        return _value(component, index, what)  # raises with the sentence


def _key(
    positions: str, dims: list[dict[str, Any]], what: str, ids: dict[int, list[str | None]] | None = None
) -> dict[str, str | None]:
    parts = positions.split(":") if positions != "" else []
    if len(parts) != len(dims):
        raise MalformedMessage(
            f"{what} has key {positions!r}, but its structure has {len(dims)} such dimensions."
        )
    return {d["id"]: _known_value(d, p, what, ids) for d, p in zip(dims, parts, strict=True)}


def _attributes(
    comps: list[dict[str, Any]], indices: list[Any], what: str, ids: dict[int, list[str | None]] | None = None
) -> dict[str, str]:
    out = {}
    for comp, idx in zip(comps, indices, strict=False):
        value = _known_value(comp, idx, what, ids)
        if value is not None:
            out[comp["id"]] = value
    return out
