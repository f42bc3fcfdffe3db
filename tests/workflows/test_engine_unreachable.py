"""An engine that does not answer: the sentence names the command that starts this engine when the
administrator configured one, and never a command that would start a different engine."""

from __future__ import annotations

import socket

import pytest

from dataops.config import Config
from dataops.errors import EngineUnreachable
from dataops.workflows.camunda import CamundaEngine
from dataops.workflows.config import WorkflowsConfig


@pytest.fixture
def silent_url() -> str:
    """An engine URL on a local port nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/engine-rest"


def test_the_configured_start_command_is_named_when_the_engine_does_not_answer(silent_url):
    config = WorkflowsConfig.from_config(
        Config({"workflows": {"engine_url": silent_url, "engine_start": "make engine"}})
    )
    with CamundaEngine.from_config(config) as engine, pytest.raises(EngineUnreachable) as caught:
        engine.definitions()
    assert f"{silent_url} does not answer" in str(caught.value)
    assert "Start it (make engine)" in str(caught.value)


def test_without_a_start_command_no_command_is_suggested(silent_url):
    config = WorkflowsConfig.from_config(Config({"workflows": {"engine_url": silent_url}}))
    with CamundaEngine.from_config(config) as engine, pytest.raises(EngineUnreachable) as caught:
        engine.definitions()
    assert "make engine" not in str(caught.value)
    assert "Ask whoever runs it to start it" in str(caught.value)
