"""Shared by the SDMX handler tests: the local provider (from tests/sdmx) and a config that uses it."""

from __future__ import annotations

import pytest

from tests.sdmx.fake_provider import FakeProvider


@pytest.fixture
def sdmx_provider(shared_dir, dataops_config, tmp_path):
    """A running local SDMX provider and a dataops configuration with sources pointing at it."""
    provider = FakeProvider(shared_dir / "sdmx-samples").start()
    dataops_config.write_text(
        f"""
[data]
cache_dir = "{tmp_path / "cache"}"
retries = 1
max_retry_wait = 2

[[sources]]
id = "LOCAL"
name = "Local ECB-like provider"
url = "{provider.url}/ecb"
agency = "ECB"
provider = "ECB"

[[sources]]
id = "ESTATLIKE"
name = "Local Eurostat-like provider"
url = "{provider.url}/estat"
agency = "ESTAT"
provider = "ESTAT"

[[sources]]
id = "V2"
name = "Local SDMX 3.0 provider"
url = "{provider.url}/v2"
api = "sdmx-rest-2"
agency = "ECB"

[[sources]]
id = "DOWN"
name = "Local provider that is down"
url = "{provider.url}/down"

[[sources]]
id = "NOAVAIL"
name = "Local provider without availability"
url = "{provider.url}/noavail"
agency = "ECB"

[[sources]]
id = "ETAG"
name = "Local provider sending ETags"
url = "{provider.url}/etag"
agency = "ECB"
provider = "ECB"
"""
    )
    yield provider
    provider.stop()
