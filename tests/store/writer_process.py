"""One writer process of tests/store/test_concurrency.py: waits for the start signal, then merges
``count`` observations (periods from ``base`` on) into the series A.DE.GDP, one write each, and
prints each write's attempts."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import dataops
from tests.store.fixtures import frame


def main(name: str, base: int, count: int, start: Path) -> None:
    dataops.vintages("STORE", "NA")  # libraries imported and the catalog opened before the start
    (start.parent / f"ready-{name}").touch()
    while not start.exists():
        time.sleep(0.005)
    for i in range(count):
        result = dataops.write(
            "STORE", "NA", frame([("A", "DE", "GDP", str(base + i), float(i))]), message=f"{name} {i}"
        )
        print(result.attempts, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
