"""Benchmark: write observations as the SDMX REST endpoint does, against pandas ``DataFrame.to_csv``.

Builds an ECB-EXR-shaped table (N series x 1,000 observations, N=1,000 by default, 100 with --quick;
a series attribute, an observation attribute partly missing, 1% missing values) and a real-shaped
one (20,000 series of 12-60 observations with series attributes, the shape of a national accounts or
balance of payments dataflow), then times in one process, interleaved over ``--repeat`` rounds
(fastest kept): ``DataFrame.to_csv`` of the same frame into memory, with its dimension columns as
categories (as ``dataops.read`` gives them) and as plain strings (the baseline is the faster), and each
streamed writer of `dataops.sdmx.data_messages` with its chunks consumed (SDMX-ML 2.1 generic and
structure-specific, SDMX-ML 3.0, SDMX-JSON 2.0), plus SDMX-CSV 1.0 for the record. Prints seconds,
megabytes written, the ratio to ``to_csv`` (target: at most 2.0 for each SDMX-ML / SDMX-JSON 2.0
writer) and the 1-minute load average before and after.
Run: ``python bench/sdmx_write.py [--quick] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dataops.sdmx import data_messages  # noqa: E402
from dataops.sdmx.model import Attribute, Dataflow, Dimension, Structure  # noqa: E402

DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
FORMATS = ["generic21", "ss21", "ss30", "json20", "csv"]
TARGETS = {"generic21": 2.0, "ss21": 2.0, "ss30": 2.0, "json20": 2.0}


def structure() -> tuple[Dataflow, Structure]:
    dims = [Dimension(d, d, position=i) for i, d in enumerate(DIMS)]
    attrs = [
        Attribute("TITLE", "Title", "series"),
        Attribute("OBS_STATUS", "Observation status", "observation"),
    ]
    dsd = Structure("ECB_EXR1", "ECB", "1.0", "Exchange rates", dims, "TIME_PERIOD", attrs)
    return Dataflow("EXR", "ECB", "1.0", "Exchange Rates", "ECB_EXR1", "ECB", "1.0"), dsd


def table(lengths: np.ndarray, seed: int = 1) -> pa.Table:
    """One series per entry of ``lengths``, with that many monthly observations."""
    rng = np.random.default_rng(seed)
    n = int(lengths.sum())
    series = np.repeat(np.arange(len(lengths)), lengths)
    within = np.arange(n) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    currencies = np.array([f"C{i:05d}" for i in range(len(lengths))])
    periods = np.array([f"{1950 + t // 12}-{t % 12 + 1:02d}" for t in range(int(lengths.max()))])
    values = np.round(rng.uniform(0.5, 150, n), 5)
    values[rng.random(n) < 0.01] = np.nan
    status = np.where(rng.random(n) < 0.1, "E", "A").astype(object)
    status[rng.random(n) < 0.2] = None

    def coded(codes: np.ndarray, index: np.ndarray) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), pa.array(codes))

    zeros = np.zeros(n, dtype=np.int32)
    return pa.table(
        {
            "FREQ": coded(np.array(["M"]), zeros),
            "CURRENCY": coded(currencies, series),
            "CURRENCY_DENOM": coded(np.array(["EUR"]), zeros),
            "EXR_TYPE": coded(np.array(["SP00"]), zeros),
            "EXR_SUFFIX": coded(np.array(["A"]), zeros),
            "TIME_PERIOD": pa.array(periods[within]),
            "OBS_VALUE": pa.array(values),
            "TITLE": coded(np.array([f"Currency {c} & euro" for c in currencies]), series),
            "OBS_STATUS": pa.array(status, pa.string()).dictionary_encode(),
        }
    )


def timed(fn) -> tuple[float, int]:
    start = time.perf_counter()
    size = fn()
    return time.perf_counter() - start, size


def run(name: str, data: pa.Table, repeat: int) -> None:
    flow, dsd = structure()
    frame = data.to_pandas()
    plain = frame.astype({c: object for c in frame.columns if frame[c].dtype == "category"})

    def csv_of(df):
        def to_csv() -> int:
            buffer = io.StringIO()
            df.to_csv(buffer, index=False)
            return buffer.tell()

        return to_csv

    def writer(fmt: str):
        def write() -> int:
            body = data_messages.write(fmt, data, flow, dsd)
            return len(body) if isinstance(body, bytes) else sum(len(chunk) for chunk in body)

        return write

    # Two baselines: the frame as dataops.read returns it (categories) and with plain string columns;
    # ratios are against the faster of the two.
    jobs = {"to_csv": csv_of(frame), "to_csv str": csv_of(plain), **{fmt: writer(fmt) for fmt in FORMATS}}
    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeat):
        for job, fn in jobs.items():
            seconds, size = timed(fn)
            if job not in best or seconds < best[job][0]:
                best[job] = (seconds, size)
    base = min(best["to_csv"][0], best["to_csv str"][0])
    print(f"\n{name}: {data.num_rows:,} observations, {len(set(frame['CURRENCY']))} series")
    print(f"{'writer':<12}{'seconds':>10}{'MB':>10}{'x to_csv':>10}  target")
    for job, (seconds, size) in best.items():
        target = TARGETS.get(job)
        verdict = "" if target is None else f"<= {target} {'met' if seconds / base <= target else 'MISSED'}"
        print(f"{job:<12}{seconds:>10.3f}{size / 1e6:>10.1f}{seconds / base:>10.2f}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 series instead of 1,000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    n = 100 if args.quick else 1000
    run("EXR-shaped", table(np.full(n, 1000)), args.repeat)
    rng = np.random.default_rng(2)
    run("real-shaped", table(rng.integers(12, 61, 2000 if args.quick else 20000)), args.repeat)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
