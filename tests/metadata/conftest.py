"""A metadata folder built from real structures: ECB's EXR dataflow, DSD, codelists, concepts and its
allowed constraint (``ECB_EXR/1/structure-full.xml``), split into one SDMX-ML 3.0 file per artefact."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from dataops.metadata import CubeRegion, KeyValue, Registry, import_message, save


@pytest.fixture
def samples(shared_dir: Path) -> Path:
    """The SDMX sample messages in ``../shared/sdmx-samples``."""
    return shared_dir / "sdmx-samples"


@pytest.fixture
def ecb_folder(samples: Path, tmp_path: Path) -> Path:
    """A working copy whose ``metadata/`` holds ECB EXR's artefacts (version 1.0 each)."""
    folder = tmp_path / "deploy"
    import_message(folder, samples / "ECB_EXR/1/structure-full.xml")
    return folder


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def deployment(ecb_folder):
    """A deployment repository: ``deploy/dev`` with ECB's constraint 1.0, ``deploy/test`` with 2.0.0
    where CURRENCY no longer allows USD."""
    _git(ecb_folder, "init", "-q", "-b", "deploy/dev")
    _git(ecb_folder, "add", "metadata")
    _git(ecb_folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "ECB EXR")
    _git(ecb_folder, "checkout", "-qb", "deploy/test")
    con = Registry.open(ecb_folder).get("dataconstraint", "ECB", "EXR_CONSTRAINTS")
    (region,) = con.regions
    kvs = tuple(
        KeyValue("CURRENCY", tuple(c for c in kv.values if c != "USD")) if kv.id == "CURRENCY" else kv
        for kv in region.key_values
    )
    save(ecb_folder, dataclasses.replace(con, version="2.0.0", regions=(CubeRegion(True, kvs),)))
    _git(ecb_folder, "add", "metadata")
    _git(
        ecb_folder, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "EXR without USD"
    )
    return ecb_folder
