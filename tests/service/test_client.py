"""The user's side's one client of the service: hub mode, and a clear sentence when the service is down."""

from __future__ import annotations

import socket

import pytest

import dataops.workflows as wf
from dataops.errors import NotConfigured, Unreachable
from dataops.service.client import hub_client, hub_mode


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_hub_mode_is_on_only_where_the_service_url_is_set():
    assert hub_mode({"DATAOPS_SERVICE_URL": "http://127.0.0.1:8000/services/dataops/"})
    assert not hub_mode({})
    assert not hub_mode({"DATAOPS_SERVICE_URL": ""})


def test_without_a_service_url_the_client_says_so(monkeypatch):
    monkeypatch.delenv("DATAOPS_SERVICE_URL", raising=False)
    with pytest.raises(NotConfigured, match="DATAOPS_SERVICE_URL is not set"):
        hub_client()


def test_a_service_that_is_down_is_a_sentence_in_python_and_nothing_is_started(monkeypatch):
    url = f"http://127.0.0.1:{_closed_port()}/services/dataops/"
    monkeypatch.setenv("DATAOPS_SERVICE_URL", url)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "a-token")
    with pytest.raises(Unreachable, match=f"the DataOps service at {url} does not answer"):
        wf.start("sdmx_production", env="prod")
    with pytest.raises(Unreachable, match="does not answer"):
        wf.run("some-run", env="dev")
