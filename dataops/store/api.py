"""The notebook API of the store: ``dataops.write``, ``vintages``, ``revisions`` and ``diff``.

Reading a vintage is ``dataops.read(source, flow, key, as_of=...)``. Each call reads the
configuration afresh, as the other notebook functions do.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dataops.settings import resolve
from dataops.store import service
from dataops.store.writing import WriteResult

VINTAGE_COLUMNS = [
    "snapshot_id", "committed_at", "tags", "who", "message", "action", "origin", "rows_written", "total_rows",
]  # fmt: skip


def write(
    source: str,
    flow: str,
    data: Any,
    *,
    action: str = "merge",
    vintage: str | None = None,
    message: str = "",
) -> WriteResult:
    """Write observations to ``flow`` of the store ``source`` as one new vintage.

    ``data``: a DataFrame (or Arrow table) in the shape `dataops.read` returns, or an SDMX data
    message (path or bytes). ``action``: ``merge`` (insert or update), ``replace`` (the series
    present, whole) or ``delete`` (the observations given; whole series where the time period is
    empty); a message's own actions apply per row. Everything is checked against the dataflow's
    structure first: on a broken rule `dataops.errors.InvalidData` names the rows and nothing is
    written. ``vintage`` names (tags) the new version; ``message`` says why it was written.
    """
    return service.write(
        resolve().config, source, flow, data, action=action, vintage=vintage, message=message
    )


def vintages(source: str, flow: str) -> pd.DataFrame:
    """The dataflow's vintages, oldest first: snapshot id, commit time, tags, who, message, action,
    origin (notebook, run and step version, or pipeline), rows written and rows in the table."""
    found = service.vintages(resolve().config, source, flow)
    rows = [{k: v for k, v in vars(x).items() if k in VINTAGE_COLUMNS} for x in found]
    return pd.DataFrame(rows, columns=VINTAGE_COLUMNS)


def revisions(
    source: str, flow: str, key: str | dict[str, Any], *, start: str | None = None, end: str | None = None
) -> pd.DataFrame:
    """The revision triangle of the series ``key`` selects: rows (series key, period), one column per
    vintage in which they changed, values as that vintage had them."""
    return service.revisions(resolve().config, source, flow, key, start, end)


def diff(source: str, flow: str, a: str, b: str | None = None) -> pd.DataFrame:
    """Observations added, changed and removed from vintage ``a`` to vintage ``b`` (default: latest);
    a vintage is a name, a snapshot id or a point in time."""
    return service.diff(resolve().config, source, flow, a, b)
