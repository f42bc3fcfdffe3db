"""Is a source answering right now? Asked through the same transport as every query."""

from __future__ import annotations

import socket

from dataops import __version__
from dataops.config import load_config
from dataops.sdmx.service import source_status


def test_a_source_that_answers_is_reachable_whatever_its_base_url_says(sdmx_config, fake_provider):
    status = source_status(sdmx_config, "LOCAL_ECB")
    assert status.reachable and status.message.startswith("HTTP ") and status.id == "LOCAL_ECB"
    path, headers = fake_provider.requests[-1]
    assert path == "/ecb" and headers["User-Agent"] == f"dataops/{__version__}"  # the transport's


def test_a_source_answering_server_errors_is_asked_again_then_reported_down(sdmx_config, fake_provider):
    status = source_status(sdmx_config, "DOWN")
    assert (status.reachable, status.message) == (False, "HTTP 503")
    assert [p for p, _ in fake_provider.requests] == ["/down"] * 3  # retries = 2, as for queries


def test_a_busy_source_is_asked_again_after_the_pause_it_asks_for(sdmx_config, fake_provider):
    fake_provider.busy_count = 1
    status = source_status(sdmx_config, "BUSY")
    assert status.reachable and status.latency_ms >= 1000
    assert len(fake_provider.requests) == 2


def test_a_source_nobody_answers_for_is_unreachable_with_the_reason(dataops_config, sdmx_config):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    dataops_config.write_text(
        dataops_config.read_text()
        + f'\n[[sources]]\nid = "GONE"\nname = "Gone provider"\nurl = "http://127.0.0.1:{port}/sdmx"\n'
        + 'api = "sdmx-rest-1"\nagency = "ECB"\n'
    )
    status = source_status(load_config(), "GONE")
    assert not status.reachable
    assert status.message.startswith("Gone provider could not be reached (ConnectError")


def test_a_folder_source_is_reachable_when_its_folder_exists(dataops_config, tmp_path):
    folder = tmp_path / "messages"
    dataops_config.write_text(
        f'[[sources]]\nid = "FILES"\nname = "Folder"\napi = "files"\nurl = "{folder}"\n'
    )
    assert source_status(load_config(), "FILES").message == f"The folder {folder} does not exist"
    folder.mkdir()
    found = source_status(load_config(), "FILES")
    assert (found.reachable, found.message) == (True, "Folder found")
