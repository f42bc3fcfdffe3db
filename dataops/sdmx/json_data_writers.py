"""Write observations as an SDMX-JSON 2.0 data message, streamed.

The structure (dimensions with the values used, the measure, attributes with theirs) comes first,
then the series, one chunk per block of rows (`series_layout.BLOCK_ROWS`): series-wise with the time
dimension at the observation level, each observation ``[value, attribute indices…]``, the value
``null`` where missing. Without a time dimension every observation is keyed by all its dimensions
(``dimensionAtObservation=AllDimensions``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.sdmx.model import Dataflow, Structure
from dataops.sdmx.series_layout import Layout, at_rows, concatenated, join, lay_out, number_text
from dataops.sdmx.writers import message_header

SCHEMA = (
    "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/"
    "sdmx-json-data-schema.json"
)
_URN = "urn:sdmx:org.sdmx.infomodel."
# What SDMX-JSON 2.0 lets a value's ``id`` be; other values are written as ``value``.
_ID = re.compile(r"^[A-Za-z0-9_@$-]+$")


def write_json_20(
    table: pa.Table, dataflow: Dataflow, structure: Structure, *, flat: bool = False
) -> Iterator[bytes]:
    """An SDMX-JSON 2.0 data message, in chunks; ``flat``: observations keyed by every dimension."""
    layout = lay_out(table, structure, flat=flat)
    flat = layout.flat
    series_dims = [] if flat else layout.dims
    obs_dims = [*layout.dims, *_time(layout)] if flat else [] if layout.keys_only else _time(layout)
    values = {name: _distinct(layout.columns[name]) for name in [*series_dims, *obs_dims]}
    values.update({name: _distinct(layout.columns[name]) for name in layout.series_attrs + layout.obs_attrs})
    meta = {"schema": SCHEMA, **message_header(), "contentLanguages": ["en"]}
    head = {
        "meta": meta,
        "data": {"structures": [_structure(layout, dataflow, structure, series_dims, obs_dims, values)]},
    }
    opening = json.dumps(head, separators=(",", ":"), ensure_ascii=False)[:-2]  # reopen "data"
    links = [{"rel": "datastructure", "urn": _dsd_urn(structure)}]
    data_set = {"structure": 0, "action": "Information", "links": links}
    members = json.dumps(data_set, separators=(",", ":"))[:-1]
    yield f'{opening},"dataSets":[{members},"{"observations" if flat else "series"}":{{'.encode()
    for start, stop in layout.blocks():
        yield concatenated(_rows(layout, start, stop, series_dims, obs_dims, flat))
    yield b"}}]}}"


def _time(layout: Layout) -> list[str]:
    return [layout.time] if layout.time else []


def _dsd_urn(structure: Structure) -> str:
    return f"{_URN}datastructure.DataStructure={structure.agency}:{structure.id}({structure.version})"


def _distinct(arr: pa.Array) -> list[str]:
    """The column's values as the dictionary the positions written point into."""
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(pc.cast(arr, pa.string()))
    return [str(v) for v in arr.dictionary.to_pylist()]


def _positions(arr: pa.Array) -> pa.Array:
    """Each row's position in `_distinct`'s list as text (null where the value is missing)."""
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(pc.cast(arr, pa.string()))
    return pc.cast(arr.indices, pa.string())


def _value_item(value: str, names: dict[str, str]) -> dict[str, Any]:
    if _ID.match(value):
        name = names.get(value, value)
        return {"id": value, "name": name, "names": {"en": name}}
    return {"value": value}


