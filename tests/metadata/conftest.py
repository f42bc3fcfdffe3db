"""A metadata folder built from real structures: ECB's EXR dataflow, DSD, codelists, concepts and its
allowed constraint (``ECB_EXR/1/structure-full.xml``), split into one SDMX-ML 3.0 file per artefact."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataops.metadata import import_message


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
