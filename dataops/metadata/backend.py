"""A ``metadata`` source: the registry of a folder answering structure questions like a provider.

Configured as ``[[sources]] api = "metadata"`` with ``url`` the folder (a checkout of an
environment's deployment branch), it lists every version of every dataflow and resolves each to
its structure, so the Data panel, ``dataops.read`` and the SDMX REST endpoint serve the
organisation's own structures. It holds no data: the store does.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from dataops.errors import NoData
from dataops.metadata.artefacts import Artefact
from dataops.metadata.registry import METADATA_DIR, Registry
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.memo import STRUCTURES, StructureMemo
from dataops.sdmx.model import Dataflow, Structure
from dataops.sdmx.query import DataQuery, FlowRef
from dataops.sdmx.sources import Source


class MetadataBackend:
    """The registry under a ``metadata`` source's folder, re-read when a file under ``metadata/`` changes."""

    def __init__(self, source: Source, memo: StructureMemo | None = None) -> None:
        self.source = source
        self.folder = source.folder
        memo = memo if memo is not None else STRUCTURES
        root = self.folder / METADATA_DIR
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        fingerprint = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
        self.registry: Registry = memo.recall(
            ("metadata", str(self.folder.resolve())), fingerprint, self._open
        )

    def _open(self) -> Registry:
        return Registry.open(self.folder)

    def __enter__(self) -> MetadataBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release; present so every back end is used alike."""

    def artefacts(self, kind: str) -> list[Artefact]:
        """Every version of every artefact of ``kind`` (e.g. ``dataconstraint``)."""
        return self.registry.artefacts(kind)

    def dataflows(self) -> list[Dataflow]:
        """Every version of every dataflow in the registry."""
        return self.registry.dataflows()

    def structure(self, flow: FlowRef | str) -> tuple[Dataflow, Structure]:
        """The dataflow (the version named, else the latest) and its structure, references resolved."""
        return self.registry.structure_for(flow)

    def data_url(self, query: DataQuery, structure: Structure | None = None) -> str:
        """The folder, for provenance."""
        return Path(self.folder).as_uri()

    def data(self, query: DataQuery, structure: Structure | None = None) -> NoReturn:
        """Always `NoData`: the registry holds structures, not observations."""
        raise NoData(
            f"The source {self.source.id} is a metadata registry ({self.folder}); it holds structures, not data."
        )

    def availability(self, flow: FlowRef | str, key: SeriesKey) -> NoReturn:
        """Always `NoData`, as `data`."""
        raise NoData(
            f"The source {self.source.id} is a metadata registry ({self.folder}); it holds structures, not data."
        )
