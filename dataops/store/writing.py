"""``dataops.write``: validated observations committed to a dataflow's table as one new vintage.

Actions follow SDMX: ``merge`` (insert or update observations), ``replace`` (the series present
are replaced whole) and ``delete`` (the observations given, or whole series where the time period
is empty). A message's own actions (SDMX-CSV 2.0 ``ACTION`` column, a dataset's action) apply per
row. Everything is checked before anything is written; the commit is atomic. When another writer
committed first, the write is computed again on the new state and retried, so no write is lost.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import Conflict, InvalidInput
from dataops.sdmx.model import Dataflow, Structure
from dataops.store.catalog import guarded
from dataops.store.datafiles import ordered, write_files
from dataops.store.layout import SERIES_KEY, dimension_ids, in_series, time_column, to_store
from dataops.store.origin import summary
from dataops.store.tables import Store
from dataops.store.validation import ACTION, check_shape, validate
from dataops.store.vintages import check_tag_free, list_vintages

ACTIONS = ("merge", "replace", "delete")
# SDMX action codes (SDMX-CSV 2.0 ``ACTION``, SDMX-ML/JSON dataset actions) → store actions.
SDMX_ACTIONS = {
    "i": "merge", "a": "merge", "information": "merge", "append": "merge", "merge": "merge",
    "r": "replace", "replace": "replace", "d": "delete", "delete": "delete",
}  # fmt: skip


@dataclass(frozen=True)
class WriteResult:
    """What one write did: the vintage it made and how many observations and series it carried."""

    source: str
    flow: str
    snapshot_id: int | None
    committed_at: str | None
    vintage: str | None
    rows: int
    series: int
    attempts: int

    def to_json(self) -> dict[str, Any]:
        """The result as JSON (``snapshot_id`` as text)."""
        out = dict(self.__dict__)
        out["snapshot_id"] = None if self.snapshot_id is None else str(self.snapshot_id)
        return out


def incoming(data: Any, structure: Structure) -> tuple[pa.Table, str | None]:
    """``data`` as an Arrow table with the message's own dataset action, if it had one."""
    if isinstance(data, pd.DataFrame):
        return pa.Table.from_pandas(data, preserve_index=False), None
    if isinstance(data, pa.Table):
        return data, None
    if isinstance(data, str | os.PathLike | bytes):
        from dataops.sdmx.readers import read_data, table_metadata

        table = read_data(Path(data) if isinstance(data, str) else data, structure)
        actions = table_metadata(table).get("actions") or []
        named = {SDMX_ACTIONS.get(str(a).lower()) for a in actions} - {None}
        return table, named.pop() if len(named) == 1 else None
    raise InvalidInput(
        f"dataops.write takes a DataFrame in the shape dataops.read returns, an Arrow table, or an SDMX "
        f"data message (path or bytes), not {type(data).__name__}."
    )


def row_actions(table: pa.Table, default: str, what: str) -> pa.Array:
    """Each row's action: its ``ACTION`` value where the data has one, else ``default``."""
    if ACTION not in table.column_names:
        # One action for every row: a one-entry dictionary, not a million copies of the word.
        indices = pa.array(np.zeros(table.num_rows, dtype=np.int8))
        return pa.DictionaryArray.from_arrays(indices, pa.array([default], pa.string()))
    codes = pc.utf8_lower(pc.cast(table.column(ACTION), pa.string())).combine_chunks()
    mapped = []
    for row, code in enumerate(codes.to_pylist()):
        if code in (None, ""):
            mapped.append(default)
        elif code in SDMX_ACTIONS:
            mapped.append(SDMX_ACTIONS[code])
        else:
            raise InvalidInput(
                f"Row {row} of the data for {what} has ACTION {code!r}; SDMX actions are I, A, R, D."
            )
    return pa.array(mapped, pa.string())


def write(
    store: Store,
    flow: str,
    data: Any,
    *,
    action: str = "merge",
    vintage: str | None = None,
    message: str = "",
) -> WriteResult:
    """Validate ``data`` against the dataflow's structure, then commit it as one vintage (tagged
    ``vintage`` when given). Nothing is written when a check fails; a write that keeps losing the
    race with other writers ends in `Conflict`, with nothing written."""
    if action not in ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(ACTIONS)}, not {action!r}.")
    dataflow, structure = store.flow(flow)
    what = store.describe(dataflow)
    table, message_action = incoming(data, structure)
    if message_action and action == "merge":
        action = message_action
    table = encoded(table, structure)
    actions = row_actions(table, action, what)
    deleting = pc.equal(actions, "delete")
    check_shape(table, structure, needs_values=not pc.all(deleting).as_py(), what=what)
    validate(table, structure, deleting, what, store.structures.allowed(dataflow))
    given = table.drop_columns([ACTION]) if ACTION in table.column_names else table
    rows = to_store(given, structure, sort=False).append_column(_ACTION, actions)
    keys = pc.unique(rows.column(SERIES_KEY))
    write_id = uuid.uuid4().hex
    props = summary(write_id, message, action, rows.num_rows, len(keys))
    retries = store.config.commit_retries
    for attempt in range(1, retries + 1):
        iceberg = store.table_for_writing(dataflow, structure)
        if vintage is not None:
            check_tag_free(iceberg, vintage, what)
        try:
            committed = _commit(store, iceberg, structure, rows, keys, props, vintage)
        except Exception as exc:
            if not _lost_race(exc):
                raise
            # Another writer committed first: wait a little, then compute the write again on its result.
            time.sleep(0.05 * attempt + (uuid.uuid4().int % 100) / 1000)
            continue
        return _result(store, dataflow, committed, vintage, rows.num_rows, len(keys), attempt)
    raise Conflict(
        f"{what} was changed by other writers {retries} times while this write was being committed; "
        "nothing was written. Write again."
    )


