"""Random SDMX-JSON 1.0 and 2.0 data messages, for comparing the compiled and plain JSON paths.

A message has series and/or flat datasets, attributes at dataset, series and observation level,
missing values and nulls, random white space, non-ASCII names, and (with ``odd=True``) the things
only the plain reader reads: text and special values, duplicate and non-canonical keys, escapes,
legacy OECD arrays that leave out attributes without values.
"""

from __future__ import annotations

import json
import random
from typing import Any


class Raw(str):
    """Text written into the message as it is (a number spelled a particular way, a bad token)."""


NUMBERS = ["1.5", "-2", "0", "-0", "1e3", "2.5E-2", "123.45678", "-0.0", "7", "1E+2", "0.1", "99999"]
ODD_VALUES = ['"1.5"', '"NaN"', "NaN", "Infinity", "true", "12345678901234567890", "1e400", '"x"']
NAMES = ["Euro", "Côte d'Ivoire", "日本円", 'Zürich "quoted"', "tab\there", "plain"]
SPACES = ["", "", " ", "\n", "\t", "\r\n  "]


def dump(value: Any, rnd: random.Random) -> str:
    """JSON text of ``value`` with random white space between tokens; `Raw` is written as it is."""

    def ws() -> str:
        return rnd.choice(SPACES)

    if isinstance(value, Raw):
        return value
    if isinstance(value, dict):
        items = [f"{ws()}{json.dumps(k, ensure_ascii=rnd.random() < 0.5)}{ws()}:{ws()}{dump(v, rnd)}{ws()}"
                 for k, v in value.items()]  # fmt: skip
        return "{" + ",".join(items) + ws() + "}"
    if isinstance(value, list):
        return "[" + ",".join(f"{ws()}{dump(v, rnd)}{ws()}" for v in value) + ws() + "]"
    return json.dumps(value, ensure_ascii=rnd.random() < 0.5)


def _component(rnd: random.Random, cid: str, n_values: int, **extra: Any) -> dict[str, Any]:
    values = [{"id": f"{cid[:2]}{k}", "name": rnd.choice(NAMES)} for k in range(n_values)]
    return {"id": cid, "name": rnd.choice(NAMES), **extra, "values": values}


def _obs_array(rnd: random.Random, obs_attrs: list[dict[str, Any]], odd: bool, legacy: bool) -> list[Any]:
    value: Any = Raw(rnd.choice(NUMBERS)) if rnd.random() < 0.9 else None
    if odd and rnd.random() < 0.05:
        value = Raw(rnd.choice(ODD_VALUES))
    row = [value]
    valued = [a for a in obs_attrs if a["values"]] if legacy else obs_attrs
    for attr in valued:
        row.append(rnd.randrange(len(attr["values"])) if attr["values"] and rnd.random() < 0.8 else None)
    while len(row) > 1 and row[-1] is None and rnd.random() < 0.5:
        row.pop()  # trailing attributes left out
    if rnd.random() < 0.03:
        row = []
    if odd and rnd.random() < 0.02:
        row.append(Raw(rnd.choice(["1.0", "-1", '"0"', "true"])))
    return row


def _observations(
    rnd: random.Random, obs_dims: list[dict[str, Any]], obs_attrs: list[dict[str, Any]], n: int, odd: bool,
    legacy: bool,
) -> dict[str, Any]:  # fmt: skip
    out: dict[str, Any] = {}
    for _ in range(n):
        key = ":".join(str(rnd.randrange(len(d["values"]))) for d in obs_dims)
        if odd and rnd.random() < 0.02:
            key = rnd.choice(["0" + key, key + ":0", " " + key, "x"])
        out[key] = _obs_array(rnd, obs_attrs, odd, legacy)
    if odd and out and rnd.random() < 0.1:
        # A duplicate key: json keeps the last value in the first key's place.
        first = next(iter(out))
        text = dump(out, rnd)
        return {
            "__raw__": Raw(
                text[:-1] + f',"{first}":' + dump(_obs_array(rnd, obs_attrs, odd, legacy), rnd) + "}"
            )
        }
    return out


def _raw_object(value: dict[str, Any], rnd: random.Random) -> Any:
    return value["__raw__"] if "__raw__" in value else value


