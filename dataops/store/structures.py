"""The structures of a store source's dataflows: the one seam through which they reach the store.

Today they come from the structure message (or folder of structure messages) a ``store`` source
names in ``structures``; metadata kept as code will supply them through this module later.
Parsed messages are remembered (`dataops.sdmx.memo`) until a file changes.
"""

from __future__ import annotations

from pathlib import Path

from dataops.errors import ConfigError, NotFound, UnknownDataflow
from dataops.sdmx.memo import STRUCTURES
from dataops.sdmx.model import Dataflow, Structure, StructureMessage
from dataops.sdmx.query import FlowRef
from dataops.sdmx.sources import Source

SUFFIXES = (".xml", ".json")


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
