"""A store source on a real SQLite catalog and warehouse folder, with a small national-accounts
dataflow whose structure message is written by dataops itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from dataops.sdmx.model import Attribute, Dataflow, Dimension, Structure
from dataops.sdmx.structure_writers import write_structures_ml

AREAS = ["DE", "FR", "IT", "ES", "NL"]


def codes(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "name": ids})


def structure() -> Structure:
    """DSD_NA: FREQ (A, Q, M), REF_AREA, INDICATOR; OBS_STATUS mandatory, UNIT_MULT optional."""
    return Structure(
        "DSD_NA",
        "TEST",
        "1.0",
        "National accounts",
        [
            Dimension("FREQ", "Frequency", codes(["A", "Q", "M"]), 0, "CL_FREQ"),
            Dimension("REF_AREA", "Area", codes(AREAS), 1, "CL_AREA"),
            Dimension("INDICATOR", "Indicator", codes(["GDP", "CPI"]), 2, "CL_INDICATOR"),
        ],
        "TIME_PERIOD",
        [
            Attribute("OBS_STATUS", "Observation status", "observation", mandatory=True),
            Attribute("UNIT_MULT", "Unit multiplier", "series"),
        ],
    )


def write_structures(path: Path) -> Path:
    """The structure message of dataflow TEST:NA, written to ``path``."""
    flow = Dataflow("NA", "TEST", "1.0", "National accounts", "DSD_NA", "TEST", "1.0")
    path.write_bytes(write_structures_ml([structure()], True, "2.1", [flow]))
    return path


def frame(rows: list[tuple[str, str, str, str, float | None]], status: str = "A") -> pd.DataFrame:
    """A frame in read shape from (FREQ, REF_AREA, INDICATOR, TIME_PERIOD, OBS_VALUE) rows."""
    return pd.DataFrame(
        {
            "FREQ": [r[0] for r in rows],
            "REF_AREA": [r[1] for r in rows],
            "INDICATOR": [r[2] for r in rows],
            "TIME_PERIOD": [r[3] for r in rows],
            "OBS_VALUE": [r[4] for r in rows],
            "OBS_STATUS": [status] * len(rows),
        }
    )


def store_config(tmp: Path, uri: str = "", warehouse: str = "", path: Path | None = None) -> str:
    """A dataops configuration with one store source (written to ``path``, by default
    ``tmp/config.toml``); returns the file's path."""
    structures = write_structures(tmp / "structures.xml")
    lines = [
        "[store]",
        f'uri = "{uri or "sqlite:///" + str(tmp / "catalog.db")}"',
        f'warehouse = "{warehouse or tmp / "warehouse"}"',
        "buckets = 4",
        "[data]",
        "presets = false",
        "[[sources]]",
        'id = "STORE"',
        'name = "Series store"',
        'api = "store"',
        f'structures = "{structures}"',
    ]
    path = path or tmp / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def store_env(dataops_config: Path, tmp_path: Path) -> Iterator[Path]:
    """The administrator's configuration naming a store source STORE on SQLite in ``tmp_path``."""
    store_config(tmp_path, path=dataops_config)
    yield tmp_path
