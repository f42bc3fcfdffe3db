"""First start of `make demo`: the examples in the file browser, a few production runs (completed and
one stopped at an incident), three vintages of a real series in the store, and a promotion whose
local pipeline runs, so every panel has something to show. Run by scripts/demo.sh once per demo
folder (the marker `.seeded`); DATAOPS_SYSTEM_CONFIG names the demo's configuration.

    python scripts/demo_seed.py DEMO_FOLDER [--workflows] [--store]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
from pathlib import Path

import dataops
from dataops.errors import DataOpsError

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "jupyterlab_dataops" / "examples"


def seed_examples(notebooks: Path) -> Path:
    """The example notebooks in ``notebooks/examples`` (kept when they are already there)."""
    target = notebooks / "examples"
    target.mkdir(parents=True, exist_ok=True)
    for example in sorted(EXAMPLES.glob("*.ipynb")):
        if not (target / example.name).exists():
            shutil.copy2(example, target / example.name)
    return target


def seed_runs(production: bool) -> None:
    """Three runs of the sample production, one per month of the sample's last quarter (each writes a
    vintage of the euro's effective exchange rate to STORE), and one whose step fails until it is
    fixed, and one run of the R step's sample process. ``production``: the samples are here (the production steps read them)."""
    import dataops.workflows as wf

    if production:
        for period in ("2019-10", "2019-11", "2019-12"):
            wf.start("sdmx_production", {"flow": "EXR", "period": period}, business_key=f"EXR-{period}")
    else:
        print(
            "demo: no sample production runs: they read the SDMX samples, which are absent", file=sys.stderr
        )
    wf.start("sdmx_failing_step", {"flow": "EXR", "period": "2026-10"}, business_key="EXR-2026-10")
    wf.start("sdmx_r_summary", {"flow": "EXR"}, business_key="EXR-summary-R")  # the R step


def seed_store(demo: Path) -> None:
    """Three vintages of the ECB's monthly USD/EUR rate in the STORE source (scripts/sample_vintages.py)."""
    spec = importlib.util.spec_from_file_location("sample_vintages", REPO / "scripts" / "sample_vintages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(demo / "store")


def seed_promotion(examples: Path) -> None:
    """The regression-test example promoted to dev: its local pipeline starts."""
    dataops.promote(
        str(examples / "05_regression_test.ipynb"), env="dev", message="Aggregate regression test"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("demo", type=Path)
    parser.add_argument("--workflows", action="store_true", help="the engine runs: start the sample runs")
    parser.add_argument(
        "--store", action="store_true", help="the samples are here: write the sample vintages"
    )
    args = parser.parse_args()
    examples = seed_examples(args.demo / "notebooks")
    steps = [("promotion", lambda: seed_promotion(examples))]
    if args.workflows:
        steps.insert(0, ("runs", lambda: seed_runs(args.store)))
    if args.store:
        steps.insert(0, ("store", lambda: seed_store(args.demo)))
    failed = False
    for what, step in steps:
        try:
            step()
        except DataOpsError as exc:
            print(f"demo: the sample {what} could not be prepared: {exc.message}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
