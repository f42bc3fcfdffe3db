"""A narrowed allowed constraint promoted to ``test`` refuses a write that ``dev`` still takes."""

from __future__ import annotations

import dataclasses

import pyarrow as pa
import pytest

from dataops.errors import InvalidInput
from dataops.metadata import Registry, save
from dataops.sdmx.readers import read_data


def test_a_code_outside_the_narrowed_constraint_is_refused_in_test_but_lands_in_dev(deployment, samples):
    dev = Registry.at_revision(deployment, "deploy/dev")
    test = Registry.at_revision(deployment, "deploy/test")
    _, dsd = test.structure_for("ECB:EXR")
    table = read_data(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", dsd)  # real ECB data: USD per EUR
    dev.allowed("ECB:EXR").check(table)
    allowed = test.allowed("ECB:EXR")
    assert [c.version for c in allowed.constraints] == ["2.0.0"]
    with pytest.raises(InvalidInput) as caught:
        allowed.check(table)
    assert caught.value.message == (
        "Row 1: dimension CURRENCY has code 'USD', which the allowed constraint ECB:EXR_CONSTRAINTS(2.0.0) "
        "of dataflow ECB:EXR(1.0) does not allow."
    )
    assert caught.value.details["dimension"] == "CURRENCY"


def test_the_row_named_is_the_first_outside_and_nulls_are_not_checked(deployment):
    allowed = Registry.at_revision(deployment, "deploy/test").allowed("ECB:EXR")
    table = pa.table({"FREQ": ["M", "M", None], "CURRENCY": ["GBP", None, "USD"]})
    with pytest.raises(InvalidInput, match=r"^Row 3: dimension CURRENCY has code 'USD'"):
        allowed.check(table)
    with pytest.raises(InvalidInput, match=r"^Row 1: dimension FREQ has code 'W'"):
        allowed.check(pa.table({"FREQ": ["W"]}))


def test_a_constraint_not_yet_valid_does_not_apply(ecb_folder):
    registry = Registry.open(ecb_folder)
    con = registry.get("dataconstraint", "ECB", "EXR_CONSTRAINTS")
    save(ecb_folder, dataclasses.replace(con, version="1.0.1", valid_from="2100-01-01"))
    later = Registry.open(ecb_folder)
    assert later.allowed("ECB:EXR", "2099-12-31").constraints == ()
    assert [c.version for c in later.allowed("ECB:EXR", "2100-01-01").constraints] == ["1.0.1"]


def test_the_allowed_structure_lists_only_the_allowed_codes(deployment):
    test = Registry.at_revision(deployment, "deploy/test")
    _, dsd = test.structure_for("ECB:EXR")
    narrowed = test.allowed("ECB:EXR").narrow(dsd)
    assert len(dsd.dimension("CURRENCY").codes) == 355
    currencies = narrowed.dimension("CURRENCY").codes["id"].tolist()
    assert "USD" not in currencies and "GBP" in currencies and len(currencies) == 57
    assert narrowed.dimension("FREQ").codes["id"].tolist() == ["A", "D", "H", "M", "Q"]
