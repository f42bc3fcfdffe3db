"""How a dataflow is laid out in its Iceberg table, and the conversions to and from the read shape.

Columns: the DSD's dimensions, the time period as written in SDMX, ``PERIOD_START`` (the first day
of the period, for range pruning by any engine), ``OBS_VALUE`` (double), the attributes, and
``SERIES_KEY`` (the dimension codes joined by ``.``). The table is partitioned by hash buckets of
``SERIES_KEY`` and each write is sorted by series and period, so one series is read, or revised,
by touching about one bucket's files.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.sdmx.model import Structure
from dataops.sdmx.periods import period_range

SERIES_KEY = "SERIES_KEY"
PERIOD_START = "PERIOD_START"
OBS_VALUE = "OBS_VALUE"
# Table properties recording which structure the table was made for.
STRUCTURE_PROPERTY = "dataops.structure"
DATAFLOW_PROPERTY = "dataops.dataflow"


def time_column(structure: Structure) -> str:
    """The time dimension's id (``TIME_PERIOD`` when the DSD names none)."""
    return structure.time_dimension or "TIME_PERIOD"


def dimension_ids(structure: Structure) -> list[str]:
    """The key dimensions in DSD order."""
    return [d.id for d in sorted(structure.dimensions, key=lambda d: d.position)]


def store_columns(structure: Structure) -> list[str]:
    """Every column of the table, in order."""
    return [
        *dimension_ids(structure),
        time_column(structure),
        PERIOD_START,
        OBS_VALUE,
        *(a.id for a in structure.attributes if a.id not in (OBS_VALUE,)),
        SERIES_KEY,
    ]


def arrow_schema(structure: Structure) -> pa.Schema:
    """The Arrow schema of the table's rows."""
    fields = []
    for name in store_columns(structure):
        if name == PERIOD_START:
            fields.append(pa.field(name, pa.date32()))
        elif name == OBS_VALUE:
            fields.append(pa.field(name, pa.float64()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def iceberg_layout(structure: Structure, buckets: int) -> tuple[Any, Any, Any]:
    """The Iceberg schema, partition spec and sort order of a new table for ``structure``."""
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.table.sorting import SortField, SortOrder
    from pyiceberg.transforms import BucketTransform, IdentityTransform
    from pyiceberg.types import DateType, DoubleType, NestedField, StringType

    types = {PERIOD_START: DateType(), OBS_VALUE: DoubleType()}
    fields = [
        NestedField(i, name, types.get(name, StringType()), required=False)
        for i, name in enumerate(store_columns(structure), start=1)
    ]
    schema = Schema(*fields)
    ids = {f.name: f.field_id for f in fields}
    spec = PartitionSpec(
        PartitionField(ids[SERIES_KEY], 1000, BucketTransform(buckets), "series_bucket"), spec_id=0
    )
    order = SortOrder(
        SortField(ids[SERIES_KEY], IdentityTransform()), SortField(ids[PERIOD_START], IdentityTransform())
    )
    return schema, spec, order


def series_keys(table: pa.Table, structure: Structure) -> pa.Array:
    """Each row's series key (the dimension codes joined by ``.``)."""
    dims = [_encoded(table.column(d)) for d in dimension_ids(structure)]
    if not dims:
        return pa.array([""] * table.num_rows)
    product = 1
    for column in dims:
        product *= max(len(column.dictionary), 1)
    if product >= 2**62:  # the combined codes would overflow: join every row's texts
        joined = pc.binary_join_element_wise(*(pc.cast(c, pa.string()) for c in dims), ".")
        return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined
    # One integer per row for its codes, then the texts joined once per run of equal codes (the
    # rows of a series usually come together), not once per row.
    combined = None
    for column in dims:
        index = column.indices.to_numpy(zero_copy_only=False).astype("int64")
        combined = index if combined is None else combined * len(column.dictionary) + index
    assert combined is not None
    starts = np.empty(len(combined), dtype=bool)
    starts[:1] = True
    np.not_equal(combined[1:], combined[:-1], out=starts[1:])
    position = pa.array(np.cumsum(starts) - 1)
    remaining = combined[starts]
    parts = []
    for column in reversed(dims):
        remaining, index = np.divmod(remaining, len(column.dictionary))
        parts.append(pc.take(column.dictionary, pa.array(index)))
    joined = pc.binary_join_element_wise(*reversed(parts), ".")
    return pc.take(joined, position)


def _encoded(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """The column as one dictionary array of text (nulls as a value of their own)."""
    if not (pa.types.is_dictionary(column.type) and pa.types.is_string(column.type.value_type)):
        column = pc.dictionary_encode(pc.cast(column, pa.string()), null_encoding="encode")
    out = column.unify_dictionaries().combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if out.null_count:  # nulls in the indices: give them a dictionary entry, as the codes do
        out = pc.dictionary_encode(pc.cast(out, pa.string()), null_encoding="encode")
    return out


def period_starts(periods: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The first day of each SDMX period (null where a period is not one)."""
    encoded = _encoded(periods if isinstance(periods, pa.ChunkedArray) else pa.chunked_array([periods]))
    starts = []
    for value in encoded.dictionary.to_pylist():
        found = period_range(value) if value is not None else None
        starts.append(found[0] if found else None)
    return pc.take(pa.array(starts, pa.date32()), encoded.indices)


def to_store(table: pa.Table, structure: Structure, *, sort: bool = True) -> pa.Table:
    """Rows in the read shape (validated) as rows of the store's table, sorted by series and period
    (in the given order with ``sort=False``)."""
    schema = arrow_schema(structure)
    time_col = time_column(structure)
    columns = []
    for f in schema:
        if f.name == SERIES_KEY:
            columns.append(series_keys(table, structure))
        elif f.name == PERIOD_START:
            columns.append(period_starts(table.column(time_col)))
        elif f.name in table.column_names:
            columns.append(pc.cast(table.column(f.name), f.type))
        else:
            columns.append(pa.nulls(table.num_rows, f.type))
    out = pa.Table.from_arrays(columns, schema=schema)
    return sort_rows(out, structure) if sort else out


def sort_rows(table: pa.Table, structure: Structure) -> pa.Table:
    """Stored rows sorted by series and period, as every write lays them out."""
    time_col = time_column(structure)
    return table.sort_by([(SERIES_KEY, "ascending"), (PERIOD_START, "ascending"), (time_col, "ascending")])


def to_read_shape(table: pa.Table, structure: Structure) -> pa.Table:
    """Stored rows as `dataops.read` returns them: dimensions and attributes dictionary-encoded,
    the time period as text, ``OBS_VALUE`` float64, sorted by series and period."""
    if table.num_rows:
        table = table.sort_by([(SERIES_KEY, "ascending"), (PERIOD_START, "ascending")])
    time_col = time_column(structure)
    arrays, names = [], []
    for name in store_columns(structure):
        if name in (SERIES_KEY, PERIOD_START) or name not in table.column_names:
            continue
        column = table.column(name)
        if name not in (time_col, OBS_VALUE):
            column = pc.dictionary_encode(pc.cast(column, pa.string()))
        arrays.append(column)
        names.append(name)
    return pa.Table.from_arrays(arrays, names=names)


def expression(name: str, *args: Any) -> Any:
    """A pyiceberg row filter by name (``"In"``, ``"GreaterThanOrEqual"``...): its classes are
    pydantic models whose generated signatures type checkers misread."""
    import pyiceberg.expressions as expressions

    return getattr(expressions, name)(*args)


def in_series(keys: Any) -> Any:
    """The row filter selecting the series whose keys are listed."""
    return expression("In", SERIES_KEY, set(keys))