def _structure(
    layout: Layout,
    dataflow: Dataflow,
    structure: Structure,
    series_dims: list[str],
    obs_dims: list[str],
    values: dict[str, list[str]],
) -> dict[str, Any]:
    dims = {d.id: d for d in structure.dimensions}
    position = {name: i for i, name in enumerate([*layout.dims, *_time(layout)])}
    attr_names = {a.id: a.name for a in structure.attributes}

    def dimension(name: str) -> dict[str, Any]:
        dim = dims.get(name)
        label = dim.name if dim else ("Time period" if name == layout.time else name)
        codes = (
            dict(zip(dim.codes["id"].astype(str), dim.codes["name"].astype(str), strict=False))
            if dim is not None and len(dim.codes)
            else {}
        )
        entry: dict[str, Any] = {
            "id": name,
            "name": label,
            "names": {"en": label},
            "keyPosition": position[name],
        }
        if name == layout.time:
            entry["roles"] = ["TIME_PERIOD"]
        # The schema wants at least one value; an empty answer lists the dimension's codes instead.
        listed = values[name] or list(codes) or [""]
        entry["values"] = [_value_item(v, codes) for v in listed]
        return entry

    def attribute(name: str, relationship: dict[str, Any]) -> dict[str, Any]:
        label = attr_names.get(name, name)
        # The schema wants at least one value; an attribute without any lists null.
        listed: list[dict[str, Any] | None] = [_value_item(v, {}) for v in values[name]]
        return {
            "id": name,
            "name": label,
            "names": {"en": label},
            "relationship": relationship,
            "values": listed or [None],
        }

    measure = layout.measure or structure.primary_measure
    return {
        "links": [{"rel": "datastructure", "urn": _dsd_urn(structure)}],
        "name": dataflow.name,
        "names": {"en": dataflow.name},
        "dimensions": {
            "dataSet": [],
            "series": [dimension(n) for n in series_dims],
            "observation": [dimension(n) for n in obs_dims],
        },
        "measures": {
            "observation": [
                {"id": measure, "name": "Observation value", "names": {"en": "Observation value"}}
            ]
        },
        "attributes": {
            "dataSet": [],
            "series": [attribute(n, {"dimensions": layout.dims}) for n in layout.series_attrs],
            "observation": [attribute(n, {"observation": {}}) for n in layout.obs_attrs],
        },
        "dataSets": [0],
    }


def _rows(
    layout: Layout, start: int, stop: int, series_dims: list[str], obs_dims: list[str], flat: bool
) -> pa.Array:
    """The text of rows ``[start, stop)``: ``"k:k":{"attributes":[…],"observations":{`` before a
    series' first row, ``"t":[v,a…]`` per observation, ``}}`` after a series' last row."""
    starts = layout.starts[start:stop]
    ends = layout.ends[start:stop]
    first_row = start == 0
    body: pa.Array | str = ""
    if not layout.keys_only:
        obs_key = _key([layout.column(n, start, stop) for n in obs_dims])
        cells = [_observation_value(layout, start, stop)]
        cells += [pc.fill_null(_positions(layout.column(n, start, stop)), "null") for n in layout.obs_attrs]
        body = join('"', obs_key, '":[', *_commas(cells), "]")
    if flat:
        return join(
            _where(np.arange(stop - start) > 0 if first_row else np.ones(stop - start, bool), ","), body
        )
    heads = np.flatnonzero(starts) + start
    index = pa.array(heads)
    series_key = _key([layout.columns[n].take(index) for n in series_dims])
    attrs = [pc.fill_null(_positions(layout.columns[n].take(index)), "null") for n in layout.series_attrs]
    opening = join('"', series_key, '":{"attributes":[', *_commas(attrs), '],"observations":{')
    # A comma before every series but the message's first, and before every observation but a series' first.
    series_comma = np.ones(len(heads), dtype=bool)
    if first_row and len(heads):
        series_comma[0] = heads[0] != 0
    opening = join(_where(series_comma, ","), opening)
    return join(at_rows(opening, starts), _where(~starts, ","), body, _where(ends, "}}"))


def _observation_value(layout: Layout, start: int, stop: int) -> pa.Array:
    if layout.measure is None:
        return pa.array(["null"] * (stop - start), pa.string())
    column = layout.column(layout.measure, start, stop)
    if pa.types.is_dictionary(column.type):
        column = pc.cast(column, pa.string())
    if pa.types.is_floating(column.type) or pa.types.is_integer(column.type):
        return number_text(column, "null", ("null", "null"))
    # Text measures are rare; JSON string escaping is left to the json module.
    return pa.array(["null" if v is None else json.dumps(str(v)) for v in column.to_pylist()], pa.string())


def _key(parts: list[pa.Array]) -> pa.Array:
    """Positions joined with ``:``; a dimension without a value (never in a table the readers
    produce) is written as its first value, since SDMX-JSON keys have no empty position."""
    texts = [pc.fill_null(_positions(p), "0") for p in parts]
    if not texts:
        raise ValueError("a key needs at least one dimension")
    return pc.binary_join_element_wise(*texts, ":")


def _commas(parts: list[pa.Array]) -> list[pa.Array | str]:
    out: list[pa.Array | str] = []
    for i, part in enumerate(parts):
        if i:
            out.append(",")
        out.append(part)
    return out


def _where(mask: np.ndarray, text: str) -> pa.Array:
    return pc.if_else(pa.array(mask, pa.bool_()), text, "")
