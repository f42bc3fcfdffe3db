"""The sample production process (processes/sdmx_production.bpmn, examples/steps/production.py) run
whole by the real engine and a real worker: its input read from a files source of the real ECB
sample plus partner currencies the test generates, its vintage read back from the store and from
the SDMX REST endpoint, and a rejection when a series jumps more than the configuration allows.

Each test deploys the sample under a key of its own (the steps module's ``PROCESS`` and the BPMN's
topics renamed to it), as a user copies the template, so no other worker takes its tasks.
"""

from __future__ import annotations

import importlib.util
import math
import shutil
import threading
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

import dataops
from dataops.sdmx.readers import read_data
from dataops.workflows.logs import LogStore
from dataops.workflows.models import RunStatus
from dataops.workflows.steps import BpmnError, Task
from tests.workflows.support import WorkerProcess, unique, wait_until

REPO = Path(__file__).resolve().parents[2]
CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"
# Partner currencies generated from the real USD/EUR series: (code, scale, monthly wiggle).
PARTNERS = (("JPY", 120.0, 0.01), ("GBP", 0.85, 0.02))


def _partners(usd: pd.DataFrame, jump: tuple[str, str, float] | None = None) -> pd.DataFrame:
    frames = []
    for code, scale, wiggle in PARTNERS:
        frame = usd.copy()
        frame["CURRENCY"] = code
        frame["OBS_VALUE"] = [
            round(v * scale * (1 + wiggle * math.sin(i)), 4) for i, v in enumerate(usd["OBS_VALUE"])
        ]
        if jump and jump[0] == code:
            frame.loc[frame["TIME_PERIOD"].astype(str) == jump[1], "OBS_VALUE"] *= jump[2]
        frames.append(frame)
    return pd.concat(frames)


@pytest.fixture
def sample(tmp_path, dataops_config, shared_dir):
    """The sample's steps and settings under a key of their own, without an engine; ``lay_out``
    writes the input (``jump``: multiply one partner's value of one period)."""
    samples = shared_dir / "sdmx-samples" / "ECB_EXR" / "1"
    files = tmp_path / "sdmx" / "EXR"
    files.mkdir(parents=True)
    (files / "structure.xml").symlink_to(samples / "structure-full.xml")
    (files / "M.USD.EUR.SP00.A.xml").symlink_to(samples / "M.USD.EUR.SP00.A.xml")
    config = f"""
[[sources]]
id = "SAMPLES"
name = "SDMX samples and generated partners"
url = "{tmp_path / "sdmx"}"
api = "files"

[[sources]]
id = "STORE"
name = "Series store"
api = "store"
structures = "{files / "structure.xml"}"

[store]
uri = "sqlite:///{tmp_path / "catalog.db"}"
warehouse = "{tmp_path / "warehouse"}"
"""
    dataops_config.write_text(config)
    key = unique("production")
    deploy = tmp_path / "deploy"
    (deploy / "steps").mkdir(parents=True)
    (deploy / "processes").mkdir()
    module = (REPO / "examples" / "steps" / "production.py").read_text()
    (deploy / "steps" / "production.py").write_text(
        module.replace('PROCESS = "sdmx_production"', f'PROCESS = "{key}"')
    )
    settings = (REPO / "processes" / "sdmx_production.toml").read_text()
    staging = tmp_path / "staging"
    (deploy / "processes" / f"{key}.toml").write_text(f'staging_dir = "{staging}"\n{settings}')
    shutil.copy(
        REPO / "processes" / "sdmx_production.schema.json", deploy / "processes" / f"{key}.schema.json"
    )
    usd = dataops.read_file(samples / "M.USD.EUR.SP00.A.xml", structure=samples / "structure-full.xml")
    usd = usd[usd["TIME_PERIOD"].astype(str) >= "2018-06"]

    def lay_out(jump: tuple[str, str, float] | None = None) -> None:
        partners = _partners(usd, jump)
        partners.insert(0, "DATAFLOW", "ECB:EXR(1.0)")
        partners.to_csv(files / "EXR-partners.csv", index=False)

    return {
        "key": key,
        "config": config,
        "lay_out": lay_out,
        "usd": usd,
        "deploy": deploy,
        "staging": staging,
        "logs": tmp_path / "logs",
    }


@pytest.fixture
def production(sample, tmp_path, engine, engine_url):
    """The sample deployed to the engine; ``start`` lays the input out and starts a worker serving
    the steps."""
    key, deploy = sample["key"], sample["deploy"]
    bpmn = (REPO / "processes" / "sdmx_production.bpmn").read_text()
    engine.publish({f"{key}.bpmn": bpmn.replace("sdmx_production", key).encode()}, name=key)

    def start(jump: tuple[str, str, float] | None = None) -> WorkerProcess:
        sample["lay_out"](jump)
        return WorkerProcess(
            engine_url, deploy / "steps", tmp_path / "logs", unique("w-prod"), config=sample["config"]
        )

    return {**sample, "start": start}


