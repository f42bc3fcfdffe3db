"""The store of one ``store`` source: its catalog, its structures, and each dataflow's table."""

from __future__ import annotations

from typing import Any

from dataops.config import Config
from dataops.errors import InvalidInput, NoData
from dataops.sdmx.model import Dataflow, Structure
from dataops.sdmx.query import FlowRef
from dataops.sdmx.sources import Source, get_source
from dataops.store.catalog import guarded, identifier, open_catalog, where
from dataops.store.config import StoreConfig
from dataops.store.layout import DATAFLOW_PROPERTY, STRUCTURE_PROPERTY, iceberg_layout
from dataops.store.structures import store_structures

OWN_PROPERTIES = {
    # pyiceberg would replay a refused commit over the new state by itself; a write here is computed
    # from the rows it read (a merge keeps the series' other observations), so it is computed again.
    "commit.retry.num-retries": "0",
    # Rows are sorted by series: small row groups let a reader skip all but one series' group.
    "write.parquet.row-group-limit": "16384",
    # Each snapshot's summary names the buckets it changed (up to this many), so the history of a
    # series skips the versions that did not touch its bucket without reading their manifests.
    "write.summary.partition-limit": "64",
}


class Store:
    """A ``store`` source opened: structures from its configured messages, tables in the catalog."""

    def __init__(self, source: Source, config: StoreConfig) -> None:
        if source.api != "store":
            raise InvalidInput(
                f"The source {source.id} is a {source.api} source; only store sources are written to "
                "and keep vintages."
            )
        self.source = source
        self.config = config
        self.structures = store_structures(source)
        self._catalog: Any = None

    @classmethod
    def open(cls, config: Config, source: str | Source) -> Store:
        """The store behind ``source`` as the configuration describes it."""
        return cls(get_source(config, source), StoreConfig.from_config(config))

    @property
    def catalog(self) -> Any:
        """The pyiceberg catalog, connected on first use."""
        if self._catalog is None:
            self._catalog = open_catalog(self.config)
        return self._catalog

    def flow(self, flow: FlowRef | str) -> tuple[Dataflow, Structure]:
        """The dataflow and its structure (`UnknownDataflow` when the source does not define it)."""
        return self.structures.structure(flow)

    def describe(self, dataflow: Dataflow) -> str:
        """The dataflow named for a message, with the store source."""
        return f"Dataflow {dataflow.agency}:{dataflow.id} of the store source {self.source.id}"

    def table(self, dataflow: Dataflow) -> Any | None:
        """The dataflow's Iceberg table, or None when nothing was written to it yet."""
        from pyiceberg.exceptions import NoSuchNamespaceError, NoSuchTableError

        ident = identifier(dataflow.agency, dataflow.id)

        def load() -> Any:
            try:
                return self.catalog.load_table(ident)
            except (NoSuchTableError, NoSuchNamespaceError):
                return None

        return guarded(self.config, load)

    def existing_table(self, dataflow: Dataflow) -> Any:
        """The dataflow's table, or `NoData` saying nothing was written to it yet."""
        table = self.table(dataflow)
        if table is None:
            raise NoData(f"{self.describe(dataflow)} holds no data yet: nothing was written to it.")
        return table

    def table_for_writing(self, dataflow: Dataflow, structure: Structure) -> Any:
        """The dataflow's table, created (with its namespace) when this is its first write."""
        from pyiceberg.exceptions import NamespaceAlreadyExistsError, TableAlreadyExistsError

        existing = self.table(dataflow)
        if existing is not None:
            properties = existing.metadata.properties
            if any(properties.get(k) != v for k, v in OWN_PROPERTIES.items()):
                # A table another engine created (or an older one): it gets the same properties.
                update = existing.transaction().set_properties(OWN_PROPERTIES)
                guarded(self.config, update.commit_transaction)
            return existing
        ident = identifier(dataflow.agency, dataflow.id)
        schema, spec, order = iceberg_layout(structure, self.config.buckets)
        properties = {
            STRUCTURE_PROPERTY: f"{structure.agency}:{structure.id}({structure.version})",
            DATAFLOW_PROPERTY: f"{dataflow.agency}:{dataflow.id}({dataflow.version})",
            "format-version": "2",
            **OWN_PROPERTIES,
        }

        def create() -> Any:
            # Two first writers at once: the other's row may land between pyiceberg's check and its
            # insert, which then fails on the catalog's unique key rather than as "already exists".
            try:
                self.catalog.create_namespace(ident[0])
            except NamespaceAlreadyExistsError:
                pass
            except Exception:
                if not self.catalog.namespace_exists(ident[0]):
                    raise
            try:
                return self.catalog.create_table(
                    ident, schema, partition_spec=spec, sort_order=order, properties=properties
                )
            except TableAlreadyExistsError:  # another writer created it first
                return self.catalog.load_table(ident)
            except Exception:
                if not self.catalog.table_exists(ident):
                    raise
                return self.catalog.load_table(ident)

        return guarded(self.config, create)

    def where(self) -> str:
        """The catalog named for a message."""
        return where(self.config)
