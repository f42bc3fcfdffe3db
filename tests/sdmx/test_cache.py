"""The structure cache: fresh within the TTL, conditional after it, robust to torn files."""

from __future__ import annotations

from dataops.sdmx.cache import StructureCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entry_is_fresh_within_the_ttl_then_stale(tmp_path):
    clock = Clock()
    cache = StructureCache(tmp_path, ttl=60, clock=clock)
    cache.put("http://p/dataflow/ECB/EXR", "application/xml", b"<x/>", '"v1"', None)
    entry = cache.get("http://p/dataflow/ECB/EXR", "application/xml")
    assert entry.body == b"<x/>" and cache.is_fresh(entry)
    clock.now += 61
    assert not cache.is_fresh(entry)
    assert entry.conditional_headers() == {"If-None-Match": '"v1"'}


def test_renewing_restarts_the_ttl_and_keeps_the_body(tmp_path):
    clock = Clock()
    cache = StructureCache(tmp_path, ttl=60, clock=clock)
    entry = cache.put("u", "a", b"body", None, "Wed, 21 Oct 2026 07:28:00 GMT")
    clock.now += 120
    renewed = cache.renew("u", "a", entry)
    assert cache.is_fresh(renewed) and renewed.body == b"body"
    assert renewed.conditional_headers() == {"If-Modified-Since": "Wed, 21 Oct 2026 07:28:00 GMT"}


def test_accept_header_is_part_of_the_key(tmp_path):
    cache = StructureCache(tmp_path, ttl=60)
    cache.put("u", "application/xml", b"xml", None, None)
    assert cache.get("u", "application/json") is None


def test_a_torn_body_is_treated_as_absent(tmp_path):
    cache = StructureCache(tmp_path, ttl=60)
    cache.put("u", "a", b"complete body", None, None)
    body_file = next(tmp_path.glob("*.body"))
    body_file.write_bytes(b"compl")
    assert cache.get("u", "a") is None
    assert cache.clear() == 1 and cache.get("u", "a") is None
