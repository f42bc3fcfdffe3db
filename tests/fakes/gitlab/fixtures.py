"""Pytest fixtures for the GitLab fake: import them into a conftest (``from ...fixtures import *``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.gitlab.server import GitLabFake
from tests.fakes.gitlab.spec import SPEC_PATH, Spec

_SPEC: Spec | None = None


@pytest.fixture
def gitlab_spec(shared_dir: Path) -> Spec:
    """The OpenAPI subset from ``../shared`` (tests using the fake skip with a reason without it)."""
    global _SPEC
    if _SPEC is None:
        _SPEC = Spec(shared_dir / SPEC_PATH.relative_to(SPEC_PATH.parents[1]))
    return _SPEC


@pytest.fixture
def gitlab_fake(tmp_path: Path, gitlab_spec: Spec) -> Iterator[GitLabFake]:
    """A running fake; the test fails if any request or response broke GitLab's contract."""
    fake = GitLabFake(tmp_path / "gitlab", gitlab_spec)
    yield fake
    fake.stop()
    assert fake.state.violations == [], f"outside GitLab's spec: {fake.state.violations}"