def _expected(usd: pd.DataFrame, settings: dict) -> list[tuple[str, float]]:
    """The index computed here from the generated input: 100 × Π (rate / base rate) ** (w / Σw)."""
    start = settings["start_period"]
    series = {"USD": dict(zip(usd["TIME_PERIOD"].astype(str), usd["OBS_VALUE"], strict=True))}
    for code, frame in _partners(usd).groupby("CURRENCY"):
        series[str(code)] = dict(zip(frame["TIME_PERIOD"].astype(str), frame["OBS_VALUE"], strict=True))
    weights = {c: w for c, w in settings["weights"].items() if c in series}
    total = sum(weights.values())
    base = settings["base_period"]
    periods = sorted(p for p in series["USD"] if p >= start)
    return [
        (
            p,
            round(
                100 * math.prod((series[c][p] / series[c][base]) ** (w / total) for c, w in weights.items()),
                4,
            ),
        )
        for p in periods
    ]


def _ended(engine, run_id):
    run = engine.run(run_id)
    return run if run.status is RunStatus.COMPLETED else None


async def test_a_run_writes_the_weighted_aggregate_as_a_vintage_the_rest_endpoint_serves(
    production, engine, jp_fetch
):
    settings = tomllib.loads((REPO / "processes" / "sdmx_production.toml").read_text())
    with production["start"]():
        started = engine.start(
            production["key"], {"flow": "EXR", "period": "2026-10"}, business_key="EXR-2026-10"
        )
        dry = engine.start(production["key"], {"flow": "EXR", "period": "2026-10", "dry_run": True})
        run = wait_until(lambda: _ended(engine, started.id), timeout=120, what="the production run")
        dry_run = wait_until(lambda: _ended(engine, dry.id), timeout=120, what="the dry run")
    assert run.end_activity_id == "end" and dry_run.end_activity_id == "end"
    assert "vintage" not in {v.name for v in engine.variables(dry_run.id)}  # a dry run writes nothing
    assert not (production["staging"] / production["key"] / dry_run.id).exists()  # nor keeps its files
    vintage = {v.name: v.value for v in engine.variables(run.id)}["vintage"]
    assert vintage["source"] == "STORE" and vintage["flow"] == "EXR" and vintage["tag"] == f"run {run.id}"
    assert vintage["key"] == "M.E5.EUR.EN00.A"

    expected = _expected(production["usd"], settings)
    assert len(expected) == 12  # the sample ends in 2019-12
    stored = dataops.read("STORE", "EXR", key=vintage["key"], as_of=vintage["tag"])
    got = list(zip(stored["TIME_PERIOD"].astype(str), stored["OBS_VALUE"], strict=True))
    assert [p for p, _ in got] == [p for p, _ in expected]
    assert all(v == pytest.approx(e, abs=1e-4) for (_, v), (_, e) in zip(got, expected, strict=True))
    assert expected[0][1] == 100.0  # the base period
    [written] = dataops.vintages("STORE", "EXR").to_dict("records")
    assert written["origin"]["run_id"] == run.id and str(written["snapshot_id"]) == vintage["snapshot_id"]
    assert run.id in written["message"] and written["rows_written"] == 12

    # The REST path the run view links to serves that vintage (asOf), and updatedAfter finds it.
    path, _, query = vintage["rest_path"].partition("?")
    assert query.startswith("asOf=")
    structure = dataops.structure("STORE", "EXR")

    async def rest(*segments: str, **params: str) -> list[tuple[str, float]]:
        response = await jp_fetch(*segments, params=params, headers={"Accept": CSV_10})
        table = read_data(response.body, structure)
        return list(
            zip(table.column("TIME_PERIOD").to_pylist(), table.column("OBS_VALUE").to_pylist(), strict=True)
        )

    segments = path.split("/")
    assert await rest(*segments, asOf=vintage["committed_at"]) == got
    before = pd.Timestamp(vintage["committed_at"]) - pd.Timedelta(milliseconds=1)
    assert (
        await rest("dataops", "sdmx", "STORE", "data", "EXR", vintage["key"], updatedAfter=before.isoformat())
        == got
    )
    # The store holds nothing older: asOf before the vintage finds no data.
    with pytest.raises(Exception, match="404"):
        await rest(*segments, asOf=before.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")

    # Run again, the disseminate step writes no second vintage: it finds the one it wrote.
    spec = importlib.util.spec_from_file_location(
        "production_again", production["deploy"] / "steps" / "production.py"
    )
    assert spec is not None and spec.loader is not None
    steps = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(steps)
    config = tomllib.loads((production["deploy"] / "processes" / f"{production['key']}.toml").read_text())
    task = Task(id="again", topic="", run_id=run.id, business_key="EXR-2026-10", config=config)
    again = steps.disseminate(config=config, task=task, aggregate_series=vintage["key"])
    assert again["vintage"] == vintage
    assert len(dataops.vintages("STORE", "EXR")) == 1


def test_a_series_that_jumps_more_than_the_threshold_rejects_the_run_naming_it(production, engine):
    with production["start"](jump=("JPY", "2019-06", 1.5)):
        started = engine.start(
            production["key"], {"flow": "EXR", "period": "2026-10"}, business_key="EXR-jump"
        )
        run = wait_until(lambda: _ended(engine, started.id), timeout=120, what="the rejected run")
    assert run.end_activity_id == "end_rejected"
    activities = [a.activity_id for a in engine.activities(run.id)]
    assert "quarantine" in activities and "aggregate" not in activities and "disseminate" not in activities
    rejection = {v.name: v.value for v in engine.variables(run.id)}["rejection"]
    assert rejection.startswith("The input of EXR is rejected: series M.JPY.EUR.SP00.A moves from ")
    assert " in 2019-05 to " in rejection and " in 2019-06 (+" in rejection
    assert f"(the largest change {production['key']} 1.0.0 allows is 10%)" in rejection
    warnings = [r.message for r in LogStore(production["logs"]).read(run.id) if r.level == "WARNING"]
    assert any("M.JPY.EUR.SP00.A" in w for w in warnings)
    # Nothing was written, and the input is kept aside with the reason.
    assert dataops.vintages("STORE", "EXR").empty
    kept = production["staging"] / production["key"] / "quarantine" / run.id
    assert (kept / "rejection.txt").read_text().strip() == rejection
    assert (kept / "input.parquet").exists()


def test_a_code_outside_the_structure_rejects_the_input_naming_it(production):
    """A provider that answers with a code the dataflow's codelist lacks: validate throws the BPMN error."""
    production["lay_out"]()  # no worker: the steps run here, as a worker would run them
    spec = importlib.util.spec_from_file_location(
        "production_codes", production["deploy"] / "steps" / "production.py"
    )
    assert spec is not None and spec.loader is not None
    steps = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(steps)
    config = tomllib.loads((production["deploy"] / "processes" / f"{production['key']}.toml").read_text())
    task = Task(id="t", topic="", run_id="codes", config=config, config_version=f"{production['key']} 1.0.0")
    steps.fetch(config=config, task=task, flow="EXR", period="2019-12")
    staged = production["staging"] / production["key"] / "codes" / "input.parquet"
    frame = pd.read_parquet(staged)
    frame.loc[frame["CURRENCY"] == "GBP", "CURRENCY"] = "ZZZ"
    frame.to_parquet(staged, index=False)
    with pytest.raises(BpmnError) as rejected:
        steps.validate(config=config, task=task)
    assert rejected.value.code == "VALIDATION_FAILED"
    assert rejected.value.message == (
        "The input of EXR is rejected: CURRENCY 'ZZZ' is not a code of CL_CURRENCY "
        "(every code in its codelist in ECB_EXR1)."
    )


def test_two_attempts_writing_at_once_both_return_the_vintage_the_first_committed(sample, monkeypatch):
    """A lock that expires mid-write hands the disseminate task to a second worker while the first
    still writes: both find no vintage yet, both write; the one that loses the race for the tag
    returns the vintage the other committed instead of failing as an incident."""
    sample["lay_out"]()
    spec = importlib.util.spec_from_file_location(
        "production_race", sample["deploy"] / "steps" / "production.py"
    )
    assert spec is not None and spec.loader is not None
    steps = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(steps)
    config = tomllib.loads((sample["deploy"] / "processes" / f"{sample['key']}.toml").read_text())
    task = Task(id="t", topic="", run_id="race", config=config, config_version=f"{sample['key']} 1.0.0")
    steps.fetch(config=config, task=task, flow="EXR", period="2019-12")
    steps.validate(config=config, task=task)
    series = steps.aggregate(config=config, task=task)["aggregate_series"]

    # Both attempts look for the tag before either writes (the real function, then a meeting point).
    real_vintages, met = dataops.vintages, threading.Barrier(2, timeout=60)
    looked: set[int] = set()

    def vintages(source: str, flow: str) -> pd.DataFrame:
        found = real_vintages(source, flow)
        if threading.get_ident() not in looked:
            looked.add(threading.get_ident())
            met.wait()
        return found

    monkeypatch.setattr(dataops, "vintages", vintages)
    with ThreadPoolExecutor(2) as pool:
        attempts = [
            pool.submit(
                steps.disseminate,
                config=config,
                task=Task(id=f"attempt {n}", topic="", run_id="race", config=config),
                aggregate_series=series,
            )
            for n in (1, 2)
        ]
        first, second = (a.result(timeout=120)["vintage"] for a in attempts)
    assert first == second
    [written] = real_vintages("STORE", "EXR").to_dict("records")
    assert written["tags"] == ["run race"] and str(written["snapshot_id"]) == first["snapshot_id"]
    assert first["rows"] == written["rows_written"] == 12
    stored = dataops.read("STORE", "EXR", key=series, as_of="run race")
    assert len(stored) == 12
