"""Credentials written inside configured URLs (``https://user:password@host``) reach the providers and
the engine, but never the browser, and never the server's log."""

from __future__ import annotations

import json
import logging

import pyarrow as pa
from tornado.httpclient import HTTPClientError

from tests.server.sdmx_fixtures import sdmx_provider  # noqa: F401

SOURCE_PASSWORD = "src-pw-81c2"  # noqa: S105 (a test value)
ENGINE_PASSWORD = "engine-pw-3d7e"  # noqa: S105


def _with_credentials(dataops_config, provider) -> str:
    """Every source of the local provider behind ``feedreader7:<password>@``, and an engine URL with one."""
    text = dataops_config.read_text().replace("://", f"://feedreader7:{SOURCE_PASSWORD}@")
    dataops_config.write_text(
        text + f'\n[workflows]\nengine_url = "http://admin:{ENGINE_PASSWORD}@127.0.0.1:9/engine-rest"\n'
    )
    return provider.url


def _no_credentials(text: str) -> None:
    assert SOURCE_PASSWORD not in text and ENGINE_PASSWORD not in text
    assert "feedreader7" not in text and "admin@" not in text


async def test_the_browser_sees_urls_without_their_user_info(sdmx_provider, dataops_config, jp_fetch):  # noqa: F811
    plain = _with_credentials(dataops_config, sdmx_provider)

    status = (await jp_fetch("dataops", "api", "status")).body.decode()
    _no_credentials(status)
    assert "Workflow engine at http://127.0.0.1:9/engine-rest" in status

    sources = (await jp_fetch("dataops", "api", "sdmx", "sources")).body.decode()
    _no_credentials(sources)
    assert {s["id"]: s["url"] for s in json.loads(sources)["sources"]}["LOCAL"] == f"{plain}/ecb"

    # the provider is asked with the credentials; what comes back names the query without them
    response = await jp_fetch(
        "dataops", "api", "sdmx", "sources", "LOCAL", "dataflows", "EXR", "data",
        params={"key": "M.USD.EUR.SP00.A", "start": "2019-01"},
    )  # fmt: skip
    info = json.loads(pa.ipc.open_stream(response.body).read_all().schema.metadata[b"dataops"])
    assert info["url"].startswith(f"{plain}/ecb/data/EXR/M.USD.EUR.SP00.A")
    assert response.headers["X-DataOps-Query-Url"] == info["url"]
    as_json = await jp_fetch(
        "dataops", "api", "sdmx", "sources", "LOCAL", "dataflows", "EXR", "data",
        params={"key": "M.USD.EUR.SP00.A", "start": "2019-01", "format": "json"},
    )  # fmt: skip
    _no_credentials(as_json.body.decode())

    try:  # an error names the query too
        await jp_fetch("dataops", "api", "sdmx", "sources", "DOWN", "dataflows")
        raise AssertionError("the source that is down answered")
    except HTTPClientError as err:
        _no_credentials(err.response.body.decode())


async def test_the_servers_and_httpxs_loggers_redact_credentials(
    sdmx_provider,  # noqa: F811
    dataops_config,
    jp_fetch,
    jp_serverapp,
    caplog,
):
    _with_credentials(dataops_config, sdmx_provider)
    caplog.set_level(logging.INFO)
    await jp_fetch(
        "dataops", "api", "sdmx", "sources", "LOCAL", "dataflows", "EXR", "data",
        params={"key": "M.USD.EUR.SP00.A", "start": "2019-01", "format": "json"},
    )  # fmt: skip
    jp_serverapp.log.warning("engine at http://admin:%s@127.0.0.1:9/engine-rest refused", ENGINE_PASSWORD)
    assert "engine at http://[REDACTED]@127.0.0.1:9/engine-rest refused" in caplog.text
    assert "HTTP Request: GET http://[REDACTED]@127.0.0.1:" in caplog.text  # httpx's own line
    assert SOURCE_PASSWORD not in caplog.text and ENGINE_PASSWORD not in caplog.text
