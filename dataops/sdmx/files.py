"""A ``files`` source: a folder of SDMX messages answering the same questions as a REST provider.

Structure messages anywhere in the folder provide the dataflows and DSDs (a DSD that no dataflow
uses is offered as a dataflow of the same id). Data for dataflow ``X`` is every data message whose
file name starts with ``X`` followed by ``.``, ``-`` or ``_``, or that sits in a sub-folder ``X``.
Keys, periods and ``last`` are applied here, after reading, as a provider would.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataops.errors import NoData, NotFound, UnknownDataflow
from dataops.sdmx.availability import Availability
from dataops.sdmx.config import DataConfig
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.memo import STRUCTURES, StructureMemo
from dataops.sdmx.model import Dataflow, Structure, StructureMessage
from dataops.sdmx.periods import PeriodFilter, sort_key
from dataops.sdmx.query import DataQuery, FlowRef
from dataops.sdmx.series_keys import keys_of
from dataops.sdmx.sources import Source
from dataops.sdmx.table_memo import TABLES, TableMemo

SUFFIXES = (".xml", ".json", ".csv", ".gz")


@dataclass
class FileResult:
    """A data answer read from files (same shape as `client.DataResult`)."""

    table: pa.Table
    url: str


class FilesBackend:
    """The folder of one ``files`` source."""

    def __init__(
        self,
        source: Source,
        config: DataConfig | None = None,
        memo: StructureMemo | None = None,
        tables: TableMemo | None = None,
    ) -> None:
        self.source = source
        self.config = config or DataConfig()
        self.memo = memo if memo is not None else STRUCTURES
        self.tables = tables if tables is not None else TABLES
        self.tables.resize(self.config.files_cache_bytes)
        self.folder = source.folder
        if not self.folder.is_dir():
            raise NotFound(f"The folder {self.folder} of data source {source.id} does not exist.")
        self._catalogue: tuple[StructureMessage, list[Path]] | None = None

    def __enter__(self) -> FilesBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release; present so both back ends are used alike."""

    def _scan(self) -> tuple[StructureMessage, list[Path]]:
        if self._catalogue is None:
            # The folder is read again only when a file was added, removed or changed.
            fingerprint = _listing(self.folder)
            paths = [Path(name) for name, _, _ in fingerprint]
            key = ("files", str(self.folder.resolve()), self.config.max_bytes)
            self._catalogue = self.memo.recall(key, fingerprint, lambda: self._read_folder(paths))
        return self._catalogue

    def _read_folder(self, paths: list[Path]) -> tuple[StructureMessage, list[Path]]:
        from dataops.sdmx.readers import read_structure, sniff_format

        merged = StructureMessage()
        data_files: list[Path] = []
        for path in paths:
            with path.open("rb") as fh:
                head = fh.read(64 * 1024)
            if path.suffix == ".gz":
                data_files.append(path)
                continue
            fmt = sniff_format(head, str(path))
            if fmt.is_structure:
                message = read_structure(path, max_bytes=self.config.max_bytes)
                merged.dataflows.extend(message.dataflows)
                merged.structures.extend(message.structures)
                merged.codelists.update(message.codelists)
            else:
                data_files.append(path)
        used = {f.structure_id for f in merged.dataflows}
        for dsd in merged.structures:
            if dsd.id not in used:
                merged.dataflows.append(
                    Dataflow(dsd.id, dsd.agency, dsd.version, dsd.name, dsd.id, dsd.agency, dsd.version)
                )
        return merged, data_files

    def dataflows(self) -> list[Dataflow]:
        """Dataflows described by the folder's structure messages."""
        return list(self._scan()[0].dataflows)

    def structure(self, flow: FlowRef | str) -> tuple[Dataflow, Structure]:
        """The dataflow and its DSD from the folder's structure messages."""
        flow = FlowRef.parse(flow) if isinstance(flow, str) else flow
        message, _ = self._scan()
        for dataflow in message.dataflows:
            if dataflow.id == flow.id and (not flow.agency or flow.agency == dataflow.agency):
                for dsd in message.structures:
                    if dsd.id == dataflow.structure_id:
                        return dataflow, dsd
                raise NotFound(
                    f"Dataflow {dataflow.id} in {self.folder} uses structure {dataflow.structure_id}, "
                    "but no structure message in the folder defines it."
                )
        known = ", ".join(f.id for f in message.dataflows) or "none"
        raise UnknownDataflow(f"The folder {self.folder} has no dataflow {flow.id!r} (it has: {known}).")

    def data_files(self, flow: FlowRef) -> list[Path]:
        """The data messages that belong to a dataflow (by file or sub-folder name)."""
        _, files = self._scan()
        want = flow.id.lower()
        out = []
        for path in files:
            stem = path.name.lower()
            by_name = stem == want or (stem.startswith(want) and stem[len(want)] in ".-_")
            by_folder = path.parent != self.folder and path.parent.name.lower() == want
            if by_name or by_folder:
                out.append(path)
        return out

    def data_url(self, query: DataQuery, structure: Structure | None = None) -> str:
        """A ``file://`` reference to the folder with the query, for provenance."""
        parts = [f"key={query.key}"]
        parts += [
            f"{k}={v}" for k, v in (("start", query.start), ("end", query.end), ("last", query.last)) if v
        ]
        return f"{self.folder.as_uri()}/{query.flow.id}?{'&'.join(parts)}"

    def data(self, query: DataQuery, structure: Structure | None = None) -> FileResult:
        """Read the dataflow's files (or take them from `TableMemo` while unchanged) and keep the
        observations the query selects."""
        from dataops.sdmx.readers import read_data

        if structure is None:
            _, structure = self.structure(query.flow)
        files = self.data_files(query.flow)
        url = self.data_url(query, structure)
        if not files:
            raise NoData(f"The folder {self.folder} holds no data files for {query.flow.id}. Query: {url}")
        limit = self.config.max_bytes
        tables = [
            self.tables.recall(path, structure, limit, partial(read_data, path, structure, max_bytes=limit))
            for path in files
        ]
        table = pa.concat_tables(tables, promote_options="default") if len(tables) > 1 else tables[0]
        table = select(table, structure, query)
        if table.num_rows == 0:
            raise NoData(f"No observation in {self.folder} matches this query. Query: {url}")
        return FileResult(keys_of(table, structure) if query.series_keys_only else table, url)

    def availability(self, flow: FlowRef | str, key: SeriesKey) -> Availability:
        """Codes with data per dimension under ``key``, computed from the files."""
        flow = FlowRef.parse(flow) if isinstance(flow, str) else flow
        _, structure = self.structure(flow)
        result = self.data(DataQuery(flow, key), structure)
        codes = {
            d.id: sorted(str(c) for c in pc.unique(result.table.column(d.id)).to_pylist() if c is not None)
            for d in structure.dimensions
            if d.id in result.table.column_names
        }
        series = _series_ids(result.table, structure).unique()
        return Availability(str(key), codes, len(series), result.table.num_rows, result.url)


