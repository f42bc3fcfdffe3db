"""Fixtures for the SDMX reader tests: the shared sample folder and per-file paths."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def samples(shared_dir) -> Path:
    """``../shared/sdmx-samples`` (the tests using it skip with a reason when it is absent)."""
    path = shared_dir / "sdmx-samples"
    if not path.is_dir():
        pytest.skip(f"{path} is absent: the SDMX sample messages are not available here")
    return path


@pytest.fixture(params=["native", "pyarrow"])
def obs_scanner(request, monkeypatch) -> str:
    """Run a test once with the compiled observation scanner and once with the pyarrow one."""
    from dataops.sdmx.readers import ss_native

    if request.param == "native":
        assert ss_native.native_available(), "dataops_native is not installed: run `pip install ./native`"
        monkeypatch.setattr(ss_native, "GATHER", 1)  # every chunk scanned as it comes: boundaries tested
    else:
        monkeypatch.setattr(ss_native, "dataops_native", None)
    return request.param
