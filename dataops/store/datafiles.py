"""Stored rows laid out into a table's data files: one file per series-key bucket, rows sorted by
series and period, written through pyiceberg's ``write_file`` and committed by the caller.

pyiceberg's own ``append`` hashes every row and filters the whole table once per bucket; here the
bucket is computed once per series (rows of a series are contiguous once sorted) and each bucket's
file is assembled from slices of the sorted rows, so the cost is one pass over the rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.sdmx.model import Structure
from dataops.store.layout import PERIOD_START, SERIES_KEY, sort_rows, time_column


def ordered(table: pa.Table, structure: Structure) -> pa.Table:
    """``table`` sorted by series and period (as `sort_rows`), returned as it is when it already is:
    data read from a source or an SDMX message usually comes sorted, and checking costs far less
    than sorting."""
    if table.num_rows < 2 or _is_sorted(table, structure):
        return table
    return sort_rows(table, structure)


def _is_sorted(table: pa.Table, structure: Structure) -> bool:
    keys = table.column(SERIES_KEY)
    starts = table.column(PERIOD_START)
    periods = table.column(time_column(structure))
    if keys.null_count or starts.null_count or periods.null_count:
        return False  # where nulls sort is `sort_rows`'s business: leave the rare case to it

    def pairs(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
        return column.slice(0, len(column) - 1), column.slice(1)

    key_before, key_after = pairs(keys)
    if not pc.all(pc.less_equal(key_before, key_after)).as_py():
        return False
    start_before, start_after = pairs(starts)
    period_before, period_after = pairs(periods)
    # Within a series: a later period start, or the same start and a period not before.
    fine = pc.or_(
        pc.or_(pc.not_equal(key_before, key_after), pc.less(start_before, start_after)),
        pc.and_(pc.equal(start_before, start_after), pc.less_equal(period_before, period_after)),
    )
    return bool(pc.all(fine).as_py())


def bucket_slices(table: Any, rows: pa.Table) -> dict[int, pa.Table] | None:
    """The sorted ``rows`` grouped by the bucket of their series key under the table's partition spec,
    each group in series order (None when the spec is not the store's one bucket field)."""
    from pyiceberg.transforms import BucketTransform
    from pyiceberg.types import StringType

    spec = table.metadata.spec()
    if len(spec.fields) != 1 or not isinstance(spec.fields[0].transform, BucketTransform):
        return None
    if table.metadata.schema().find_column_name(spec.fields[0].source_id) != SERIES_KEY:
        return None
    keys = rows.column(SERIES_KEY)
    if keys.null_count:
        return None
    if len(keys) == 0:
        return {}
    # Where each series' run starts: the first row, and each row whose key differs from the previous.
    changed = pc.not_equal(keys.slice(0, len(keys) - 1), keys.slice(1))
    starts = np.concatenate(([0], np.flatnonzero(changed.to_numpy(zero_copy_only=False)) + 1))
    ends = np.append(starts[1:], len(keys))
    first_keys = pc.take(keys, pa.array(starts))
    buckets = spec.fields[0].transform.pyarrow_transform(StringType())(
        pc.cast(first_keys, pa.string()).combine_chunks()
    )
    groups: dict[int, list[pa.Table]] = defaultdict(list)
    for bucket, start, end in zip(buckets.to_pylist(), starts.tolist(), ends.tolist(), strict=True):
        groups[bucket].append(rows.slice(start, end - start))
    # One contiguous copy per file: a file written from many small slices pays per slice.
    return {b: pa.concat_tables(parts).combine_chunks() for b, parts in sorted(groups.items())}


def write_files(table: Any, rows: pa.Table) -> list[Any] | None:
    """Write the sorted ``rows`` as the table's data files, one per bucket, and return their
    `DataFile` entries, not yet committed (None for a table partitioned otherwise, e.g. by another
    engine: pyiceberg's own ``append`` lays those out)."""
    from pyiceberg.io.pyarrow import pyarrow_to_schema, write_file
    from pyiceberg.partitioning import PartitionFieldValue, PartitionKey
    from pyiceberg.table import WriteTask

    groups = bucket_slices(table, rows)
    if groups is None:
        return None
    metadata = table.metadata
    spec, schema = metadata.spec(), metadata.schema()
    task_schema = pyarrow_to_schema(
        rows.schema, name_mapping=schema.name_mapping, format_version=metadata.format_version
    )
    write_uuid = uuid.uuid4()
    tasks = (
        WriteTask(
            write_uuid=write_uuid,
            task_id=task_id,
            record_batches=part.to_batches(),
            partition_key=PartitionKey(
                field_values=[PartitionFieldValue(field=spec.fields[0], value=bucket)],
                partition_spec=spec,
                schema=schema,
            ),
            schema=task_schema,
        )
        for task_id, (bucket, part) in enumerate(groups.items())
    )
    return list(write_file(io=table.io, table_metadata=metadata, tasks=tasks))
