"""The local SDMX provider of the Data panel's UI tests, on a fixed port.

It is the pytest suite's provider (``tests/sdmx/fake_provider.py``: SDMX REST 1.x/2.x over
``../shared/sdmx-samples``, content negotiation, query filters, providers' refusals), so the Galata
tests drive the panel against the same real HTTP answers as the Python tests, with two extra
personas for the UI: ``/slow/`` answers as
``/ecb/`` after ``--slow`` seconds, so a preview can be watched in progress and cancelled; ``/big/``
answers data queries with a generated SDMX-CSV 1.0 message of 50 daily EXR series x 4,000
observations (200,000), for the panel's responsiveness benchmark.

Usage: ``python ui-tests/setup/sdmx_provider.py --port 18790`` (prints ``ready <url>`` once listening).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT.parent / "shared" / "sdmx-samples"
sys.path.insert(0, str(ROOT))

from tests.sdmx.fake_provider import FakeProvider  # noqa: E402

CSV10 = "application/vnd.sdmx.data+csv;version=1.0.0"


def big_csv(series: int = 50, observations: int = 4000) -> bytes:
    """An SDMX-CSV 1.0 message of ECB EXR shape: daily rates of ``series`` currencies against the euro."""
    import dataops

    dsd = dataops.read_structure(SAMPLES / "ECB_EXR/1/structure-full.xml")
    currencies = [c for c in dsd.dimensions[1].codes["id"] if c.isalpha() and c != "EUR"][:series]
    start = date(2010, 1, 1)
    days = [(start + timedelta(days=i)).isoformat() for i in range(observations)]
    lines = ["DATAFLOW,FREQ,CURRENCY,CURRENCY_DENOM,EXR_TYPE,EXR_SUFFIX,TIME_PERIOD,OBS_VALUE"]
    for n, currency in enumerate(currencies):
        value = 1.0 + n / 10
        for i, day in enumerate(days):
            # A deterministic wiggle: the chart has something to draw, the test something to count.
            value *= 1 + 0.002 * (((i * 7919 + n * 104729) % 11) - 5) / 5
            lines.append(f"ECB:EXR(1.0),D,{currency},EUR,SP00,A,{day},{value:.5f}")
    return ("\n".join(lines) + "\n").encode()


class UiProvider(FakeProvider):
    """The suite's provider plus the UI's ``/slow/`` and ``/big/`` personas."""

    slow: float = 8.0
    big: bytes = b""

    def answer(self, raw_path: str, headers) -> tuple[int, dict[str, str], bytes]:  # noqa: ANN001
        persona = raw_path.split("/")[1]
        if persona not in ("slow", "big"):
            return super().answer(raw_path, headers)
        path = "/ecb/" + raw_path[len(persona) + 2 :]
        if persona == "slow" and "/data/" in path:
            time.sleep(self.slow)
        if persona == "big" and "/data/" in path:
            self.big = self.big or big_csv()
            return 200, {"Content-Type": CSV10}, self.big
        return super().answer(path, headers)


def serve(port: int, slow: float) -> None:
    """Answer until killed."""
    if not SAMPLES.is_dir():
        sys.exit(f"The SDMX samples are not at {SAMPLES}; the Data panel's UI tests need them.")
    provider = UiProvider(SAMPLES)
    provider.slow = slow
    provider.start(port, thread=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18790)
    parser.add_argument("--slow", type=float, default=8.0, help="delay of /slow/ data answers (seconds)")
    args = parser.parse_args()
    serve(args.port, args.slow)


if __name__ == "__main__":
    main()
