"""The store's answers as the Data panel reads them (JSON-ready dicts; the server only serialises).

``vintages``: ``{"source", "flow", "vintages": [vintage...]}``, oldest first. ``revisions``:
``{"source", "flow", "key", "time_dimension", "vintages": [vintage...], "series": [{"series_key",
"periods": [...], "values": [[value per vintage] per period]}]}``, a missing value as null. A vintage
is `dataops.store.vintages.Vintage.to_json`: ``snapshot_id`` (text), ``committed_at``, ``label``,
``tags``, ``who``, ``message``, ``action``, ``origin``, ``rows_written``, ``total_rows``.
"""

from __future__ import annotations

import math
from typing import Any

from dataops.config import Config
from dataops.store import service
from dataops.store.tables import Store


def vintages(config: Config, source: str, flow: str) -> dict[str, Any]:
    """The dataflow's vintages (an empty list when nothing was written yet)."""
    store = Store.open(config, source)
    dataflow, _ = store.flow(flow)
    found = service.vintages(config, source, flow)
    return {
        "source": store.source.id,
        "flow": f"{dataflow.agency}:{dataflow.id}({dataflow.version})",
        "vintages": [v.to_json() for v in found],
    }


def revisions(
    config: Config, source: str, flow: str, key: str, start: str | None = None, end: str | None = None
) -> dict[str, Any]:
    """The revision triangle of the series ``key`` selects, series by series."""
    store = Store.open(config, source)
    dataflow, structure = store.flow(flow)
    triangle = service.revisions(config, source, flow, key, start, end)
    series: list[dict[str, Any]] = []
    for index, row in triangle.iterrows():
        series_key, period = str(index[0]), str(index[1])  # type: ignore[index]
        if not series or series[-1]["series_key"] != series_key:
            series.append({"series_key": series_key, "periods": [], "values": []})
        series[-1]["periods"].append(period)
        series[-1]["values"].append([None if math.isnan(v) else float(v) for v in row.to_numpy()])
    return {
        "source": store.source.id,
        "flow": f"{dataflow.agency}:{dataflow.id}({dataflow.version})",
        "key": key,
        "time_dimension": structure.time_dimension,
        "vintages": triangle.attrs["vintages"],
        "series": series,
    }
