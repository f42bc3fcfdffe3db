"""Bad input to the store: each a sentence naming what and where, and nothing half-written."""

from __future__ import annotations

import socket
from pathlib import Path

import pandas as pd
import pytest

import dataops
from dataops.errors import (
    InvalidData,
    InvalidInput,
    StoreUnwritable,
    UnknownDataflow,
    UnknownVintage,
    Unreachable,
)
from tests.store.fixtures import frame, store_config

GOOD = [("A", "DE", "GDP", "2023", 1.0)]


def _nothing_written() -> None:
    assert dataops.vintages("STORE", "NA").empty


def test_an_unknown_dataflow_is_named_with_the_source_and_what_it_has(store_env):
    with pytest.raises(UnknownDataflow, match=r"The store source STORE has no dataflow 'GDP' \(it has: NA\)"):
        dataops.write("STORE", "GDP", frame(GOOD))


def test_a_frame_not_in_read_shape_names_the_missing_and_unknown_columns(store_env):
    bad = frame(GOOD).drop(columns=["REF_AREA"]).assign(COUNTRY="DE")

    with pytest.raises(InvalidInput) as err:
        dataops.write("STORE", "NA", bad)

    assert (
        "lacks the column(s) REF_AREA" in err.value.message
        and "COUNTRY are not components of DSD_NA" in err.value.message
    )
    _nothing_written()


def test_codes_outside_the_codelist_are_refused_row_by_row_and_nothing_lands(store_env):
    rows = [("A", "DE", "GDP", "2022", 1.0), ("A", "XX", "GDP", "2023", 2.0), ("A", "DE", "GNP", "2023", 2.0)]

    with pytest.raises(InvalidData) as err:
        dataops.write("STORE", "NA", frame(rows))

    assert err.value.message.startswith(
        "Nothing was written to Dataflow TEST:NA of the store source STORE: row 1, column REF_AREA, value 'XX': not a code of CL_AREA (and 1 more)"
    )
    assert err.value.details == [
        {"row": 1, "column": "REF_AREA", "value": "XX", "rule": "not a code of CL_AREA"},
        {"row": 2, "column": "INDICATOR", "value": "GNP", "rule": "not a code of CL_INDICATOR"},
    ]
    _nothing_written()


def test_a_frame_with_categorical_columns_as_read_returns_is_checked_alike(store_env):
    rows = [("A", "DE", "GDP", "2022", 1.0), ("A", "XX", "GDP", "2023", 2.0), ("A", "DE", "GNP", "2023", 2.0)]
    as_read = frame(rows).astype({c: "category" for c in ("FREQ", "REF_AREA", "INDICATOR", "OBS_STATUS")})

    with pytest.raises(InvalidData) as err:
        dataops.write("STORE", "NA", as_read)

    assert err.value.details == [
        {"row": 1, "column": "REF_AREA", "value": "XX", "rule": "not a code of CL_AREA"},
        {"row": 2, "column": "INDICATOR", "value": "GNP", "rule": "not a code of CL_INDICATOR"},
    ]
    _nothing_written()


def test_an_observation_given_twice_out_of_order_is_named_at_its_second_row(store_env):
    rows = [("A", "DE", "GDP", "2023", 1.0), ("A", "FR", "GDP", "2022", 2.0), ("A", "DE", "GDP", "2023", 3.0)]

    with pytest.raises(InvalidData) as err:
        dataops.write("STORE", "NA", frame(rows))

    assert err.value.details == [
        {
            "row": 2,
            "column": "TIME_PERIOD",
            "value": "2023",
            "rule": "the same observation appears twice in this write",
        }
    ]
    _nothing_written()


