"""SDMX periods as date ranges."""

from __future__ import annotations

from datetime import date

import pytest

from dataops.sdmx.periods import PeriodFilter, period_range, sort_key


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-A1", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-S2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024-T2", date(2024, 5, 1), date(2024, 8, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-M02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2020-W01", date(2019, 12, 30), date(2020, 1, 5)),
        ("2024-D060", date(2024, 2, 29), date(2024, 2, 29)),
        ("2024-D001", date(2024, 1, 1), date(2024, 1, 1)),
        ("2024-03-31", date(2024, 3, 31), date(2024, 3, 31)),
        ("2024-03-31T14:15:00+01:00", date(2024, 3, 31), date(2024, 3, 31)),
        ("2024-01-01T00:00:00/P1D", date(2024, 1, 1), date(2024, 1, 1)),
        ("2024-01-01/P7D", date(2024, 1, 1), date(2024, 1, 1)),
    ],
)
def test_period_range(period, first, last):
    assert period_range(period) == (first, last)


@pytest.mark.parametrize("text", ["2024-Q5", "2024-13", "2024-W54", "yesterday", "2023-D366", ""])
def test_not_a_period(text):
    assert period_range(text) is None


def test_filter_keeps_whole_periods_inside_the_bounds():
    bounds = PeriodFilter("2024-02", "2024-Q3")
    assert [
        p for p in ["2024-Q1", "2024-Q2", "2024-Q3", "2024-01", "2024-02", "2024-09-30"] if bounds.keeps(p)
    ] == [
        "2024-Q2",
        "2024-Q3",
        "2024-02",
        "2024-09-30",
    ]


def test_chronological_order_is_not_text_order():
    assert sorted(["2024-W10", "2024-W02", "2024-03", "2023"], key=sort_key) == [
        "2023",
        "2024-W02",
        "2024-03",
        "2024-W10",
    ]


def test_an_end_alone_drops_the_periods_that_end_after_it():
    bounds = PeriodFilter(None, "2024-Q1")
    periods = ["2023", "2024-03", "2024-04", "2024", "2024-03-31"]
    assert [p for p in periods if bounds.keeps(p)] == ["2023", "2024-03", "2024-03-31"]


def test_a_start_alone_drops_the_periods_that_begin_before_it():
    bounds = PeriodFilter("2024", None)
    assert [p for p in ["2023", "2023-12", "2024-01", "2024"] if bounds.keeps(p)] == ["2024-01", "2024"]


def test_an_unreadable_period_is_kept_and_an_unreadable_bound_bounds_nothing():
    assert PeriodFilter("2024", "2024").keeps("n/a")
    assert not PeriodFilter("soon", None).active and not PeriodFilter(None, "later").active
    assert PeriodFilter(None, "later").keeps("1999")


def test_unreadable_periods_sort_after_the_readable_ones():
    assert sorted(["later", "2024", "2023-Q4", "earlier"], key=sort_key) == [
        "2023-Q4",
        "2024",
        "earlier",
        "later",
    ]
