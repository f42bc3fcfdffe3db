"""The series store against plain Parquet, in one run (issue #17's five measures).

1. write 1M observations (1,000 series) with ``dataops.write`` — baseline: ``pyarrow.parquet.write_table``
   of the same table; target ≤ 3×.
2. read one series of a 10M-observation flow with 50 vintages with ``dataops.read`` — baseline: the
   same series from one Parquet file of the flow with a pyarrow filter; target ≤ 5× and ≤ 100 ms.
3. the same read ``as_of`` a vintage in the middle — baseline: the latest read (2.); target ≤ 1.2×.
4. the revision triangle of one series over the 50 vintages; target ≤ 1 s.
5. revising one series of the 10M flow: bytes of data files written / bytes of the flow's live data
   files; target ≤ 5%.

    python bench/store.py [--series 1000 --periods 1000] [--big-series 10000] [--vintages 50] [--repeat 7]

Runs against a store on the SQLite catalog in a temporary folder; prints the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from dataops.sdmx.model import Attribute, Dataflow, Dimension, Structure  # noqa: E402
from dataops.sdmx.structure_writers import write_structures_ml  # noqa: E402


def structure(areas: int, indicators: int) -> tuple[Structure, list[Dataflow]]:
    """A monthly DSD with ``areas`` × ``indicators`` series, and two dataflows on it."""

    def codes(prefix: str, n: int) -> pd.DataFrame:
        ids = [f"{prefix}{i:04d}" for i in range(n)]
        return pd.DataFrame({"id": ids, "name": ids})

    dsd = Structure(
        "DSD_BENCH", "BENCH", "1.0", "Bench",
        [
            Dimension("FREQ", "Frequency", pd.DataFrame({"id": ["M"], "name": ["Monthly"]}), 0, "CL_FREQ"),
            Dimension("REF_AREA", "Area", codes("R", areas), 1, "CL_AREA"),
            Dimension("INDICATOR", "Indicator", codes("I", indicators), 2, "CL_INDICATOR"),
        ],
        "TIME_PERIOD",
        [Attribute("OBS_STATUS", "Status", "observation", mandatory=True)],
    )  # fmt: skip
    flows = [Dataflow(f, "BENCH", "1.0", f, "DSD_BENCH", "BENCH", "1.0") for f in ("WARMUP", "SMALL", "BIG")]
    return dsd, flows


def observations(areas: int, indicators: int, periods: int, value: float = 1.0) -> pa.Table:
    """Every series × ``periods`` months from 1950-01, in read shape."""
    months = [f"{1950 + m // 12}-{m % 12 + 1:02d}" for m in range(periods)]
    series = [(f"R{a:04d}", f"I{i:04d}") for a in range(areas) for i in range(indicators)]
    n = len(series) * periods
    return pa.table(
        {
            "FREQ": pa.array(["M"] * n),
            "REF_AREA": pa.array([s[0] for s in series for _ in months]),
            "INDICATOR": pa.array([s[1] for s in series for _ in months]),
            "TIME_PERIOD": pa.array(months * len(series)),
            "OBS_VALUE": pa.array([value + (k % 997) / 10 for k in range(n)], pa.float64()),
            "OBS_STATUS": pa.array(["A"] * n),
        }
    )


def timed(fn, repeat: int = 1) -> float:  # noqa: ANN001
    """The median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def folder_bytes(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_size for p in folder.rglob("*.parquet")}


