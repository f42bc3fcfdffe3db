"""The compiled SDMX-JSON path (``native-json``) reads every message as the plain ``json`` path does."""

from __future__ import annotations

import json
import logging
import random
import warnings

import numpy as np
import pyarrow as pa
import pytest

from dataops.errors import DataOpsError
from dataops.sdmx.readers import read_data, table_metadata
from dataops.sdmx.readers.paths import Tuning, read_message
from tests.sdmx.readers.json_message import random_message

pytestmark = pytest.mark.timeout(180)

SAMPLES = [
    "ECB_EXR/ts.json",
    "ECB_EXR/flat.json",
    "ECB_EXR/action-delete.json",
    "v3/json/data/exr-time-series.json",
]
LEFT = "left to the plain reader"


@pytest.fixture(autouse=True)
def _compiled():
    from dataops.sdmx.readers.json_native import json_scanner_installed

    assert json_scanner_installed(), (
        "dataops_native is missing or predates the JSON scanner: rebuild ./native"
    )


def _chunks(data: bytes, rnd: random.Random):
    i = 0
    while i < len(data):
        size = rnd.choice([1, 3, 17, 200, 4096, 1 << 20])
        yield data[i : i + size]
        i += size


def _outcome(data: bytes, engine: str, seed: int, flat_slice: int):
    """The table (its metadata without read_path) or the error, and the warnings, of one read."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            table = read_message(
                _chunks(data, random.Random(seed)), engine=engine, tuning=Tuning(flat_slice=flat_slice)
            )
        except DataOpsError as exc:
            result: object = (type(exc).__name__, str(exc))
        else:
            meta = table_metadata(table)
            path = meta.pop("read_path")
            assert path == ("native-json" if engine == "native" else "json")
            result = (table.replace_schema_metadata({b"sdmx": json.dumps(meta).encode()}), meta)
    return result, [str(w.message) for w in caught]


def _same(native, plain) -> None:
    (a, warned_a), (b, warned_b) = native, plain
    assert warned_a == warned_b
    if isinstance(b[0], str):
        assert a == b
    else:
        assert not isinstance(a[0], str), a
        assert a[1] == b[1]
        assert a[0].equals(b[0]), (a[0].to_pandas(), b[0].to_pandas())
        if a[0].num_rows and pa.types.is_floating(a[0].schema.field("OBS_VALUE").type):
            # Bit for bit: equals() takes -0.0 for 0.0.
            bits = [t.column("OBS_VALUE").fill_null(1.0).to_numpy().view(np.uint64) for t in (a[0], b[0])]
            assert (bits[0] == bits[1]).all()


@pytest.mark.parametrize("seed", range(150))
def test_random_messages_read_alike_and_mostly_by_the_scanner(seed, caplog):
    data = random_message(seed)
    flat_slice = random.Random(seed).choice([1, 7, 50_000])
    with caplog.at_level(logging.DEBUG, logger="dataops.sdmx.readers.json_native"):
        native = _outcome(data, "native", seed, flat_slice)
    _same(native, _outcome(data, "lxml", seed + 1, flat_slice))
    assert LEFT not in caplog.text  # regular messages are the scanner's alone


@pytest.mark.parametrize("seed", range(150))
def test_random_messages_with_what_only_json_reads_read_alike(seed):
    data = random_message(1000 + seed, odd=True)
    flat_slice = random.Random(seed).choice([1, 7, 50_000])
    _same(_outcome(data, "native", seed, flat_slice), _outcome(data, "lxml", seed + 1, flat_slice))


@pytest.mark.parametrize("seed", range(60))
def test_damaged_messages_fail_alike(seed):
    rnd = random.Random(seed)
    data = bytearray(random_message(2000 + seed, odd=seed % 2 == 1))
    if rnd.random() < 0.5:
        data = data[: rnd.randrange(len(data))]
    else:
        for _ in range(rnd.randint(1, 3)):
            data[rnd.randrange(len(data))] = ord(rnd.choice('{}[]:,"0 -nx\\'))
    _same(_outcome(bytes(data), "native", seed, 7), _outcome(bytes(data), "lxml", seed, 7))


def test_the_samples_read_alike_by_both_paths(samples):
    for name in SAMPLES:
        data = (samples / name).read_bytes()
        native = read_data(samples / name)
        assert table_metadata(native)["read_path"] == "native-json"
        assert native.equals(read_data(samples / name, engine="lxml")), name
        for seed in range(5):
            _same(_outcome(data, "native", seed, 1), _outcome(data, "lxml", seed, 1))


def test_numbers_are_read_as_python_reads_them():
    values = [
        "-0",
        "-0.0",
        "0.1",
        "123.45678",
        "1e3",
        "2.5E-2",
        "999999999999999",
        "0.30000000000000004",
        "-7",
    ]
    body = ",".join(f'"{i}": [{v}]' for i, v in enumerate(values))
    structure = {
        "dimensions": {"observation": [{"id": "TIME_PERIOD", "values": [{"id": str(i)} for i in range(9)]}]}
    }
    data = f'{{"dataSets": [{{"observations": {{{body}}}}}], "structure": {json.dumps(structure)}}}'.encode()
    read = read_data(data).column("OBS_VALUE").to_pylist()
    assert [repr(v) for v in read] == [repr(float(json.loads(v))) for v in values]
    assert repr(read[0]) == "0.0" and repr(read[1]) == "-0.0"


def test_a_series_the_scanner_leaves_is_read_by_json_in_its_place(caplog):
    """Text values are the plain reader's: that series is read by json, the others around it by the scanner."""
    series = {
        f"{i}": {"observations": {"0": ['"7.5"' if i == 1 else "7.5", 0], "1": ["null"]}} for i in range(3)
    }
    body = ",".join(
        f'"{k}": {{"observations": {{' + ",".join(f'"{o}": [{", ".join(map(str, v))}]' for o, v in s["observations"].items()) + "}}"
        for k, s in series.items()
    )  # fmt: skip
    structure = {
        "dimensions": {"series": [{"id": "S", "values": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}],
                       "observation": [{"id": "TIME_PERIOD", "values": [{"id": "2020"}, {"id": "2021"}]}]},
        "attributes": {"observation": [{"id": "OBS_STATUS", "values": [{"id": "A"}]}]},
    }  # fmt: skip
    data = f'{{"dataSets": [{{"series": {{{body}}}}}], "structure": {json.dumps(structure)}}}'.encode()
    with caplog.at_level(logging.DEBUG, logger="dataops.sdmx.readers.json_native"):
        table = read_data(data)
    assert "1 series" in caplog.text and LEFT in caplog.text
    df = table.to_pandas()
    assert df["S"].tolist() == ["a", "a", "b", "b", "c", "c"]
    assert df["OBS_VALUE"].tolist()[::2] == [7.5, 7.5, 7.5]
    assert table.equals(read_data(data, engine="lxml"))


