"""Benchmark: read SDMX data in every format with dataops, sdmx1, pyarrow.csv and pandas.read_csv.

Two data sets (`sdmx_messages`), each written as SDMX-ML 2.1 structure-specific and generic,
SDMX-ML 3.0 structure-specific, SDMX-CSV 1.0 and 2.0 and SDMX-JSON 1.0 and 2.0: ECB-EXR-shaped, N series x
1,000 observations (N=1,000 by default, 100 with --quick), and national-accounts-shaped, 20,000
short series of 12-60 quarterly or annual observations with series attributes (2,000 with
--quick). Each file is read in a fresh subprocess per reader (so peak RSS belongs to one
read) and prints seconds, peak RSS above the post-import baseline, the DataFrame's deep memory and
the ratios the targets are stated in: SDMX-ML and SDMX-JSON against pandas.read_csv on the same
data set's SDMX-CSV 1.0 file, SDMX-CSV against pyarrow.csv on the same file. sdmx1 reads the
ECB-shaped files once, for the record. Every reader but sdmx1 runs ``--repeat`` times (rounds
interleaved); the fastest round counts, with the largest peak seen. Each child imports everything its
reader needs (pandas included, which pyarrow's ``to_pandas`` would otherwise import on the clock)
before the clock and the memory baseline start; ``load`` is the 1-minute load average when the
kept round ended.
Run: ``python bench/sdmx_read.py [--quick] [--skip-sdmx1] [--repeat N] [--timeout S]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import sdmx_messages  # noqa: E402  (the message generators, next to this file)

READER_CODE = {
    "dataops": """
import pandas
from dataops.sdmx.readers import read_data, read_structure
import dataops.sdmx.readers.csv_data, dataops.sdmx.readers.json_data, dataops.sdmx.readers.xml_data
dsd = read_structure(STRUCTURE).structures[0]
start()
df = read_data(PATH, dsd).to_pandas()
""",
    "sdmx1": """
import pandas, sdmx
dsd = list(sdmx.read_sdmx(STRUCTURE).structure.values())[0]
start()
msg = sdmx.read_sdmx(PATH, structure=dsd)
df = sdmx.to_pandas(msg.data[0], attributes="dsgo").reset_index()
""",
    "pyarrow.csv": """
import pandas, pyarrow.csv
start()
df = pyarrow.csv.read_csv(PATH).to_pandas()
""",
    "pandas.read_csv": """
import pandas
start()
df = pandas.read_csv(PATH)
""",
}
CHILD = """
import json, os, resource, sys, time
PATH, STRUCTURE = sys.argv[1], sys.argv[2]
def rss():
    # VmHWM is this process's own peak; ru_maxrss would start from the parent's size at fork time.
    try:
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
marks = {}
def start():
    marks["base"] = rss()
    marks["t0"] = time.perf_counter()
BODY
seconds = time.perf_counter() - marks["t0"]
print(json.dumps({"seconds": seconds, "peak": rss() - marks["base"], "rows": len(df),
                  "df_bytes": int(df.memory_usage(deep=True).sum()), "load": os.getloadavg()[0]}))
