"""A second engine reads the store's tables: DuckDB with its Iceberg extension (installed from the
package index as a Python package, so nothing is downloaded at run time) gives the same rows as
``dataops.read`` at the latest vintage and at a tagged one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
import pyarrow as pa

import dataops
from dataops.settings import resolve
from dataops.store.tables import Store
from tests.store.fixtures import frame


def _extension(name: str) -> str:
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    assert spec is not None and spec.submodule_search_locations, f"duckdb-extension-{name} is not installed"
    return str(next(Path(spec.submodule_search_locations[0]).rglob(f"{name}.duckdb_extension")))


def _duckdb() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")  # never a download
    for name in ("avro", "iceberg"):
        con.execute(f"LOAD '{_extension(name)}'")
    return con


def _rows(table: pa.Table) -> list[tuple]:
    columns = ["FREQ", "REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS"]
    picked = table.select(columns).to_pylist()
    return sorted(tuple(str(r[c]) if c != "OBS_VALUE" else r[c] for c in columns) for r in picked)


def test_duckdb_reads_the_same_rows_at_the_latest_and_at_a_tagged_vintage(store_env):
    rows = [
        ("A", area, "GDP", str(year), float(year - 2000))
        for area in ("DE", "FR", "IT")
        for year in range(2018, 2024)
    ]
    dataops.write("STORE", "NA", frame(rows), vintage="2026-11 release")
    dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2020", 99.0), ("A", "ES", "GDP", "2023", 7.0)]))
    dataops.write("STORE", "NA", frame([("A", "IT", "GDP", None, None)]), action="delete")  # type: ignore[list-item]
    store = Store.open(resolve().config, "STORE")
    table = store.table(store.flow("NA")[0])
    tagged = table.metadata.refs["2026-11 release"].snapshot_id
    con = _duckdb()

    latest = con.execute(f"SELECT * FROM iceberg_scan('{table.metadata_location}')").to_arrow_table()
    released = con.execute(
        f"SELECT * FROM iceberg_scan('{table.metadata_location}', snapshot_from_id={tagged})"
    ).to_arrow_table()

    assert _rows(latest) == _rows(dataops.read("STORE", "NA", as_arrow=True))
    assert _rows(released) == _rows(dataops.read("STORE", "NA", as_of="2026-11 release", as_arrow=True))
    assert len(_rows(latest)) == 13 and len(_rows(released)) == 18
