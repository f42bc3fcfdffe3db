"""Memory follows the result: each extra observation costs at most 2.5x what it adds to the DataFrame.

Two reads of a generated structure-specific message (100,000 and 400,000 observations), each in a
fresh interpreter measuring its own peak resident memory (VmHWM) above its level after imports.
Comparing the two cancels the fixed cost (threads, allocator, libraries) that dominates small reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)
REPO = Path(__file__).resolve().parents[3]
CHILD = """
import json, sys
import pandas
from dataops.sdmx.readers import read_data
import dataops.sdmx.readers.xml_data
def hwm():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM:"))
base = hwm()
df = read_data(sys.argv[1]).to_pandas()
print(json.dumps({"peak": hwm() - base, "df": int(df.memory_usage(deep=True).sum()), "rows": len(df)}))
"""


def _message(path: Path, n_series: int) -> Path:
    with path.open("w") as fh:
        fh.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData'
            ' xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
            ' xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">\n'
            '<message:Header><message:ID>M</message:ID></message:Header>\n<message:DataSet ss:structureRef="X">\n'
        )
        for s in range(n_series):
            fh.write(f'<Series FREQ="D" CURRENCY="C{s:03d}" CURRENCY_DENOM="EUR" TITLE="Currency {s}">\n')
            fh.writelines(
                f'<Obs TIME_PERIOD="{2000 + o // 336}-{o // 28 % 12 + 1:02d}-{o % 28 + 1:02d}"'
                f' OBS_VALUE="{(s * 7 + o) % 1000 / 7:.5f}" OBS_STATUS="{"E" if o % 50 == 0 else "A"}"/>\n'
                for o in range(1000)
            )
            fh.write("</Series>\n")
        fh.write("</message:DataSet>\n</message:StructureSpecificData>\n")
    return path


def _read(path: Path) -> dict[str, int]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=100,
        cwd=REPO,
        # The parent's PYTHONPATH first: the child reads with the same dataops_native as the tests.
        env={
            "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(REPO)])),
            "PATH": "/usr/bin:/bin",
        },
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_extra_observations_cost_at_most_two_and_a_half_times_their_dataframe_memory(tmp_path: Path) -> None:
    small = _read(_message(tmp_path / "small.xml", 100))
    large = _read(_message(tmp_path / "large.xml", 400))
    assert (small["rows"], large["rows"]) == (100_000, 400_000)
    extra_peak = large["peak"] - small["peak"]
    extra_df = large["df"] - small["df"]
    assert extra_peak <= 2.5 * extra_df, (
        f"300,000 more observations raised the peak by {extra_peak / 2**20:.0f} MB "
        f"for {extra_df / 2**20:.0f} MB more DataFrame"
    )
