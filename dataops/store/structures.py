"""The structures of a store source's dataflows: the one seam through which they reach the store.

They come from the structure message (or folder of structure messages) a ``store`` source names
in ``structures``, or from the metadata registry of the environment the source belongs to, named
in ``metadata`` (a deployment checkout, or a git repository read at ``metadata_revision``): then
the allowed constraints in force there (`dataops.metadata.constraints.Allowed`) bind every write
too. Parsed messages and registries are remembered until a file (or the branch) changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dataops.errors import ConfigError, NotFound, UnknownDataflow
from dataops.sdmx.memo import STRUCTURES
from dataops.sdmx.model import Dataflow, Structure, StructureMessage
from dataops.sdmx.query import FlowRef
from dataops.sdmx.sources import Source

if TYPE_CHECKING:
    from dataops.metadata.constraints import Allowed
    from dataops.metadata.registry import Registry

SUFFIXES = (".xml", ".json")


def store_structures(source: Source) -> StoreStructures | RegistryStructures:
    """The structures of a store source: its environment's metadata registry when it names one
    (``metadata``), else its structure messages (``structures``)."""
    if source.metadata and source.structures:
        raise ConfigError(
            f"The store source {source.id} names both structures and metadata: its structures come "
            "from one place, so keep one of them."
        )
    return RegistryStructures(source) if source.metadata else StoreStructures(source)


class StoreStructures:
    """The dataflows and data structure definitions a store source serves."""

    def __init__(self, source: Source) -> None:
        if not source.structures:
            raise ConfigError(
                f"The store source {source.id} names no structures: set structures = "
                "'<structure message or folder>' in its [[sources]] entry."
            )
        self.source = source
        self.path = Path(source.structures).expanduser()
        if not self.path.exists():
            raise NotFound(f"The structures {self.path} of the store source {source.id} do not exist.")

    def message(self) -> StructureMessage:
        """Every dataflow, structure and codelist of the configured messages."""
        paths = (
            sorted(p for p in self.path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if self.path.is_dir()
            else [self.path]
        )
        fingerprint = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
        return STRUCTURES.recall(("store", str(self.path.resolve())), fingerprint, lambda: _read(paths))

    def dataflows(self) -> list[Dataflow]:
        """The dataflows the store serves."""
        return list(self.message().dataflows)

    def structure(self, flow: FlowRef | str) -> tuple[Dataflow, Structure]:
        """A dataflow and its DSD, or `UnknownDataflow` naming the source and what it has."""
        flow = FlowRef.parse(flow) if isinstance(flow, str) else flow
        message = self.message()
        for dataflow in message.dataflows:
            if dataflow.id == flow.id and (not flow.agency or flow.agency in ("all", dataflow.agency)):
                for dsd in message.structures:
                    if dsd.id == dataflow.structure_id:
                        return dataflow, dsd
                raise NotFound(
                    f"Dataflow {dataflow.id} of the store source {self.source.id} uses structure "
                    f"{dataflow.structure_id}, which {self.path} does not define."
                )
        known = ", ".join(f.id for f in message.dataflows) or "none"
        raise UnknownDataflow(
            f"The store source {self.source.id} has no dataflow {flow.id!r} (it has: {known})."
        )

    def allowed(self, dataflow: Dataflow) -> Allowed | None:
        """No constraints: structure messages carry none the store applies."""
        return None


class RegistryStructures:
    """The dataflows, structures and allowed constraints of the metadata registry a store source
    names: a checkout read as it is on disk, or a git repository at ``metadata_revision``."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.path = Path(source.metadata).expanduser()
        if not self.path.is_dir():
            raise NotFound(f"The metadata {self.path} of the store source {source.id} does not exist.")

    def registry(self) -> Registry:
        """The registry as it is now (a file or the branch changed: read again)."""
        from dataops.metadata.registry import METADATA_DIR, Registry

        if self.source.metadata_revision:
            return Registry.at_revision(self.path, self.source.metadata_revision)
        root = self.path / METADATA_DIR
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        fingerprint = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
        return STRUCTURES.recall(
            ("store-metadata", str(self.path.resolve())), fingerprint, lambda: Registry.open(self.path)
        )

    def dataflows(self) -> list[Dataflow]:
        """The latest version of each dataflow of the registry (a table holds every version's data)."""
        latest = {(f.agency, f.id): f for f in self.registry().dataflows()}  # oldest first: last stays
        return list(latest.values())

    def structure(self, flow: FlowRef | str) -> tuple[Dataflow, Structure]:
        """A dataflow (the version named, else the latest) and its DSD, every reference resolved;
        `UnknownDataflow` naming the source and what it has."""
        try:
            return self.registry().structure_for(flow)
        except UnknownDataflow:
            flow_id = flow.id if isinstance(flow, FlowRef) else FlowRef.parse(flow).id
            known = ", ".join(sorted({f.id for f in self.dataflows()})) or "none"
            raise UnknownDataflow(
                f"The store source {self.source.id} has no dataflow {flow_id!r} in its metadata "
                f"{self._where()} (it has: {known})."
            ) from None

    def allowed(self, dataflow: Dataflow) -> Allowed:
        """The codes the allowed constraints in force today let ``dataflow`` hold."""
        return self.registry().allowed(f"{dataflow.agency}:{dataflow.id}({dataflow.version})")

    def _where(self) -> str:
        rev = self.source.metadata_revision
        return f"{self.path}@{rev}" if rev else str(self.path)


def _read(paths: list[Path]) -> StructureMessage:
    from dataops.sdmx.readers import read_structure

    merged = StructureMessage()
    for path in paths:
        message = read_structure(path)
        merged.dataflows.extend(message.dataflows)
        merged.structures.extend(message.structures)
        merged.codelists.update(message.codelists)
    used = {f.structure_id for f in merged.dataflows}
    for dsd in merged.structures:
        if dsd.id not in used:
            # A structure no dataflow uses is offered as a dataflow of the same id, as files sources do.
            merged.dataflows.append(
                Dataflow(dsd.id, dsd.agency, dsd.version, dsd.name, dsd.id, dsd.agency, dsd.version)
            )
    return merged
