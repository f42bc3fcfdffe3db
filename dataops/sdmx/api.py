"""The notebook API: ``dataops.sources()``, ``dataflows()``, ``structure()``, ``read()``, ``read_file()``...

Each call reads the dataops configuration afresh, so a source added to the TOML file is usable
without restarting the kernel. Data comes back as one row per observation (see `read`).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from dataops.errors import InvalidInput
from dataops.sdmx import service
from dataops.sdmx.model import Structure
from dataops.sdmx.sources import list_sources
from dataops.settings import resolve


def sources() -> pd.DataFrame:
    """Configured sources first, then the public presets: columns id, name, url, api, description."""
    rows = [
        {"id": s.id, "name": s.name, "url": s.url, "api": s.api, "description": s.description}
        for s in list_sources(resolve().config)
    ]
    return pd.DataFrame(rows, columns=["id", "name", "url", "api", "description"])


def dataflows(source: str, search: str | None = None) -> pd.DataFrame:
    """The source's dataflows whose id or name contains ``search``: columns id, agency, version, name."""
    flows = service.dataflows(resolve().config, source, search)
    return pd.DataFrame(
        [{"id": f.id, "agency": f.agency, "version": f.version, "name": f.name} for f in flows],
        columns=["id", "agency", "version", "name"],
    )


def structure(source: str, flow: str) -> Structure:
    """The data structure of a dataflow: ``dimensions`` (DSD order, with codes), ``attributes``..."""
    return service.structure(resolve().config, source, flow)[1]


def read_structure(path: str | os.PathLike | bytes, id: str | None = None) -> Structure:  # noqa: A002
    """The data structure defined in a structure message file (``id`` picks one if there are several)."""
    from dataops.sdmx.readers import read_structure as read_message

    message = read_message(Path(path) if isinstance(path, str) else path)
    # Bytes are the message itself: the sentence names it rather than quoting its bytes.
    where = "The structure message" if isinstance(path, bytes) else str(path)
    found = [s for s in message.structures if id is None or s.id == id]
    if not found:
        have = ", ".join(s.id for s in message.structures) or "none"
        raise InvalidInput(
            f"{where} defines no data structure {id or ''}; it defines: {have}.".replace("  ", " ")
        )
    if len(found) > 1:
        raise InvalidInput(
            f"{where} defines several data structures ({', '.join(s.id for s in found)}); "
            "pass id= to pick one."
        )
    return found[0]


def read(
    source: str,
    flow: str,
    key: str | dict[str, Any] | None = None,
    *,
    start: str | int | None = None,
    end: str | int | None = None,
    last: int | None = None,
    first: int | None = None,
    updated_after: str | None = None,
    series_keys_only: bool = False,
    as_arrow: bool = False,
    as_of: str | datetime | None = None,
) -> pd.DataFrame | pa.Table:
    """Observations of ``flow`` from ``source`` selected by ``key`` and the period bounds.

    ``key`` is REST syntax (``"M.USD+JPY.EUR.SP00.A"``, empty positions are wildcards) or a dict
    ``{dimension: code or [codes]}``. One row per observation: dimensions in DSD order
    (``category``), the time period as in the message, ``OBS_VALUE`` (float64, NaN where missing),
    then attributes. ``df.attrs["sdmx"]`` records source, flow, key, structure, URL and time.
    ``as_of`` (store sources): the vintage to read, by name or point in time (a date or ISO time:
    the last vintage committed by then); without it, the latest.
    """
    fetched = service.fetch(
        resolve().config,
        source,
        flow,
        key,
        start=None if start is None else str(start),
        end=None if end is None else str(end),
        last=last,
        first=first,
        updated_after=updated_after,
        series_keys_only=series_keys_only,
        as_of=as_of,
    )
    provenance = fetched.provenance()
    if as_arrow:
        return _with_provenance(fetched.table, provenance)
    return to_pandas(fetched.table, provenance)


def read_file(
    path: str | os.PathLike,
    structure: str | os.PathLike | Structure | None = None,
    *,
    as_arrow: bool = False,
    engine: str | None = None,
) -> pd.DataFrame | pa.Table:
    """Read any supported SDMX data message (format sniffed); ``structure`` is a DSD or its file.

    ``engine`` (``"native"``, ``"pyarrow"`` or ``"lxml"``) caps the machinery used, the fastest
    installed by default; ``attrs["sdmx"]["read_path"]`` says which read path ran.
    """
    from dataops.sdmx.readers import read_data, table_metadata

    dsd = structure if isinstance(structure, Structure) or structure is None else read_structure(structure)
    table = read_data(Path(path), dsd, engine=engine)
    meta = table_metadata(table)
    provenance = {
        "source": None,
        "file": str(Path(path).resolve()),
        "flow": meta.get("flow") or meta.get("structure_id"),
        "key": None,
        "structure": f"{dsd.agency}:{dsd.id}({dsd.version})" if dsd else meta.get("structure_id"),
        "url": Path(path).resolve().as_uri(),
        "retrieved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": meta.get("format"),
        "read_path": meta.get("read_path"),
        "dimensions": [d.id for d in dsd.dimensions] if dsd else meta.get("dimensions", []),
        "time_dimension": dsd.time_dimension if dsd else meta.get("time_dimension"),
    }
    if as_arrow:
        return _with_provenance(table, provenance)
    return to_pandas(table, provenance)


def to_pandas(table: pa.Table, provenance: dict[str, Any]) -> pd.DataFrame:
    """The long DataFrame: dimension columns as ``category``, ``OBS_VALUE`` float64, ``attrs["sdmx"]``."""
    df = table.to_pandas()
    for dim in provenance.get("dimensions") or []:
        if dim in df.columns and not isinstance(df[dim].dtype, pd.CategoricalDtype):
            df[dim] = df[dim].astype("category")
    if "OBS_VALUE" in df.columns:
        df["OBS_VALUE"] = df["OBS_VALUE"].astype("float64")
    df.attrs["sdmx"] = provenance
    return df


def to_wide(df: pd.DataFrame) -> pd.DataFrame:
    """Periods as rows, one column per series key (``M.USD.EUR.SP00.A``), ``OBS_VALUE`` as values."""
    meta = df.attrs.get("sdmx", {})
    time_dim = meta.get("time_dimension") or "TIME_PERIOD"
    if time_dim not in df.columns or "OBS_VALUE" not in df.columns:
        raise InvalidInput(
            f"to_wide needs the long frame from dataops.read: columns {time_dim} and OBS_VALUE."
        )
    dims = [d for d in meta.get("dimensions") or list(df.columns[: df.columns.get_loc(time_dim)]) if d in df]
    series = df[dims].astype(str).agg(".".join, axis=1) if dims else pd.Series("OBS_VALUE", index=df.index)
    duplicated = pd.Series(list(zip(series, df[time_dim], strict=True))).duplicated()
    if duplicated.any():
        raise InvalidInput("to_wide found several observations for one series and period; filter them first.")
    wide = pd.DataFrame(
        {
            "series": series.to_numpy(),
            "period": df[time_dim].astype(str).to_numpy(),
            "value": df["OBS_VALUE"].to_numpy(),
        }
    )
    out = wide.pivot(index="period", columns="series", values="value").sort_index()
    out.index.name = time_dim
    out.columns.name = "series_key" if not dims else ".".join(dims)
    out.attrs["sdmx"] = meta
    return out


def _with_provenance(table: pa.Table, provenance: dict[str, Any]) -> pa.Table:
    import json

    metadata = dict(table.schema.metadata or {})
    metadata[b"sdmx.provenance"] = json.dumps(provenance).encode()
    return table.replace_schema_metadata(metadata)
