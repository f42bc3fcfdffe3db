"""How many stored series an edit that takes codes away affects: a store source whose structures
come from a working copy of ECB's EXR artefacts, real ECB data written to it, then the editors'
preview of a narrowed constraint and of a codelist without a code."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

import dataops
from dataops.errors import InvalidInput
from dataops.metadata import Registry
from dataops.metadata.affected import affected, refuse_removal
from dataops.metadata.editing import preview
from dataops.sdmx.readers import read_data
from dataops.settings import resolve
from dataops.store.usage import SeriesCounter
from tests.metadata.store_config import store_sources


@pytest.fixture
def stored(ecb_folder: Path, samples: Path, dataops_config: Path, tmp_path: Path) -> Path:
    """ECB's USD series and the same series for JPY and GBP written to the store STORE."""
    store_sources(dataops_config, tmp_path, {"STORE": (ecb_folder, "")})
    _, dsd = Registry.open(ecb_folder).structure_for("ECB:EXR")
    usd = read_data(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", dsd).to_pandas()
    frames = [usd.astype({"CURRENCY": str}).assign(CURRENCY=c) for c in ("USD", "JPY", "GBP")]
    dataops.write("STORE", "ECB:EXR", pd.concat(frames, ignore_index=True))
    return ecb_folder


def _counter() -> SeriesCounter:
    counter = SeriesCounter.from_config(resolve().config)
    assert counter is not None
    return counter


def test_a_narrowed_constraint_shows_the_series_that_use_each_code_it_drops(stored):
    registry = Registry.open(stored)
    con = registry.get("dataconstraint", "ECB", "EXR_CONSTRAINTS")
    (region,) = con.regions
    narrowed = tuple(
        dataclasses.replace(kv, values=tuple(c for c in kv.values if c not in ("USD", "CHF")))
        if kv.id == "CURRENCY"
        else kv
        for kv in region.key_values
    )
    edited = dataclasses.replace(con, regions=(dataclasses.replace(region, key_values=narrowed),))

    shown = preview(registry, edited, _counter())

    assert shown["affected"] == [  # CHF is dropped too, but no stored series uses it
        {
            "flow": "ECB:EXR",
            "dimension": "CURRENCY",
            "code": "USD",
            "series": 1,
            "examples": ["M.USD.EUR.SP00.A"],
            "sentence": "1 stored series uses USD (CURRENCY of ECB:EXR), e.g. M.USD.EUR.SP00.A",
        }
    ]


def test_a_codelist_without_a_stored_code_counts_its_series_and_is_refused(stored):
    registry = Registry.open(stored)
    flow = registry.get("dataflow", "ECB", "EXR")
    dsd = registry.resolve(flow.structure)
    currency = next(d for d in dsd.dimensions if d.id == "CURRENCY").codelist
    codelist = registry.resolve(currency)
    edited = dataclasses.replace(
        codelist, codes=tuple(c for c in codelist.codes if c.id not in ("JPY", "GBP"))
    )

    shown = preview(registry, edited, _counter())

    assert [(a["code"], a["series"], a["examples"]) for a in shown["affected"]] == [
        ("GBP", 1, ["M.GBP.EUR.SP00.A"]),
        ("JPY", 1, ["M.JPY.EUR.SP00.A"]),
    ]
    with pytest.raises(InvalidInput) as refused:
        refuse_removal(affected(registry, edited, _counter()), edited)
    assert "1 stored series uses GBP (CURRENCY of ECB:EXR), e.g. M.GBP.EUR.SP00.A" in refused.value.message


def test_without_a_store_source_nothing_is_counted(ecb_folder, dataops_config):
    assert SeriesCounter.from_config(resolve().config) is None
