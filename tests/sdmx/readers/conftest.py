"""Fixtures for the SDMX reader tests: the shared sample folder and the observation scanner to use."""

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
def obs_scanner(request) -> str:
    """Run a test once with the compiled observation scanner and once with the pyarrow one: the
    read engine to pass (``read_data(..., engine=obs_scanner)``, ``ss_message.read``)."""
    from dataops.sdmx.readers.native_columns import native_installed

    if request.param == "native":
        assert native_installed(), (
            "dataops_native is not installed: run `make native-wheel` and install the wheel"
        )
    return request.param
