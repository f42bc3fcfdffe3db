"""Fixtures for the SDMX tests: the local provider over the shared samples and a config using it."""

from __future__ import annotations

import pytest

from dataops.config import load_config
from dataops.sdmx.config import DataConfig
from tests.sdmx.fake_provider import FakeProvider


@pytest.fixture
def fake_provider(shared_dir):
    """A running local SDMX provider serving ``../shared/sdmx-samples``."""
    provider = FakeProvider(shared_dir / "sdmx-samples").start()
    yield provider
    provider.stop()


@pytest.fixture
def sdmx_config(dataops_config, fake_provider, tmp_path):
    """A dataops configuration with one source per provider persona and a private structure cache."""
    personas = {
        "LOCAL_ECB": ("ecb", "sdmx-rest-1", "ECB", "ECB"),
        "LOCAL_ESTAT": ("estat", "sdmx-rest-1", "ESTAT", "ESTAT"),
        "LOCAL_V2": ("v2", "sdmx-rest-2", "ECB", "sdmx-rest-2"),
        "BUSY": ("busy", "sdmx-rest-1", "ECB", "ECB"),
        "DOWN": ("down", "sdmx-rest-1", "ECB", "ECB"),
        "NOAVAIL": ("noavail", "sdmx-rest-1", "ECB", "ECB"),
        "GZIP": ("gzip", "sdmx-rest-1", "ECB", "ECB"),
        "ETAG": ("etag", "sdmx-rest-1", "ECB", "ECB"),
        "MOVED": ("moved", "sdmx-rest-1", "ECB", "ECB"),
        "ESTAT_ASYNC": ("estatasync/sdmx/2.1", "sdmx-rest-1", "ECB", "ESTAT"),
    }
    lines = [
        "[data]",
        f'cache_dir = "{tmp_path / "cache"}"',
        "retries = 2",
        "max_retry_wait = 5",
        "timeout = 10",
        "async_poll_interval = 0.05",
        "async_timeout = 10",
        "",
    ]
    for source_id, (persona, api, agency, provider) in personas.items():
        lines += [
            "[[sources]]",
            f'id = "{source_id}"',
            f'name = "Local {persona} provider"',
            f'url = "{fake_provider.url}/{persona}"',
            f'api = "{api}"',
            f'agency = "{agency}"',
            f'provider = "{provider}"',
            "",
        ]
    dataops_config.write_text("\n".join(lines))
    return load_config()


@pytest.fixture
def data_config(sdmx_config) -> DataConfig:
    """The typed ``[data]`` section of `sdmx_config`."""
    return DataConfig.from_config(sdmx_config)