CHILD = """
import json, sys
import pandas
from dataops.sdmx.readers import read_data, table_metadata
import dataops.sdmx.readers.json_data
def hwm():
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM:"))
base = hwm()
table = read_data(sys.argv[1])
df = table.to_pandas()
print(json.dumps({"peak": hwm() - base, "df": int(df.memory_usage(deep=True).sum()), "rows": len(df),
                  "path": table_metadata(table)["read_path"]}))
"""


def _big_message(path, n_series: int):
    periods = [{"id": f"{2000 + o // 336}-{o // 28 % 12 + 1:02d}-{o % 28 + 1:02d}"} for o in range(1000)]
    structure = {
        "dimensions": {"series": [{"id": "CURRENCY", "values": [{"id": f"C{s:03d}"} for s in range(n_series)]}],
                       "observation": [{"id": "TIME_PERIOD", "values": periods}]},
        "attributes": {"series": [{"id": "TITLE", "values": [{"id": f"Currency {s}"} for s in range(n_series)]}],
                       "observation": [{"id": "OBS_STATUS", "values": [{"id": "A"}, {"id": "E"}]}]},
    }  # fmt: skip
    with path.open("w") as fh:
        fh.write('{"structure": ' + json.dumps(structure) + ', "dataSets": [{"series": {')
        for s in range(n_series):
            obs = ",".join(f'"{o}": [{(s * 7 + o) % 1000 / 7:.5f}, {int(o % 50 == 0)}]' for o in range(1000))
            fh.write(("," if s else "") + f'"{s}": {{"attributes": [{s}], "observations": {{{obs}}}}}')
        fh.write("}}]}")
    return path


def _read_in_child(path) -> dict:
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[3]
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=100,
        cwd=repo,
        # The caller's PYTHONPATH after the repository, so the child loads the same compiled module.
        env={
            "PYTHONPATH": os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")]),
            "PATH": "/usr/bin:/bin",
        },
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_extra_observations_cost_at_most_two_and_a_half_times_their_dataframe_memory(tmp_path):
    """As for SDMX-ML (test_peak_memory): two reads, in fresh interpreters, compared."""
    small = _read_in_child(_big_message(tmp_path / "small.json", 100))
    large = _read_in_child(_big_message(tmp_path / "large.json", 400))
    assert (small["rows"], large["rows"]) == (100_000, 400_000)
    assert small["path"] == large["path"] == "native-json"
    extra_peak, extra_df = large["peak"] - small["peak"], large["df"] - small["df"]
    assert extra_peak <= 2.5 * extra_df, (
        f"300,000 more observations raised the peak by {extra_peak / 2**20:.0f} MB "
        f"for {extra_df / 2**20:.0f} MB more DataFrame"
    )
