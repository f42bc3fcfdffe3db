"""Fixtures of the workflow tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workflows.log_backends import BACKENDS, fresh_location


@pytest.fixture(params=BACKENDS)
def store_at(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where an empty run log store is, once per backend: a folder (SQLite) or a connection string."""
    return fresh_location(request.param, request, tmp_path)
