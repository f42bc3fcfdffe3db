"""A disk cache for structure messages: used as is within its TTL, revalidated after it.

Structures (dataflows, DSDs, codelists) change rarely and are large, so a kernel and the server
share one cache folder. Past the TTL the next request is conditional (``If-None-Match`` /
``If-Modified-Since``); a 304 renews the entry without downloading the body again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CacheEntry:
    """One cached response body with the validators the provider sent."""

    body: bytes
    etag: str | None
    last_modified: str | None
    stored_at: float

    def conditional_headers(self) -> dict[str, str]:
        """Headers that let the provider answer 304 Not Modified."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class StructureCache:
    """Files ``<sha256>.body`` + ``<sha256>.json`` in ``folder``, keyed by URL and Accept header."""

    def __init__(self, folder: Path, ttl: float, clock: Callable[[], float] = time.time) -> None:
        self.folder = Path(folder)
        self.ttl = ttl
        self._clock = clock

    def _paths(self, url: str, accept: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(f"{accept}\n{url}".encode()).hexdigest()
        return self.folder / f"{digest}.body", self.folder / f"{digest}.json"

    def get(self, url: str, accept: str) -> CacheEntry | None:
        """The entry for this request, fresh or stale, or ``None``."""
        body_path, meta_path = self._paths(url, accept)
        try:
            meta = json.loads(meta_path.read_text())
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if len(body) != meta.get("size"):
            return None  # a torn write from a crashed process: treat as absent
        return CacheEntry(body, meta.get("etag"), meta.get("last_modified"), float(meta.get("stored_at", 0)))

    def is_fresh(self, entry: CacheEntry) -> bool:
        """True while the entry is younger than the TTL."""
        return self._clock() - entry.stored_at < self.ttl

    def put(
        self, url: str, accept: str, body: bytes, etag: str | None, last_modified: str | None
    ) -> CacheEntry:
        """Store a body; readers never see a half-written file."""
        entry = CacheEntry(body, etag, last_modified, self._clock())
        body_path, meta_path = self._paths(url, accept)
        self.folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(body_path, body)
        meta = {
            "url": url,
            "accept": accept,
            "etag": etag,
            "last_modified": last_modified,
            "stored_at": entry.stored_at,
            "size": len(body),
        }
        _atomic_write(meta_path, json.dumps(meta).encode())
        return entry

    def renew(self, url: str, accept: str, entry: CacheEntry) -> CacheEntry:
        """Restart the TTL of an entry the provider confirmed unchanged (304)."""
        return self.put(url, accept, entry.body, entry.etag, entry.last_modified)

    def clear(self) -> int:
        """Delete every entry; returns how many responses were removed."""
        removed = 0
        for path in self.folder.glob("*.json"):
            path.unlink(missing_ok=True)
            path.with_suffix(".body").unlink(missing_ok=True)
            removed += 1
        return removed


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
