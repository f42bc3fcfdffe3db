"""The audit trail: one JSON line per promotion attempt, appended, never rewritten."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def append(path: Path, record: dict[str, Any]) -> dict[str, Any]:
    """Append ``record`` (plus ``at``, UTC) as one line; a single ``write`` with ``O_APPEND`` keeps
    concurrent writers from interleaving."""
    path.parent.mkdir(parents=True, exist_ok=True)
    full = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **record}
    line = (json.dumps(full, sort_keys=True, default=str) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return full


def read(path: Path) -> list[dict[str, Any]]:
    """All records, oldest first (empty when no promotion happened yet)."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
