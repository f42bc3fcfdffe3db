"""Metadata as code: the organisation's SDMX artefacts and process configurations, versioned in git.

``Registry.open(folder)`` reads a deployment checkout's ``metadata/`` and ``processes/``;
``diff(a, b)`` says what changed between two versions of an artefact and which SDMX bump that
needs; ``check(registry)`` lists every broken rule; ``save`` writes an artefact, refusing a version
bump smaller than its change. See docs/metadata.md.
"""

from dataops.metadata.artefacts import (
    Artefact,
    Code,
    Codelist,
    Component,
    Concept,
    ConceptRef,
    ConceptScheme,
    CubeRegion,
    DataConstraint,
    Dataflow,
    DataStructure,
    KeyValue,
    Ref,
)
from dataops.metadata.check import check
from dataops.metadata.constraints import Allowed
from dataops.metadata.processes import ProcessConfig, ProcessConfigs, load_config
from dataops.metadata.registry import Problem, Registry, artefact_path
from dataops.metadata.save import import_message, next_version, proposed_version, save
from dataops.metadata.versioning import Bump, Change, Diff, Version, diff
from dataops.metadata.writer import write_artefact

__all__ = [
    "Allowed",
    "Artefact",
    "Bump",
    "Change",
    "Code",
    "Codelist",
    "Component",
    "Concept",
    "ConceptRef",
    "ConceptScheme",
    "CubeRegion",
    "DataConstraint",
    "DataStructure",
    "Dataflow",
    "Diff",
    "KeyValue",
    "ProcessConfig",
    "ProcessConfigs",
    "Problem",
    "Ref",
    "Registry",
    "Version",
    "artefact_path",
    "check",
    "diff",
    "import_message",
    "load_config",
    "next_version",
    "proposed_version",
    "save",
    "write_artefact",
]
