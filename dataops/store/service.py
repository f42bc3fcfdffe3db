"""What the notebook API, the CLI and the server share: store calls on the merged `Config`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from dataops.config import Config
from dataops.errors import InvalidInput
from dataops.sdmx.sources import Source, list_sources
from dataops.store import history, writing
from dataops.store.catalog import guarded
from dataops.store.tables import Store
from dataops.store.vintages import Vintage, list_vintages, parse_instant


def write(config: Config, source: str | Source, flow: str, data: Any, **options: Any) -> writing.WriteResult:
    """Validate and commit ``data`` to ``flow`` of the store ``source`` (see `writing.write`)."""
    return writing.write(Store.open(config, source), flow, data, **options)


def vintages(config: Config, source: str | Source, flow: str) -> list[Vintage]:
    """The dataflow's vintages, oldest first (none when nothing was written yet)."""
    store = Store.open(config, source)
    dataflow, _ = store.flow(flow)
    table = store.table(dataflow)
    return list_vintages(table) if table is not None else []


def revisions(
    config: Config,
    source: str | Source,
    flow: str,
    key: object,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """The revision triangle (see `history.revisions`)."""
    return history.revisions(Store.open(config, source), flow, key, start, end)


def diff(config: Config, source: str | Source, flow: str, a: object, b: object = None) -> pd.DataFrame:
    """Observations added, changed and removed between two vintages (see `history.diff`)."""
    return history.diff(Store.open(config, source), flow, a, b)


def store_sources(config: Config) -> list[Source]:
    """The configured sources of kind ``store``."""
    return [s for s in list_sources(config) if s.api == "store"]


def expire(config: Config, older_than: str, source: str | None = None) -> list[tuple[str, int]]:
    """Expire the snapshots committed before ``older_than`` (a date or ISO time) in every dataflow
    of the store sources (or of ``source``), keeping each tagged vintage and the latest one.
    Returns (dataflow, snapshots expired) pairs."""
    moment = parse_instant(older_than) if isinstance(older_than, str) else None
    if moment is None:
        raise InvalidInput(f"--older-than takes a date or an ISO 8601 time, not {older_than!r}.")
    picked = [Store.open(config, s) for s in ([source] if source else store_sources(config))]
    if not picked:
        raise InvalidInput("No store source is configured: add a [[sources]] entry with api = 'store'.")
    out = []
    for store in picked:
        for dataflow in store.structures.dataflows():
            table = store.table(dataflow)
            if table is None:
                continue
            out.append((f"{store.source.id}:{dataflow.agency}:{dataflow.id}", _expire(store, table, moment)))
    return out


def _expire(store: Store, table: Any, moment: datetime) -> int:
    before = len(table.metadata.snapshots)

    def run() -> int:
        table.maintenance.expire_snapshots().older_than(moment).commit()
        return before - len(table.refresh().metadata.snapshots)

    return guarded(store.config, run)
