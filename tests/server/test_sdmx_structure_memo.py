"""The server parses a dataflow's structure once: later availability rounds reuse it."""

from __future__ import annotations

import json

from dataops.sdmx.memo import STRUCTURES
from tests.server.sdmx_fixtures import sdmx_provider  # noqa: F401


async def _availability(jp_fetch, source, key):
    response = await jp_fetch(
        "dataops", "api", "sdmx", "sources", source, "dataflows", "EXR", "availability", params={"key": key}
    )
    return json.loads(response.body)


def _structure_requests(provider):
    return [p for p, _ in provider.requests if "/dataflow/" in p or "/datastructure/" in p]


async def test_second_availability_round_neither_refetches_nor_reparses(sdmx_provider, jp_fetch):
    STRUCTURES.clear()
    first = await _availability(jp_fetch, "LOCAL", "M....")
    parses, fetched = STRUCTURES.parses, len(_structure_requests(sdmx_provider))
    assert fetched == 2  # the dataflow and its DSD with codelists
    second = await _availability(jp_fetch, "LOCAL", "M.USD...")
    assert len(_structure_requests(sdmx_provider)) == fetched
    assert STRUCTURES.parses == parses
    assert first["dimensions"]["CURRENCY"] == second["dimensions"]["CURRENCY"] == ["USD"]
    assert [p for p, _ in sdmx_provider.requests if "availableconstraint" in p][-1].startswith(
        "/ecb/availableconstraint/EXR/M.USD.../all/all"
    )


async def test_past_the_ttl_a_304_keeps_the_parsed_structure(sdmx_provider, dataops_config, jp_fetch):
    dataops_config.write_text(dataops_config.read_text().replace("[data]", "[data]\ncache_ttl = 0"))
    STRUCTURES.clear()
    await _availability(jp_fetch, "ETAG", "M....")
    parses = STRUCTURES.parses
    await _availability(jp_fetch, "ETAG", "M.USD...")
    revalidated = [h for p, h in sdmx_provider.requests if "If-None-Match" in h]
    assert len(revalidated) == 2  # dataflow and DSD asked again, conditionally, both unchanged
    assert STRUCTURES.parses == parses
