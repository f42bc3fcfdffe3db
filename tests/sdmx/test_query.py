"""Data queries: dataflow references, periods and observation limits are checked before any request."""

from __future__ import annotations

import pytest

from dataops.errors import InvalidInput
from dataops.sdmx.query import DataQuery, FlowRef, check_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EXR", FlowRef("EXR")),
        ("ECB,EXR,1.0", FlowRef("EXR", "ECB", "1.0")),
        ("ECB:EXR(1.0)", FlowRef("EXR", "ECB", "1.0")),
        ("OECD.SDD.NAD,DSD_NAMAIN1@DF_QNA,1.1", FlowRef("DSD_NAMAIN1@DF_QNA", "OECD.SDD.NAD", "1.1")),
        ("all,EXR,latest", FlowRef("EXR")),
        ("ECB,EXR", FlowRef("EXR", "ECB")),
    ],
)
def test_flow_references_in_every_notation(text, expected):
    assert FlowRef.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["", "EXR/../x", "a,b,c,d", "EX R", "EC B,EXR,1.0", "ECB,EXR,1.0/x", "ECB:EXR(1 0)"]
)
def test_bad_flow_reference_is_refused(text):
    with pytest.raises(InvalidInput, match="not a dataflow reference"):
        FlowRef.parse(text)


def test_a_bad_flow_reference_is_told_the_notations_that_work():
    with pytest.raises(InvalidInput, match=r"use an id like 'EXR', 'ECB,EXR,1\.0' or 'ECB:EXR\(1\.0\)'\.$"):
        FlowRef.parse("EXR/../x")


@pytest.mark.parametrize(
    ("ref", "text"),
    [
        (FlowRef("EXR"), "EXR"),
        (FlowRef("EXR", "ECB"), "ECB,EXR,latest"),
        (FlowRef("EXR", version="1.0"), "all,EXR,1.0"),
    ],
)
def test_a_flow_reference_is_written_in_the_rest_notation(ref, text):
    assert str(ref) == text
    assert FlowRef.parse(text) == ref


@pytest.mark.parametrize(
    "period",
    ["2024", "2024-03", "2024-03-31", "2024-Q1", "2024-S2", "2024-W05", "2024-03-31T12:00:00Z", "2024-D060"],
)
def test_sdmx_periods_are_accepted(period):
    assert check_period(period) == period


@pytest.mark.parametrize("period", ["2024-13-01x", "March 2024", "24", "2024-Q5", "2024/03"])
def test_bad_period_explains_the_accepted_forms(period):
    with pytest.raises(InvalidInput, match="is not an SDMX period; use forms like 2024, 2024-03"):
        DataQuery(FlowRef("EXR"), start=period)


def test_a_bad_period_given_alone_is_called_a_period_and_told_every_form():
    with pytest.raises(InvalidInput) as err:
        check_period("March 2024")
    assert err.value.message == (
        "period 'March 2024' is not an SDMX period; use forms like 2024, 2024-03, 2024-03-31, "
        "2024-Q1, 2024-S1 or 2024-W05."
    )


def test_an_empty_period_is_no_bound():
    assert check_period("") is None and check_period(None) is None
    assert DataQuery(FlowRef("EXR"), start="", end="").start is None


def test_a_period_of_one_day_is_a_query():
    query = DataQuery(FlowRef("EXR"), start="2024-03-31", end="2024-03-31")
    assert (query.start, query.end) == ("2024-03-31", "2024-03-31")


@pytest.mark.parametrize("name", ["start", "end", "updated_after"])
def test_a_bad_period_is_named_by_the_parameter_it_was_given_as(name):
    with pytest.raises(InvalidInput, match=f"^{name} 'March 2024' is not an SDMX period"):
        DataQuery(FlowRef("EXR"), **{name: "March 2024"})


def test_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidInput, match="starts \\(2024-05\\) after it ends \\(2024-01\\)"):
        DataQuery(FlowRef("EXR"), start="2024-05", end="2024-01")


@pytest.mark.parametrize("last", [0, -3, "x", 1.5])
def test_last_must_be_a_positive_whole_number(last):
    with pytest.raises(InvalidInput, match="last must be a positive whole number"):
        DataQuery(FlowRef("EXR"), last=last)


def test_period_bounds_given_as_numbers_or_with_spaces_are_written_plainly():
    query = DataQuery(FlowRef("EXR"), start=2024, end=" 2024-06 ", updated_after="2025-01-01T00:00:00Z ")
    assert (query.start, query.end, query.updated_after) == ("2024", "2024-06", "2025-01-01T00:00:00Z")


def test_first_and_last_are_checked_alike_and_an_empty_field_means_no_limit():
    assert DataQuery(FlowRef("EXR"), first="3").first == 3
    assert (DataQuery(FlowRef("EXR"), last=1).last, DataQuery(FlowRef("EXR"), first=1).first) == (1, 1)
    assert (DataQuery(FlowRef("EXR"), last="", first="").last, DataQuery(FlowRef("EXR"), first="").first) == (
        None,
        None,
    )
    with pytest.raises(InvalidInput, match="first must be a positive whole number of observations, not 0"):
        DataQuery(FlowRef("EXR"), first=0)


def test_last_given_as_text_is_a_number():
    assert DataQuery(FlowRef("EXR"), last="12").last == 12


@pytest.mark.parametrize("period", ["2020-13", "2010-02-30", "2021-W53", "2024-00", "2023-02-29"])
def test_period_that_does_not_exist_is_refused_not_ignored(period):
    with pytest.raises(InvalidInput, match=f"start '{period}' is not an SDMX period"):
        DataQuery(FlowRef("EXR"), start=period)


def test_bounds_of_different_granularity_that_cross_are_refused():
    with pytest.raises(InvalidInput, match="starts \\(2019\\) after it ends \\(2018-06\\)"):
        DataQuery(FlowRef("EXR"), start="2019", end="2018-06")


def test_bounds_of_different_granularity_that_overlap_are_kept():
    query = DataQuery(FlowRef("EXR"), start="2024", end="2024-06")
    assert (query.start, query.end) == ("2024", "2024-06")
