"""Vintages: reading as of a name or a time, changes since, the revision triangle, diff, expiry."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

import dataops
from dataops.cli import main
from dataops.errors import UnknownVintage
from tests.store.fixtures import frame


@pytest.fixture
def three_releases(store_env):
    dataops.write(
        "STORE",
        "NA",
        frame([("A", "DE", "GDP", "2022", 1.0), ("A", "DE", "GDP", "2023", 2.0)]),
        vintage="2026-09 release",
    )
    time.sleep(0.01)  # distinct commit times, so a point in time between two writes names the first
    between = datetime.now(UTC)
    time.sleep(0.01)
    dataops.write(
        "STORE",
        "NA",
        frame([("A", "DE", "GDP", "2023", 2.2), ("A", "FR", "GDP", "2023", 5.0)]),
        vintage="2026-10 release",
    )
    dataops.write(
        "STORE",
        "NA",
        frame([("A", "DE", "GDP", "2023", 2.4), ("A", "DE", "GDP", "2024", 3.0)]),
        message="unreleased",
    )
    return between


def test_as_of_reads_a_named_vintage_a_point_in_time_or_the_latest(three_releases):
    def values(**kw):
        return list(dataops.read("STORE", "NA", "A.DE.GDP", **kw)["OBS_VALUE"])

    assert values(as_of="2026-09 release") == [1.0, 2.0]
    assert values(as_of="2026-10 release") == [1.0, 2.2]
    assert values(as_of=three_releases.isoformat()) == [1.0, 2.0]
    assert values() == [1.0, 2.4, 3.0]
    read = dataops.read("STORE", "NA", as_of="2026-10 release").attrs["sdmx"]["vintage"]
    assert read["tags"] == ["2026-10 release"] and read["total_rows"] == 3


def test_updated_after_gives_the_observations_added_or_revised_since(three_releases):
    df = dataops.read("STORE", "NA", updated_after=three_releases.strftime("%Y-%m-%dT%H:%M:%S.%f"))

    assert sorted(zip(df["REF_AREA"], df["TIME_PERIOD"], df["OBS_VALUE"], strict=True)) == [
        ("DE", "2023", 2.4),
        ("DE", "2024", 3.0),
        ("FR", "2023", 5.0),
    ]


def test_vintages_list_tags_in_commit_order(three_releases):
    vintages = dataops.vintages("STORE", "NA")

    assert [t for t in vintages["tags"]] == [["2026-09 release"], ["2026-10 release"], []]
    assert list(vintages["total_rows"]) == [2, 3, 4]


def test_revisions_give_the_triangle_of_one_series(three_releases):
    triangle = dataops.revisions("STORE", "NA", "A.DE.GDP")

    assert list(triangle.columns)[:2] == ["2026-09 release", "2026-10 release"]
    assert triangle.loc[("A.DE.GDP", "2023")].tolist() == [2.0, 2.2, 2.4]
    assert triangle.loc[("A.DE.GDP", "2022")].tolist() == [1.0, 1.0, 1.0]
    assert triangle.loc[("A.DE.GDP", "2024")].isna().tolist() == [True, True, False]


def test_diff_lists_observations_added_changed_and_removed(three_releases):
    dataops.write("STORE", "NA", frame([("A", "FR", "GDP", "2023", None)]), action="delete")  # type: ignore[list-item]

    changes = dataops.diff("STORE", "NA", "2026-10 release")

    rows = sorted(
        zip(
            changes["REF_AREA"],
            changes["TIME_PERIOD"],
            changes["change"],
            changes["OBS_VALUE_after"],
            strict=True,
        )
    )
    assert rows[0] == ("DE", "2023", "changed", 2.4)
    assert rows[1] == ("DE", "2024", "added", 3.0)
    assert rows[2][:3] == ("FR", "2023", "removed")


def test_a_vintage_name_is_never_reused(three_releases):
    with pytest.raises(dataops.errors.InvalidInput, match="already has a vintage named '2026-09 release'"):
        dataops.write("STORE", "NA", frame([("A", "IT", "GDP", "2023", 1.0)]), vintage="2026-09 release")

    assert len(dataops.vintages("STORE", "NA")) == 3


def test_expire_drops_old_snapshots_but_keeps_every_tagged_vintage(three_releases, capsys):
    dataops.write("STORE", "NA", frame([("A", "IT", "GDP", "2024", 1.0)]), message="latest")

    assert main(["store", "expire", "--older-than", "2999-01-01"]) == 0

    vintages = dataops.vintages("STORE", "NA")
    assert "STORE:TEST:NA:" in capsys.readouterr().out
    assert list(vintages["message"]) == ["", "", "latest"]  # "unreleased" was expired
    assert [t for t in vintages["tags"]] == [["2026-09 release"], ["2026-10 release"], []]
    assert list(dataops.read("STORE", "NA", "A.DE.GDP", as_of="2026-09 release")["OBS_VALUE"]) == [1.0, 2.0]
    with pytest.raises(UnknownVintage):
        dataops.read("STORE", "NA", as_of=str(three_releases.year - 5))
