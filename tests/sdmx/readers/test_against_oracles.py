"""Every sample message is read, and agrees with the `expected/` oracles, the README counts and sdmx1."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from dataops.sdmx.readers import read_data, read_structure

# Every data sample with its observation count (README) and, where needed, its structure.
DATA_SAMPLES = {
    "ECB_EXR/1/M.USD.EUR.SP00.A.xml": (252, None),
    "ECB_EXR/ng-ts-gf.xml": (12, "ECB_EXR/ng-structure-full.xml"),
    "ECB_EXR/ng-ts-gf-ss.xml": (12, "ECB_EXR/ng-structure-full.xml"),
    "ECB_EXR/ng-xs.xml": (12, "ECB_EXR/ng-structure-full.xml"),
    "ECB_EXR/ng-xs-ss.xml": (12, "ECB_EXR/ng-structure-full.xml"),
    "ECB_EXR/ng-flat.xml": (12, "ECB_EXR/ng-structure-full.xml"),
    "ECB_EXR/ng-flat-ss.xml": (12, "ECB_EXR/ng-structure-full.xml"),
    "ECB_EXR/ts.json": (4, None),
    "ECB_EXR/flat.json": (4, None),
    "ECB_EXR/action-delete.json": (3, None),
    "ESTAT/NAMA_10_GDP-ss.xml": (4, None),
    "v3/xml/ECB_EXR0.xml": (116, "v3/xml/ECB_EXR1.xml"),
    "v3/json/data/exr-time-series.json": (4, None),
    "v3/csv/example-01.csv": (2, None),
    "v3/csv/example-04.csv": (2, None),
    "v3/csv/example-06.csv": (2, None),
    "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-1.0.csv": (252, "ECB_EXR/1/structure-full.xml"),
    "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-2.0.csv": (252, "ECB_EXR/1/structure-full.xml"),
}
STRUCTURE_SAMPLES = [
    "ECB_EXR/1/structure-full.xml",
    "ECB_EXR/1/structure.xml",
    "ECB_EXR/ng-structure-full.xml",
    "ESTAT/GOV_10Q_GGNFA.xml",
    "v3/xml/ECB_EXR1.xml",
    "v3/xml/dataflow.xml",
    "v3/json/structure/constructed-sample.json",
]
OTHER = {"README.md", "ESTAT/footer.xml"}  # the footer is covered in test_xml_data


def test_every_sample_file_is_covered_here(samples):
    files = {str(p.relative_to(samples)) for p in samples.rglob("*") if p.is_file()}
    files -= {f for f in files if f.startswith("expected/")}
    assert files == set(DATA_SAMPLES) | set(STRUCTURE_SAMPLES) | OTHER


def _structure(samples, name):
    return read_structure(samples / name).structures[0] if name else None


@pytest.mark.parametrize("name", list(DATA_SAMPLES))
def test_each_data_sample_reads_with_the_readme_count(samples, name):
    count, dsd = DATA_SAMPLES[name]
    df = read_data(samples / name, _structure(samples, dsd)).to_pandas()
    assert len(df) == count
    assert "OBS_VALUE" in df.columns and df["OBS_VALUE"].dtype == "float64"


@pytest.mark.parametrize("name", STRUCTURE_SAMPLES)
def test_each_structure_sample_reads(samples, name):
    msg = read_structure(samples / name)
    assert msg.structures or msg.dataflows
    for dsd in msg.structures:
        assert dsd.dimensions and dsd.time_dimension == "TIME_PERIOD"


def _observations(df: pd.DataFrame, dims: list[str]) -> dict[tuple, float]:
    return {
        tuple(str(v) for v in row[:-1]): row[-1] for row in df[[*dims, "OBS_VALUE"]].itertuples(index=False)
    }


@pytest.mark.parametrize(
    ("oracle", "name", "dsd"),
    [
        ("ng-flat-xml.txt", "ECB_EXR/ng-flat.xml", None),
        ("ng-flat-xml.txt", "ECB_EXR/ng-flat-ss.xml", "ECB_EXR/ng-structure-full.xml"),
        ("ng-xs-xml.txt", "ECB_EXR/ng-xs.xml", None),
        ("ng-xs-xml.txt", "ECB_EXR/ng-xs-ss.xml", "ECB_EXR/ng-structure-full.xml"),
        ("flat-json.txt", "ECB_EXR/flat.json", None),
        ("flat-json.txt", "ECB_EXR/ts.json", None),
        ("xs-json.txt", "ECB_EXR/flat.json", None),
    ],
)
def test_matches_the_expected_oracle(samples, oracle, name, dsd):
    expected = pd.read_csv(samples / "expected" / oracle, sep=r"\s+", dtype=str)
    dims = [c for c in expected.columns if c != "value"]
    want = {tuple(r[:-1]): float(r[-1]) for r in expected[[*dims, "value"]].itertuples(index=False)}
    got = _observations(read_data(samples / name, _structure(samples, dsd)).to_pandas(), dims)
    assert got == pytest.approx(want)


def test_action_delete_keeps_the_deleted_observation_marked(samples):
    # The oracle (sdmx1) shows the replaced observations only; we also keep the deletion, marked.
    df = read_data(samples / "ECB_EXR/action-delete.json").to_pandas()
    kept = df[df["ACTION"].isna()]
    assert _observations(kept, ["CURRENCY", "TIME_PERIOD"]) == {
        ("RUB", "2013-01-18"): 40.3426,
        ("RUB", "2013-01-21"): 40.3,
    }
    deleted = df[df["ACTION"] == "Delete"]
    assert list(deleted["CURRENCY"]) == ["NZD"] and deleted["OBS_VALUE"].isna().all()


SHARED = Path(__file__).resolve().parents[3].parent / "shared"

# sdmx1 is run in a fresh process: it leaks state between reads (see the samples README, note 3).
SDMX1_CASES = {
    "v3/xml/ECB_EXR0.xml": "v3/xml/ECB_EXR1.xml",
    "ECB_EXR/1/M.USD.EUR.SP00.A.xml": None,
    "ECB_EXR/ng-ts-gf.xml": None,
    "ECB_EXR/ng-ts-gf-ss.xml": "ECB_EXR/ng-structure-full.xml",
    "ECB_EXR/ng-xs.xml": None,
    "ECB_EXR/ng-xs-ss.xml": "ECB_EXR/ng-structure-full.xml",
    "ECB_EXR/ng-flat.xml": None,
    "ECB_EXR/ng-flat-ss.xml": "ECB_EXR/ng-structure-full.xml",
    "ECB_EXR/ts.json": None,
    "ECB_EXR/flat.json": None,
    "ESTAT/NAMA_10_GDP-ss.xml": None,
    "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-2.0.csv": "ECB_EXR/1/structure-full.xml",
}
SDMX1_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import sdmx
    root, cases = sys.argv[1], json.loads(sys.argv[2])
    out = {}
    for name, dsd in cases.items():
        kw = {}
        if dsd:
            kw["structure"] = list(sdmx.read_sdmx(f"{root}/{dsd}").structure.values())[0]
        series = sdmx.to_pandas(sdmx.read_sdmx(f"{root}/{name}", **kw).data[0])
        out[name] = [[list(map(str, k)), list(series.index.names), float(v)] for k, v in series.items()]
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def sdmx1_results():
    root = SHARED / "sdmx-samples"
    if not root.is_dir():
        pytest.skip(f"{root} is absent: the SDMX sample messages are not available here")
    proc = subprocess.run(
        [sys.executable, "-c", SDMX1_SCRIPT, str(root), json.dumps(SDMX1_CASES)],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", list(SDMX1_CASES))
def test_agrees_with_sdmx1_on_every_observation(samples, sdmx1_results, name):
    dsd = _structure(samples, SDMX1_CASES[name])
    df = read_data(samples / name, dsd).to_pandas()
    rows = sdmx1_results[name]
    dims = rows[0][1]
    want = {tuple(key): value for key, _, value in rows}
    assert _observations(df, dims) == pytest.approx(want, nan_ok=True)
