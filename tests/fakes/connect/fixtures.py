"""Pytest fixtures for the Posit Connect fake: import them into a conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.connect.contract import Contract
from tests.fakes.connect.server import ConnectFake

_CONTRACT: Contract | None = None


@pytest.fixture
def connect_contract() -> Contract:
    """The contract (``tests/fakes/connect/contract.yaml``), loaded once."""
    global _CONTRACT
    if _CONTRACT is None:
        _CONTRACT = Contract()
    return _CONTRACT


@pytest.fixture
def connect_fake(connect_contract: Contract) -> Iterator[ConnectFake]:
    """A running fake; the test fails if any request or response broke the contract."""
    fake = ConnectFake(connect_contract)
    yield fake
    fake.stop()
    assert fake.state.violations == [], f"outside Posit Connect's API reference: {fake.state.violations}"