_ACTION = "__action"


def encoded(table: pa.Table, structure: Structure) -> pa.Table:
    """``table`` with its key columns (dimensions, time period) as dictionaries of text: the checks
    and the series keys then work on each column's few distinct values instead of every row."""
    for name in (*dimension_ids(structure), time_column(structure)):
        if name in table.column_names and pa.types.is_string(table.schema.field(name).type):
            index = table.column_names.index(name)
            table = table.set_column(index, name, pc.dictionary_encode(table.column(name)))
    return table


def _lost_race(exc: Exception) -> bool:
    """True for a commit refused because another writer committed first (or held the lock)."""
    from pyiceberg.exceptions import CommitFailedException

    if isinstance(exc, CommitFailedException):
        return True
    return type(exc).__name__ == "OperationalError" and "locked" in str(exc)


def _commit(
    store: Store,
    iceberg: Any,
    structure: Structure,
    rows: pa.Table,
    keys: pa.Array,
    props: dict,
    vintage: str | None,
) -> Any:
    """One attempt: the new content of the series touched, committed over the current snapshot."""
    from pyiceberg.table.update.snapshot import ManageSnapshots

    first = iceberg.current_snapshot() is None
    if first:
        new = _merged(rows.schema.remove(rows.schema.get_field_index(_ACTION)).empty_table(), rows, structure)
    else:
        existing = guarded(
            store.config,
            lambda: iceberg.scan(row_filter=in_series(keys.to_pylist())).to_arrow(),
        )
        new = _merged(existing, rows, structure)
        # Series not stored yet: an append (an overwrite would first delete nothing).
        first = existing.num_rows == 0

    def run() -> Any:
        with iceberg.transaction() as txn:
            files = write_files(iceberg, new)
            if files is None:  # a table laid out by another engine: pyiceberg splits the rows
                if first:
                    txn.append(new, snapshot_properties=props)
                else:
                    txn.overwrite(
                        new, overwrite_filter=in_series(keys.to_pylist()), snapshot_properties=props
                    )
            else:
                if not first:
                    txn.delete(in_series(keys.to_pylist()), snapshot_properties=props)
                with txn.update_snapshot(snapshot_properties=props).fast_append() as append:
                    for data_file in files:
                        append.append_data_file(data_file)
            if vintage is not None:
                ManageSnapshots(txn).create_tag(txn.table_metadata.current_snapshot_id, vintage).commit()
        return iceberg

    return guarded(store.config, run, passthrough=_lost_race)


def _merged(existing: pa.Table, rows: pa.Table, structure: Structure) -> pa.Table:
    """The new content of the series ``rows`` touch: ``existing`` with the rows' actions applied."""
    time_col = time_column(structure)
    act = rows.column(_ACTION)
    given = rows.drop_columns([_ACTION])
    if existing.num_rows == 0:  # nothing to merge with (a new dataflow's or new series' first write)
        if pc.all(pc.equal(act, "merge")).as_py():
            return ordered(given, structure)
        return ordered(given.filter(pc.not_equal(act, "delete")), structure)
    existing = existing.select(given.column_names).cast(given.schema)
    replace = given.filter(pc.equal(act, "replace"))
    merge = given.filter(pc.equal(act, "merge"))
    delete = given.filter(pc.equal(act, "delete"))
    whole = pc.is_null(delete.column(time_col))
    dropped_series = pa.concat_arrays(
        [
            replace.column(SERIES_KEY).combine_chunks(),
            delete.filter(whole).column(SERIES_KEY).combine_chunks(),
        ]
    )
    kept = existing
    if len(dropped_series):
        kept = kept.filter(pc.invert(pc.is_in(kept.column(SERIES_KEY), value_set=dropped_series)))
    gone = pa.concat_tables(
        [merge.select([SERIES_KEY, time_col]), delete.filter(pc.invert(whole)).select([SERIES_KEY, time_col])]
    )
    if gone.num_rows and kept.num_rows:
        kept = kept.join(gone, keys=[SERIES_KEY, time_col], join_type="left anti").select(given.column_names)
    return ordered(pa.concat_tables([kept, replace, merge]), structure)


def _result(
    store: Store,
    dataflow: Dataflow,
    iceberg: Any,
    vintage: str | None,
    rows: int,
    series: int,
    attempts: int,
) -> WriteResult:
    mine = [v for v in list_vintages(iceberg) if v.snapshot_id == iceberg.metadata.current_snapshot_id]
    latest = mine[-1] if mine else None
    return WriteResult(
        store.source.id,
        f"{dataflow.agency}:{dataflow.id}({dataflow.version})",
        latest.snapshot_id if latest else None,
        latest.committed_at if latest else None,
        vintage,
        rows,
        series,
        attempts,
    )
