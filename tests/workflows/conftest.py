"""The real workflow engine for the workflow tests: built and started once per session by scripts/engine.sh.

It runs on a free port with a fresh H2 database in a temporary folder, so tests never meet runs
of a developer's own engine. The first session on a machine builds the jar (about two minutes
with an empty ~/.m2); later sessions reuse it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from dataops.workflows.camunda import CamundaEngine
from tests.workflows.engine_server import EngineServer, free_port


@pytest.fixture(scope="session")
def engine_server(tmp_path_factory) -> Iterator[EngineServer]:
    """The session's engine process (tests may stop and start it again)."""
    for tool in ("java", "mvn", "curl"):
        if shutil.which(tool) is None:
            pytest.fail(f"The workflow tests need {tool} on PATH to build and run the engine in engine/.")
    server = EngineServer(port=free_port(), data=tmp_path_factory.mktemp("engine-data"))
    url = server.start()
    assert url == server.url
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def engine_url(engine_server) -> str:
    """The REST root of the session's engine (…/engine-rest)."""
    return engine_server.url


@pytest.fixture(scope="session")
def engine(engine_url) -> Iterator[CamundaEngine]:
    """A blocking client of the session's engine."""
    client = CamundaEngine(engine_url)
    yield client
    client.close()