@pytest.mark.parametrize(
    ("change", "column", "rule"),
    [
        (lambda df: df.assign(TIME_PERIOD=["2023-Q1"]), "TIME_PERIOD", "not a period of frequency A"),
        (lambda df: df.assign(TIME_PERIOD=["last year"]), "TIME_PERIOD", "not an SDMX time period"),
        (lambda df: df.assign(OBS_VALUE=["1,5 bn"]), "OBS_VALUE", "OBS_VALUE must be a number or missing"),
        (
            lambda df: df.assign(OBS_STATUS=[None]),
            "OBS_STATUS",
            "the mandatory attribute OBS_STATUS is missing",
        ),
        (lambda df: pd.concat([df, df]), "TIME_PERIOD", "the same observation appears twice in this write"),
        (lambda df: df.assign(REF_AREA=[None]), "REF_AREA", "a dimension needs a code"),
        (
            lambda df: pd.concat([df, df.assign(TIME_PERIOD=[None])]).astype({"REF_AREA": "category"}),
            "TIME_PERIOD",
            "an observation needs a time period",
        ),
    ],
)
def test_each_rule_is_checked_before_anything_is_committed(store_env, change, column, rule):
    dataops.write("STORE", "NA", frame([("A", "FR", "GDP", "2020", 1.0)]))

    with pytest.raises(InvalidData) as err:
        dataops.write("STORE", "NA", change(frame(GOOD)))

    assert err.value.details[0]["column"] == column and err.value.details[0]["rule"] == rule
    assert len(dataops.vintages("STORE", "NA")) == 1


def test_an_unknown_vintage_name_lists_the_named_ones(store_env):
    dataops.write("STORE", "NA", frame(GOOD), vintage="2026-11 release")

    with pytest.raises(
        UnknownVintage, match=r"no vintage named '2026-12 release' \(named vintages: '2026-11 release'\)"
    ):
        dataops.read("STORE", "NA", as_of="2026-12 release")


def test_as_of_on_a_source_that_keeps_no_vintages_says_so(dataops_config, shared_dir):
    dataops_config.write_text(
        f'[[sources]]\nid = "FOLDER"\nname = "f"\napi = "files"\nurl = "{shared_dir / "sdmx-samples" / "ECB_EXR"}"\n'
    )

    with pytest.raises(InvalidInput, match="only store sources keep; FOLDER is a files source"):
        dataops.read("FOLDER", "ECB_EXR1", as_of="2026-11 release")


def test_an_unreachable_catalog_is_named_by_host_and_port(dataops_config, tmp_path: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    store_config(tmp_path, uri=f"postgresql://writer@127.0.0.1:{port}/store", path=dataops_config)

    with pytest.raises(Unreachable) as err:
        dataops.write("STORE", "NA", frame(GOOD))

    assert err.value.message.startswith(
        f"The store's SQL catalog at postgresql://127.0.0.1:{port}/store cannot be reached: "
    )
    assert "Connection refused" in err.value.message


def test_a_warehouse_that_is_not_a_folder_is_named_and_no_table_is_left(dataops_config, tmp_path: Path):
    # Root writes anywhere, so the unwritable place is a path through a regular file, which no one can create.
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    store_config(tmp_path, warehouse=str(blocker / "warehouse"), path=dataops_config)

    with pytest.raises(StoreUnwritable) as err:
        dataops.write("STORE", "NA", frame(GOOD))

    assert str(blocker) in err.value.message and "is a folder and is writable" in err.value.message
    _nothing_written()


def test_a_write_whose_data_files_cannot_be_written_leaves_the_last_vintage_intact(store_env: Path):
    dataops.write("STORE", "NA", frame(GOOD), message="kept")
    data = store_env / "warehouse" / "TEST" / "NA" / "data"
    moved = data.rename(store_env / "data-moved")
    data.write_text("a file where the data folder was")

    with pytest.raises(StoreUnwritable) as err:
        dataops.write("STORE", "NA", frame([("A", "FR", "GDP", "2023", 9.0)]), message="lost")

    assert str(data) in err.value.message
    data.unlink()
    moved.rename(data)
    assert list(dataops.vintages("STORE", "NA")["message"]) == ["kept"]
    assert list(dataops.read("STORE", "NA")["REF_AREA"]) == ["DE"]
