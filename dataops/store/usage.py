"""How many stored series use given codes of a dimension: what a metadata change that takes codes
away would affect.

Counted on the latest vintage of the dataflow's table, with the codes pushed down to Iceberg as
the scan's filter and only two columns read (the dimension and ``SERIES_KEY``), so the files of
series that hold none of the codes are skipped by their column statistics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from dataops.config import Config
from dataops.sdmx.sources import list_sources
from dataops.store.catalog import guarded, identifier, open_catalog
from dataops.store.config import StoreConfig
from dataops.store.layout import SERIES_KEY, expression

EXAMPLES = 5  # series keys named per code


@dataclass(frozen=True)
class CodeUse:
    """The stored series that hold one code: how many, and the first few keys (sorted)."""

    series: int
    examples: list[str] = field(default_factory=list)


class SeriesCounter:
    """Counts stored series by code in the store the configuration names (one catalog for every
    ``store`` source), dataflow by dataflow."""

    def __init__(self, config: StoreConfig) -> None:
        self.config = config

    @classmethod
    def from_config(cls, config: Config) -> SeriesCounter | None:
        """The counter of the configured store, or None when no ``store`` source is configured
        (then nothing is stored, and no catalog is opened or created)."""
        if not any(s.api == "store" for s in list_sources(config)):
            return None
        return cls(StoreConfig.from_config(config))

    def count(self, agency: str, flow_id: str, dimension: str, codes: Iterable[str]) -> dict[str, CodeUse]:
        """For each of ``codes`` that stored series of dataflow ``agency:flow_id`` hold in
        ``dimension``, how many series and which (codes no series holds are left out)."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        table = self._table(agency, flow_id)
        if table is None or dimension not in {f.name for f in table.schema().fields}:
            return {}
        rows: pa.Table = guarded(
            self.config,
            lambda: table.scan(
                row_filter=expression("In", dimension, set(wanted)), selected_fields=(dimension, SERIES_KEY)
            ).to_arrow(),
        )
        if rows.num_rows == 0:
            return {}
        pairs = (
            rows.group_by([dimension, SERIES_KEY])
            .aggregate([])
            .sort_by([(dimension, "ascending"), (SERIES_KEY, "ascending")])
        )
        out: dict[str, CodeUse] = {}
        for code in pc.unique(pairs.column(dimension)).to_pylist():
            keys = pairs.filter(pc.equal(pairs.column(dimension), code)).column(SERIES_KEY)
            out[code] = CodeUse(len(keys), keys.slice(0, EXAMPLES).to_pylist())
        return out

    def _table(self, agency: str, flow_id: str) -> Any | None:
        from pyiceberg.exceptions import NoSuchNamespaceError, NoSuchTableError

        def load() -> Any:
            try:
                return open_catalog(self.config).load_table(identifier(agency, flow_id))
            except (NoSuchTableError, NoSuchNamespaceError):
                return None

        return guarded(self.config, load)