def _listing(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """``(path, mtime_ns, size)`` of every message file under ``folder``, sorted by path.

    As ``Path.rglob("*")`` walks (symbolic links to folders are not entered, unreadable folders are
    passed over), but with one ``stat`` per file: the REST endpoint lists the folder on every request.
    """
    found = []
    pending = [str(folder)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir() and not entry.is_symlink():
                        pending.append(entry.path)
                    elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in SUFFIXES:
                        st = entry.stat()
                        found.append((entry.path, st.st_mtime_ns, st.st_size))
        except PermissionError:
            continue
    return tuple(sorted(found, key=lambda f: Path(f[0])))


def select(table: pa.Table, structure: Structure, query: DataQuery) -> pa.Table:
    """Rows of ``table`` matching the query's key, period bounds and ``last``/``first`` per series."""
    key = query.key.expand(structure)
    mask: np.ndarray | None = None
    for dim, codes in zip(structure.dimensions, key.values, strict=False):
        if codes and dim.id in table.column_names:
            cond = _matches(table.column(dim.id), codes)
            mask = cond if mask is None else mask & cond
    time_col = structure.time_dimension
    bounds = PeriodFilter(query.start, query.end)
    if time_col and time_col in table.column_names and bounds.active:
        # Whole periods inside the bounds, compared as dates: 2024-Q1 is inside 2024-01..2024-03.
        periods = _as_strings(table.column(time_col))
        distinct = pc.unique(periods).to_pylist()
        inside = [p for p in distinct if p is not None and bounds.keeps(p)]
        cond = pc.is_in(periods, value_set=pa.array(inside, pa.string())).to_numpy()
        mask = cond if mask is None else mask & cond
    if mask is not None:
        table = table.filter(pa.array(mask, pa.bool_()))
    limit = query.last or query.first
    if limit and time_col is not None and time_col in table.column_names:
        table = _per_series_limit(table, structure, time_col, limit, bool(query.last))
    return table


def _matches(column: pa.ChunkedArray, codes: Sequence[str]) -> np.ndarray:
    """Which rows of ``column`` hold one of ``codes`` (a null holds none), as a numpy mask.

    A dictionary column is matched on its few distinct values, then spread over the rows by their
    indices: the REST endpoint does this per request, where pyarrow's per-call cost dominates.
    """
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else None
    if kind is None or not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return pc.is_in(_as_strings(column), value_set=pa.array(codes, pa.string())).to_numpy()
    wanted = set(codes)
    parts = [np.zeros(0, dtype=bool)]
    for chunk in column.chunks:
        # One more False at the end, so an index filled in for a null (0) is in range even when empty.
        lookup = np.array([v in wanted for v in chunk.dictionary.to_pylist()] + [False], dtype=bool)
        if chunk.null_count:
            hit = lookup[chunk.indices.fill_null(0).to_numpy()]
            hit &= chunk.is_valid().to_numpy(zero_copy_only=False)
        else:
            hit = lookup[chunk.indices.to_numpy()]
        parts.append(hit)
    return np.concatenate(parts)


def _as_strings(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The column as strings for `pc.is_in`: string and dictionary-of-string columns as they are (a
    dictionary is matched on its values without decoding every row; casting costs more than the match)."""
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column
    return pc.cast(column, pa.string())


def _series_ids(table: pa.Table, structure: Structure) -> pa.ChunkedArray:
    dims = [
        pc.cast(table.column(d.id), pa.string()) for d in structure.dimensions if d.id in table.column_names
    ]
    if not dims:
        return pa.chunked_array([pa.array([""] * table.num_rows)])
    return pc.binary_join_element_wise(*dims, ".")


def _per_series_limit(table: pa.Table, structure: Structure, time_col: str, n: int, last: bool) -> pa.Table:
    series = _series_ids(table, structure).to_pylist()
    periods = pc.cast(table.column(time_col), pa.string()).to_pylist()
    by_series: dict[str, list[int]] = {}
    for index, sid in enumerate(series):
        by_series.setdefault(sid, []).append(index)
    keep: list[int] = []
    for rows in by_series.values():
        rows.sort(key=lambda i: sort_key(periods[i]))
        keep.extend(rows[-n:] if last else rows[:n])
    return table.take(pa.array(sorted(keep)))
