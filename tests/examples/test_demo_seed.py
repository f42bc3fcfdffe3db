"""The demo's first start (scripts/demo_seed.py) against the real engine and a worker serving
examples/steps with the demo's configuration: three completed production runs, each a vintage in
the store beside the three sample vintages, and one run stopped at an incident."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dataops
from dataops.workflows.models import RunStatus
from tests.workflows.support import WorkerProcess, wait_until

REPO = Path(__file__).resolve().parents[2]
PERIODS = ("2019-10", "2019-11", "2019-12")


def _seed_module():
    spec = importlib.util.spec_from_file_location("demo_seed", REPO / "scripts" / "demo_seed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_starts_with_three_completed_production_runs_and_one_incident(
    tmp_path, dataops_config, shared_dir, engine, engine_url, monkeypatch
):
    # The demo's layout (scripts/demo.sh): the SAMPLES files source, the STORE, the engine.
    demo = tmp_path / "demo"
    samples = shared_dir / "sdmx-samples" / "ECB_EXR" / "1"
    exr = demo / "sdmx" / "EXR"
    exr.mkdir(parents=True)
    (exr / "structure.xml").symlink_to(samples / "structure-full.xml")
    (exr / "M.USD.EUR.SP00.A.xml").symlink_to(samples / "M.USD.EUR.SP00.A.xml")
    config = f"""
[[sources]]
id = "SAMPLES"
name = "SDMX sample messages (local files)"
url = "{demo / "sdmx"}"
api = "files"

[[sources]]
id = "STORE"
name = "Series store (vintages)"
api = "store"
structures = "{exr / "structure.xml"}"

[store]
uri = "sqlite:///{demo / "store" / "catalog.db"}"
warehouse = "{demo / "store" / "warehouse"}"

[workflows]
engine_url = "{engine_url}"
log_dir = "{demo / "run-logs"}"
"""
    dataops_config.write_text(config)
    monkeypatch.setenv("DATAOPS_SAMPLE_FIXES", str(demo / "fixes"))  # the calendar stays closed
    seed = _seed_module()
    seed.seed_store(demo)
    with WorkerProcess(engine_url, REPO / "examples" / "steps", demo / "run-logs", "w-demo", config=config):
        seed.seed_runs(True)

        def ended() -> dict[str, RunStatus] | None:
            found = {
                f"EXR-{p}": r.status
                for p in PERIODS
                for r in engine.runs(definition_key="sdmx_production", business_key=f"EXR-{p}").items
            }
            failing = engine.runs(definition_key="sdmx_failing_step", business_key="EXR-2026-10").items
            found.update({f"failing {r.id}": r.status for r in failing})
            settled = len(found) == 4 and all(s is not RunStatus.RUNNING for s in found.values())
            return found if settled else None

        statuses = wait_until(ended, timeout=180, what="the demo's runs")
    assert sorted(statuses.items())[:3] == [
        ("EXR-2019-10", RunStatus.COMPLETED),
        ("EXR-2019-11", RunStatus.COMPLETED),
        ("EXR-2019-12", RunStatus.COMPLETED),
    ]
    assert [s for k, s in statuses.items() if k.startswith("failing")] == [RunStatus.INCIDENT]
    vintages = dataops.vintages("STORE", "EXR")
    named = [tags[0] for tags in vintages["tags"] if len(tags)]
    assert named[:2] == ["2019-10 release", "2019-11 release"]
    runs = vintages[vintages["tags"].apply(lambda tags: any(t.startswith("run ") for t in tags))]
    assert len(runs) == 3 and len(vintages) == 6
    # Each release's aggregate reaches its own period: 10, 11 and 12 months of 2019.
    assert sorted(runs["rows_written"]) == [10, 11, 12]
    assert len(dataops.read("STORE", "EXR", key="M.E5.EUR.EN00.A")) == 12
