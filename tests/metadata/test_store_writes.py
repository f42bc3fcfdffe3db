"""The store checks every write against the allowed constraints of the environment it belongs to:
store sources whose structures come from ``deploy/dev`` and ``deploy/test`` of a real deployment
repository built from ECB's EXR structures, written to through `dataops.write` on a real catalog."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyarrow as pa
import pytest

import dataops
from dataops.errors import ConfigError, InvalidData
from dataops.metadata import CubeRegion, save
from dataops.sdmx.readers import read_data
from tests.metadata.store_config import store_sources


@pytest.fixture
def usd(deployment: Path, samples: Path, dataops_config: Path, tmp_path: Path) -> pa.Table:
    """ECB's monthly USD per EUR series, read with the structure the registry resolves."""
    store_sources(
        dataops_config, tmp_path, {"DEV": (deployment, "deploy/dev"), "TEST": (deployment, "deploy/test")}
    )
    _, dsd = dataops.metadata.Registry.at_revision(deployment, "deploy/test").structure_for("ECB:EXR")
    return read_data(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", dsd)


def test_a_code_the_narrowed_constraint_refuses_lands_in_dev_not_in_test(usd):
    with pytest.raises(InvalidData) as refused:
        dataops.write("TEST", "ECB:EXR", usd, message="USD per EUR")

    assert refused.value.message.startswith(
        "Nothing was written to Dataflow ECB:EXR of the store source TEST: row 0, column CURRENCY, value "
        "'USD': the allowed constraint ECB:EXR_CONSTRAINTS(2.0.0) of dataflow ECB:EXR(1.0) does not "
        "allow 'USD' for CURRENCY"
    )
    assert refused.value.details[0] == {
        "row": 0,
        "column": "CURRENCY",
        "value": "USD",
        "rule": "the allowed constraint ECB:EXR_CONSTRAINTS(2.0.0) of dataflow ECB:EXR(1.0) does not "
        "allow 'USD' for CURRENCY",
    }
    assert dataops.vintages("TEST", "EXR").empty  # nothing committed

    landed = dataops.write("DEV", "ECB:EXR", usd, message="USD per EUR")

    assert landed.rows == usd.num_rows
    back = dataops.read("DEV", "ECB:EXR", "M.USD.EUR.SP00.A")
    assert len(back) == usd.num_rows and set(back["CURRENCY"]) == {"USD"}


def test_rows_the_constraint_allows_land_in_test_and_deleting_refused_codes_is_allowed(usd):
    dataops.write("DEV", "ECB:EXR", usd)
    yen = usd.set_column(usd.schema.get_field_index("CURRENCY"), "CURRENCY", pa.array(["JPY"] * usd.num_rows))
    dataops.write("TEST", "ECB:EXR", yen)  # JPY is still allowed in test
    deleting = usd.slice(0, 1).append_column("ACTION", pa.array(["D"]))

    dataops.write("TEST", "ECB:EXR", deleting)  # removing data the constraint no longer allows

    remaining = dataops.read("TEST", "ECB:EXR", "M.USD.EUR.SP00.A")
    assert len(remaining) == usd.num_rows - 1


def test_a_store_source_names_its_structures_in_one_place(deployment, dataops_config, tmp_path):
    store_sources(
        dataops_config, tmp_path, {"DEV": (deployment, "deploy/dev"), "TEST": (deployment, "deploy/test")}
    )
    with dataops_config.open("a") as out:
        out.write(f'[[sources]]\nid = "BOTH"\nname = "x"\napi = "store"\nmetadata = "{deployment}"\n')
        out.write(f'structures = "{deployment}"\n')

    with pytest.raises(ConfigError, match="names both structures and metadata"):
        dataops.write("BOTH", "ECB:EXR", pa.table({"FREQ": ["M"]}))


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "lands"),
    [("", "2000-12-31", True), ("2100-01-01", "", True), ("2000-01-01", "2100-12-31", False)],
)
def test_a_constraint_binds_writes_only_within_its_validity_period(
    ecb_folder, samples, dataops_config, tmp_path, valid_from, valid_to, lands
):
    registry = dataops.metadata.Registry.open(ecb_folder)
    con = registry.get("dataconstraint", "ECB", "EXR_CONSTRAINTS")
    (region,) = con.regions
    kvs = tuple(
        dataclasses.replace(kv, values=tuple(c for c in kv.values if c != "USD"))
        if kv.id == "CURRENCY"
        else kv
        for kv in region.key_values
    )
    narrowed = dataclasses.replace(
        con, version="2.0.0", valid_from=valid_from, valid_to=valid_to, regions=(CubeRegion(True, kvs),)
    )
    save(ecb_folder, narrowed)
    store_sources(dataops_config, tmp_path, {"STORE": (ecb_folder, "")})
    _, dsd = registry.structure_for("ECB:EXR")
    usd = read_data(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", dsd)

    if lands:
        assert dataops.write("STORE", "ECB:EXR", usd).rows == usd.num_rows
    else:
        with pytest.raises(InvalidData, match=r"ECB:EXR_CONSTRAINTS\(2\.0\.0\) .* does not allow 'USD'"):
            dataops.write("STORE", "ECB:EXR", usd)
