"""The session's real workflow engine for the server tests: one process shared by every module here.

It reuses `tests.workflows.conftest.EngineServer` (started by scripts/engine.sh); the fixtures
are imported by the test modules that need them.
"""

from __future__ import annotations

import atexit
from collections.abc import Iterator

import pytest

from dataops.workflows.camunda import CamundaEngine
from tests.workflows.conftest import EngineServer, free_port

_shared: dict[str, EngineServer] = {}


@pytest.fixture(scope="session")
def engine_server(tmp_path_factory) -> EngineServer:
    """One engine for all server test modules (started on first use, stopped at exit)."""
    if "server" not in _shared:
        server = EngineServer(port=free_port(), data=tmp_path_factory.mktemp("server-engine-data"))
        server.start()
        atexit.register(server.stop)
        _shared["server"] = server
    return _shared["server"]


@pytest.fixture(scope="session")
def engine_url(engine_server) -> str:
    """The REST root of the shared engine."""
    return engine_server.url


@pytest.fixture(scope="session")
def engine(engine_url) -> Iterator[CamundaEngine]:
    """A blocking client of the shared engine."""
    client = CamundaEngine(engine_url)
    yield client
    client.close()
