"""Write observations as SDMX-CSV 1.0 / 2.0 and SDMX-JSON 1.0 data messages (structures: `structure_writers`).

These serve the standard SDMX REST endpoint that lets third-party tools (rsdmx, sdmx1, Excel
add-ins) read any configured source through Jupyter.
"""

from __future__ import annotations

import io
import json
import math
import uuid
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dataops.sdmx.model import Dataflow, Structure

SENDER = "DATAOPS"


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns decoded to strings, NaN observation values as nulls."""
    columns = []
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_dictionary(col.type):
            col = pc.cast(col, pa.string())
        if name == "OBS_VALUE" and pa.types.is_floating(col.type):
            col = pc.if_else(pc.is_nan(col), pa.scalar(None, col.type), col)
        columns.append(col)
    return pa.table(columns, names=table.column_names)


def write_csv_10(table: pa.Table, dataflow: Dataflow) -> bytes:
    """SDMX-CSV 1.0: a ``DATAFLOW`` column (``AGENCY:ID(VERSION)``), then the table's columns."""
    plain = _plain(table)
    ref = f"{dataflow.agency}:{dataflow.id}({dataflow.version})"
    plain = plain.add_column(0, "DATAFLOW", pa.array([ref] * plain.num_rows, pa.string()))
    out = io.BytesIO()
    pacsv.write_csv(plain, out, pacsv.WriteOptions(quoting_style="needed", quoting_header="none"))
    return out.getvalue()


def write_csv_20(table: pa.Table, dataflow: Dataflow) -> bytes:
    """SDMX-CSV 2.0: ``STRUCTURE`` (``dataflow``), ``STRUCTURE_ID`` and ``ACTION`` (``I``), then the columns."""
    plain = _plain(table)
    ref = f"{dataflow.agency}:{dataflow.id}({dataflow.version})"
    for position, (name, value) in enumerate(
        (("STRUCTURE", "dataflow"), ("STRUCTURE_ID", ref), ("ACTION", "I"))
    ):
        plain = plain.add_column(position, name, pa.array([value] * plain.num_rows, pa.string()))
    out = io.BytesIO()
    pacsv.write_csv(plain, out, pacsv.WriteOptions(quoting_style="needed", quoting_header="none"))
    return out.getvalue()


def write_json_10(table: pa.Table, dataflow: Dataflow, structure: Structure) -> bytes:
    """SDMX-JSON 1.0 data message, series-wise (dimension at observation: the time dimension)."""
    plain = _plain(table)
    names = set(plain.column_names)
    dims = [d for d in structure.dimensions if d.id in names]
    time_dim = structure.time_dimension or "TIME_PERIOD"
    levels = {a.id: a.level for a in structure.attributes}
    known = {d.id for d in dims} | {time_dim, "OBS_VALUE"}
    extra = [c for c in plain.column_names if c not in known]
    series_attrs = [c for c in extra if levels.get(c) in ("series", "group", "dataset")]
    obs_attrs = [c for c in extra if c not in series_attrs]
    cols = {c: plain.column(c).to_pylist() for c in plain.column_names}

    def values_of(column: str) -> list[str]:
        return list(dict.fromkeys(v for v in cols[column] if v is not None))

    dim_values = {d.id: values_of(d.id) for d in dims}
    periods = values_of(time_dim) if time_dim in cols else []
    attr_values = {a: values_of(a) for a in extra}
    index = {c: {v: i for i, v in enumerate(vals)} for c, vals in {**dim_values, **attr_values}.items()}
    period_index = {v: i for i, v in enumerate(periods)}

    series: dict[str, dict[str, Any]] = {}
    for row in range(plain.num_rows):
        key = ":".join(str(index[d.id][cols[d.id][row]]) for d in dims)
        entry = series.get(key)
        if entry is None:
            entry = {"attributes": [_idx(index[a], cols[a][row]) for a in series_attrs], "observations": {}}
            series[key] = entry
        value = cols["OBS_VALUE"][row] if "OBS_VALUE" in cols else None
        if isinstance(value, float) and math.isnan(value):
            value = None
        obs = [value, *(_idx(index[a], cols[a][row]) for a in obs_attrs)]
        entry["observations"][str(period_index.get(cols[time_dim][row], 0) if periods else 0)] = obs

    names_by_id = {d.id: d.name for d in structure.dimensions}
    attr_names = {a.id: a.name for a in structure.attributes}
    message = {
        "header": message_header(),
        "dataSets": [{"action": "Information", "series": series}],
        "structure": {
            "name": dataflow.name,
            "dimensions": {
                "series": [
                    {
                        "id": d.id,
                        "name": names_by_id.get(d.id, d.id),
                        "keyPosition": i,
                        "values": [_code(d, v) for v in dim_values[d.id]],
                    }
                    for i, d in enumerate(dims)
                ],
                "observation": [
                    {
                        "id": time_dim,
                        "name": "Time period",
                        "role": "time",
                        "values": [{"id": p} for p in periods],
                    }
                ],
            },
            "attributes": {
                "dataSet": [],
                "series": [
                    {"id": a, "name": attr_names.get(a, a), "values": [{"id": v} for v in attr_values[a]]}
                    for a in series_attrs
                ],
                "observation": [
                    {"id": a, "name": attr_names.get(a, a), "values": [{"id": v} for v in attr_values[a]]}
                    for a in obs_attrs
                ],
            },
        },
    }
    return json.dumps(message, separators=(",", ":")).encode()


def _idx(index: dict[str, int], value: Any) -> int | None:
    return None if value is None else index[value]


def _code(dim: Any, code: str) -> dict[str, str]:
    names = (
        dict(zip(dim.codes["id"].astype(str), dim.codes["name"].astype(str), strict=False))
        if len(dim.codes)
        else {}
    )
    return {"id": code, "name": names.get(code, code)}


def message_header() -> dict[str, Any]:
    """A fresh message header (id, test flag, time prepared, sender), as every written message carries."""
    return {
        "id": f"IREF{uuid.uuid4().hex[:12]}",
        "test": False,
        "prepared": datetime.now(UTC).isoformat(timespec="seconds"),
        "sender": {"id": SENDER},
    }