def random_message(seed: int, *, odd: bool = False) -> bytes:
    """One random SDMX-JSON data message (1.0 or 2.0) as bytes."""
    rnd = random.Random(seed)
    v2 = rnd.random() < 0.5
    legacy = odd and rnd.random() < 0.2
    ds_dims = [_component(rnd, f"DS{i}", 1, keyPosition=i) for i in range(rnd.randint(0, 1))]
    series_dims = [
        _component(rnd, f"SD{i}", rnd.randint(1, 4), keyPosition=5 + i) for i in range(rnd.randint(0, 3))
    ]
    n_periods = rnd.randint(1, 60)
    obs_dims = [_component(rnd, "TIME_PERIOD", n_periods, role="time" if v2 else "TIME_PERIOD")]
    obs_dims += [
        _component(rnd, f"OD{i}", rnd.randint(1, 3), keyPosition=9 + i) for i in range(rnd.choice([0, 0, 1]))
    ]
    if rnd.random() < 0.05:
        obs_dims = []
    ds_attrs = [_component(rnd, "DA0", 2, default="DA0")] if rnd.random() < 0.5 else []
    series_attrs = [_component(rnd, f"SA{i}", rnd.randint(1, 3)) for i in range(rnd.randint(0, 2))]
    obs_attrs = [_component(rnd, f"OA{i}", rnd.randint(1, 3)) for i in range(rnd.randint(0, 3))]
    if legacy:
        obs_attrs.insert(0, _component(rnd, "TIME_FORMAT", 0))
    structure = {
        "links": [{"rel": "datastructure", "urn": "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=T:DSD(1.0)"}],
        "dimensions": {"dataSet": ds_dims, "series": series_dims, "observation": obs_dims},
        "attributes": {"dataSet": ds_attrs, "series": series_attrs, "observation": obs_attrs},
    }  # fmt: skip
    datasets = []
    for _ in range(rnd.choice([1, 1, 2])):
        ds: dict[str, Any] = {}
        if v2:
            ds["structure"] = 0
        if rnd.random() < 0.3:
            ds["action"] = rnd.choice(["Information", "Replace", "Delete"])
        if ds_attrs and rnd.random() < 0.5:
            ds["attributes"] = [rnd.choice([0, 1, None])]
        layout = rnd.choice(["series", "series", "flat", "both"])
        if layout in ("series", "both"):
            series: dict[str, Any] = {}
            for _ in range(rnd.randint(0, 8)):
                key = ":".join(str(rnd.randrange(len(d["values"]))) for d in series_dims)
                body: dict[str, Any] = {}
                if rnd.random() < 0.3:
                    body["annotations"] = [0, {"text": rnd.choice(NAMES), "n": [1.5, None, True]}]
                if series_attrs and rnd.random() < 0.8:
                    body["attributes"] = [rnd.choice([None, *range(len(a["values"]))]) for a in series_attrs]
                if odd and rnd.random() < 0.05:
                    body["attributes"] = rnd.choice([["0"], [1.0], {"a": 1}, Raw("null")])
                if rnd.random() < 0.95:
                    n = rnd.choice([0, 1, rnd.randint(1, n_periods)])
                    obs = _observations(rnd, obs_dims, obs_attrs, n, odd, legacy)
                    body["observations"] = _raw_object(obs, rnd) if obs or rnd.random() < 0.8 else None
                if rnd.random() < 0.5:
                    body = dict(reversed(list(body.items())))
                series[key] = body
            ds["series"] = series
        if layout in ("flat", "both"):
            flat_dims = [*series_dims, *obs_dims]
            ds["observations"] = _raw_object(
                _observations(rnd, flat_dims, obs_attrs, rnd.randint(0, 120), odd, legacy), rnd
            )
        if rnd.random() < 0.3:
            ds["annotations"] = [{"title": rnd.choice(NAMES)}]
        datasets.append(ds)
    if v2:
        data = {"structures": [structure], "dataSets": datasets}
        if rnd.random() < 0.5:
            data = {"dataSets": datasets, "structures": [structure]}
        message: dict[str, Any] = {"meta": {"id": "T", "sender": {"id": rnd.choice(NAMES)}}, "data": data}
    else:
        message = {"header": {"id": "T", "sender": {"name": rnd.choice(NAMES)}}, "dataSets": datasets}
        message["structure"] = structure
        if rnd.random() < 0.5:
            message = {"header": message["header"], "structure": structure, "dataSets": datasets}
    return dump(message, rnd).encode()