def row(name: str, value: str, baseline: str, ratio: str, target: str, ok: bool) -> None:
    print(f"| {name} | {value} | {baseline} | {ratio} | {target} | {'met' if ok else 'MISSED'} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, default=1000, help="series of the 1M write (× --periods)")
    parser.add_argument("--periods", type=int, default=1000)
    parser.add_argument("--big-series", type=int, default=10_000, help="series of the 10M flow (× --periods)")
    parser.add_argument("--vintages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dataops-store-bench-"))
    indicators = 10
    dsd, flows = structure(max(args.series, args.big_series) // indicators, indicators)
    (tmp / "structures.xml").write_bytes(write_structures_ml([dsd], True, "2.1", flows))
    (tmp / "config.toml").write_text(
        f'[store]\nuri = "sqlite:///{tmp / "catalog.db"}"\nwarehouse = "{tmp / "warehouse"}"\n'
        f'[data]\npresets = false\n[[sources]]\nid = "S"\nname = "bench"\napi = "store"\n'
        f'structures = "{tmp / "structures.xml"}"\n'
    )
    os.environ["DATAOPS_SYSTEM_CONFIG"] = str(tmp / "config.toml")
    os.environ.pop("DATAOPS_CONFIG", None)
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "xdg")
    import dataops

    print(f"# bench/store.py — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"load average before {', '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
    print("| measure | store | baseline | ratio | target | |\n|---|---|---|---|---|---|")

    # 1. Write 1M observations (after a first small write has loaded the libraries and the catalog).
    dataops.write("S", "WARMUP", observations(1, 1, 12))
    small = observations(args.series // indicators, indicators, args.periods)
    parquet_write = timed(lambda: pq.write_table(small, tmp / "baseline-small.parquet"), 3)
    store_write = timed(lambda: dataops.write("S", "SMALL", small), 1)  # a new dataflow's first write
    ratio = store_write / parquet_write
    row(
        f"write {small.num_rows:,} obs ({args.series:,} series)",
        f"{store_write:.2f} s",
        f"pq.write_table {parquet_write:.2f} s",
        f"{ratio:.1f}×",
        "≤ 3×",
        ratio <= 3,
    )
    small = None

    # The 10M flow with its vintages: one write, then one revised series per vintage.
    big = observations(args.big_series // indicators, indicators, args.periods)
    flow_label = f"{big.num_rows / 1e6:g}M flow"
    start = time.perf_counter()
    dataops.write("S", "BIG", big, vintage="v1")
    print(f"(setup: {big.num_rows:,} obs written in {time.perf_counter() - start:.1f} s)", flush=True)
    pq.write_table(big, tmp / "baseline-big.parquet")
    big = None
    target_area, target_indicator = "R0007", "I0003"
    key = f"M.{target_area}.{target_indicator}"
    middle = args.vintages // 2
    for v in range(2, args.vintages + 1):
        area = target_area if v % 5 == 0 else f"R{(v * 37) % (args.big_series // indicators):04d}"
        revision = observations(1, 1, args.periods, value=float(v))
        revision = revision.set_column(1, "REF_AREA", pa.array([area] * revision.num_rows))
        revision = revision.set_column(
            2, "INDICATOR", pa.array([target_indicator if v % 5 == 0 else "I0001"] * revision.num_rows)
        )
        dataops.write("S", "BIG", revision, vintage=f"v{v}")
    print(f"(setup: {args.vintages} vintages)", flush=True)

    # 2. Read one series.
    def baseline_read() -> pa.Table:
        return pq.read_table(
            tmp / "baseline-big.parquet",
            filters=[("REF_AREA", "=", target_area), ("INDICATOR", "=", target_indicator)],
        )

    def store_read() -> pa.Table:
        return dataops.read("S", "BIG", key, as_arrow=True)

    assert store_read().num_rows == baseline_read().num_rows == args.periods

    # The three reads take turns, so that a change in the machine's load falls on all of them alike.
    def as_of_read() -> pa.Table:
        return dataops.read("S", "BIG", key, as_of=f"v{middle}", as_arrow=True)

    samples: dict[str, list[float]] = {"base": [], "latest": [], "as_of": []}
    for _ in range(args.repeat):
        for name, fn in (("base", baseline_read), ("latest", store_read), ("as_of", as_of_read)):
            samples[name].append(timed(fn))
    base, latest, as_of = (statistics.median(samples[n]) for n in ("base", "latest", "as_of"))
    ratio = latest / base
    row(
        f"read one series, {flow_label}, {args.vintages} vintages",
        f"{latest * 1000:.0f} ms",
        f"one Parquet file + filter {base * 1000:.0f} ms",
        f"{ratio:.1f}×",
        "≤ 5× and ≤ 100 ms",
        ratio <= 5 and latest <= 0.1,
    )

    # 3. As of a vintage in the middle.
    ratio = as_of / latest
    row(
        "as-of read, same series",
        f"{as_of * 1000:.0f} ms",
        f"latest read {latest * 1000:.0f} ms",
        f"{ratio:.2f}×",
        "≤ 1.2×",
        ratio <= 1.2,
    )

    # 4. The revision triangle: the first call reads the manifests, later ones find them remembered.
    start = time.perf_counter()
    triangle = dataops.revisions("S", "BIG", key)
    cold = time.perf_counter() - start
    seconds = timed(lambda: dataops.revisions("S", "BIG", key), 3)
    row(
        f"revision triangle, one series, {args.vintages} vintages ({triangle.shape[1]} columns)",
        f"{seconds:.2f} s",
        f"first call {cold:.2f} s",
        "—",
        "≤ 1 s",
        max(cold, seconds) <= 1,
    )
    # 5. Revising one series that still lies in its bucket's big file (a series revised before sits in
    # a small file of its own, which a revision drops whole): bytes of the data files it wrote.
    from dataops.settings import resolve
    from dataops.store.tables import Store

    store = Store.open(resolve().config, "S")
    table = store.table(store.flow("BIG")[0])
    live = sum(task.file.file_size_in_bytes for task in table.scan().plan_files())
    revision = observations(1, 1, args.periods, value=-1.0)
    fresh_area = f"R{args.big_series // indicators - 1:04d}"  # with I0005: a series no vintage revised
    revision = revision.set_column(1, "REF_AREA", pa.array([fresh_area] * revision.num_rows))
    revision = revision.set_column(2, "INDICATOR", pa.array(["I0005"] * revision.num_rows))
    before = folder_bytes(tmp / "warehouse")
    dataops.write("S", "BIG", revision, message="one series revised")
    after = folder_bytes(tmp / "warehouse")
    written = sum(size for path, size in after.items() if path not in before)
    share = written / live
    row(
        f"revise one series of the {flow_label}",
        f"{written / 1e6:.2f} MB written",
        f"flow {live / 1e6:.0f} MB",
        f"{share:.1%}",
        "≤ 5%",
        share <= 0.05,
    )
    print(f"\nload average after {', '.join(f'{x:.1f}' for x in os.getloadavg())}; data in {tmp}")


if __name__ == "__main__":
    main()