"""


def run_reader(reader: str, path: Path, structure: Path, timeout: float) -> dict[str, float] | str:
    code = CHILD.replace("BODY", READER_CODE[reader])
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(path), str(structure)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
            # A PYTHONPATH given to the bench comes first (e.g. a freshly built dataops_native).
            env={
                "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(REPO)])),
                "PATH": "/usr/bin:/bin",
            },
        )
    except subprocess.TimeoutExpired:
        return f"timeout > {timeout:.0f} s"
    if proc.returncode != 0:
        return "failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:80]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def best(old: dict[str, float] | str | None, new: dict[str, float] | str) -> dict[str, float] | str:
    """The faster of two rounds, with the larger of their peaks; a failure counts only if all fail."""
    if not isinstance(old, dict):
        return new
    if not isinstance(new, dict):
        return old
    fast = min(old, new, key=lambda r: r["seconds"])
    return {**fast, "peak": max(old["peak"], new["peak"])}  # "load" stays the fast round's


# (label, file key, readers); sdmx1 reads only the ECB-shaped files (minutes on the other one).
CASES = [
    ("SDMX-ML 2.1 structure-specific", "ss", ["dataops", "sdmx1"]),
    ("SDMX-ML 2.1 generic", "generic", ["dataops", "sdmx1"]),
    ("SDMX-ML 3.0 structure-specific", "ss30", ["dataops"]),
    ("SDMX-CSV 1.0", "csv", ["dataops", "pyarrow.csv", "pandas.read_csv"]),
    ("SDMX-CSV 2.0", "csv20", ["dataops", "pyarrow.csv"]),
    ("SDMX-JSON 1.0", "json", ["dataops", "sdmx1"]),
    ("SDMX-JSON 2.0", "json2", ["dataops"]),  # sdmx1 does not read SDMX-JSON 2.0 data
]
TARGETS = {
    "ss": 1.0,
    "generic": 2.0,
    "ss30": 1.2,
    "json": 2.0,
    "json2": 2.0,
}  # x pandas.read_csv; CSV: 1.0x pyarrow.csv


def _ratio(results: dict, shape: str, key: str, reader: str) -> str:
    res = results[(shape, key, reader)]
    pandas_csv = results.get((shape, "csv", "pandas.read_csv"))
    arrow_csv = results.get((shape, key, "pyarrow.csv"))
    if reader == "dataops" and key.startswith("csv") and isinstance(arrow_csv, dict):
        return f"{res['seconds'] / arrow_csv['seconds']:.2f}x pyarrow.csv (target <= 1.0)"
    if reader == "dataops" and isinstance(pandas_csv, dict):
        target = f" (target <= {TARGETS[key]})" if key in TARGETS else ""
        return f"{res['seconds'] / pandas_csv['seconds']:.2f}x pandas.read_csv{target}"
    ours = results.get((shape, key, "dataops"))
    if reader == "sdmx1" and isinstance(ours, dict):
        return f"{res['seconds'] / ours['seconds']:.1f}x dataops"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument(
        "--skip-sdmx1", action="store_true", help="do not run sdmx1 (slow on 1M observations)"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per read")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per reader (sdmx1: one)")
    parser.add_argument(
        "--only", nargs="*", help="file keys to run (ss, generic, ss30, csv, csv20, json, json2)"
    )
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    load_before = os.getloadavg()
    print(f"Load average (1/5/15 min) before: {'/'.join(f'{x:.2f}' for x in load_before)}")
    try:
        import dataops_native

        print(f"dataops_native (compiled scanner, native/): {dataops_native.__file__}")
    except ImportError:
        print("dataops_native (compiled scanner, native/): NOT installed - dataops uses its pyarrow paths")
    cases = [c for c in CASES if not args.only or c[1] in args.only]
    shapes = {
        "ECB-shaped": sdmx_messages.ecb_shaped(1000 // scale),
        "short series": sdmx_messages.short_series_shaped(20_000 // scale),
    }
    results: dict[tuple[str, str, str], dict[str, float] | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for shape, data in shapes.items():
            keys = sorted({"csv", *(c[1] for c in cases)})
            paths[shape] = sdmx_messages.write_files(Path(tmp) / shape.replace(" ", "-"), data, keys)
            n_obs = sum(len(rows) for _, rows in data)
            sizes = ", ".join(f"{k} {paths[shape][k].stat().st_size / 1e6:.0f} MB" for k in keys)
            print(f"{shape}: {len(data):,} series, {n_obs:,} observations; {sizes}")
        del shapes
        # Rounds interleave the readers, so a burst of load from elsewhere hits all of them alike;
        # each reader keeps its fastest round (and the largest peak seen). sdmx1 runs once.
        for round_ in range(args.repeat):
            for shape in paths:
                for _, key, readers in cases:
                    for reader in [*readers, *(["pandas.read_csv"] if key == "csv" else [])]:
                        if reader == "sdmx1" and (args.skip_sdmx1 or round_ > 0 or shape != "ECB-shaped"):
                            continue
                        res = run_reader(reader, paths[shape][key], paths[shape]["structure"], args.timeout)
                        results[(shape, key, reader)] = best(results.get((shape, key, reader)), res)
    print(
        "\n| data set | format | reader | seconds | load | peak RSS MB | DataFrame MB | peak/DataFrame | ratio |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    for shape in paths:
        for label, key, readers in cases:
            for reader in dict.fromkeys([*readers, *(["pandas.read_csv"] if key == "csv" else [])]):
                res = results.get((shape, key, reader))
                if res is None:
                    continue
                if isinstance(res, str):
                    print(f"| {shape} | {label} | {reader} | {res} | | | | | |")
                    continue
                print(
                    f"| {shape} | {label} | {reader} | {res['seconds']:.2f} | {res['load']:.1f} | "
                    f"{res['peak'] / 2**20:.0f} | {res['df_bytes'] / 2**20:.0f} | "
                    f"{res['peak'] / res['df_bytes']:.2f} | {_ratio(results, shape, key, reader)} |"
                )
    print("\nTargets: as in the ratio column; peak <= 2.5x the DataFrame for every format.")
    load_after = os.getloadavg()
    print(
        f"Load average (1/5/15 min) on {os.cpu_count()} cores: before {'/'.join(f'{x:.1f}' for x in load_before)},"
        f" after {'/'.join(f'{x:.1f}' for x in load_after)}."
    )


if __name__ == "__main__":
    main()
