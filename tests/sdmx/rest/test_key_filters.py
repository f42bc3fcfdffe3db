"""2.x keys and ``c[...]`` filters folded into the 1.x key the source is asked with."""

from __future__ import annotations

import pytest

from dataops.errors import InvalidInput
from dataops.sdmx.rest.key_filters import Filters, narrowed_key, plain_key

DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]


@pytest.mark.parametrize(
    ("key", "plain"), [(None, "all"), ("", "all"), ("*", "all"), ("M.*.EUR..", "M..EUR..")]
)
def test_a_star_key_or_position_selects_everything_there(key, plain):
    assert plain_key(key) == plain


def _periods(value: str) -> tuple[str | None, str | None]:
    filters = Filters.parse({"c[TIME_PERIOD]": value})
    return filters.start, filters.end


def test_time_period_terms_bound_the_periods():
    assert _periods("ge:2010-01+le:2010-06") == ("2010-01", "2010-06")
    assert _periods("eq:2010") == ("2010", "2010")
    assert _periods("ge:2010-01 le:2010-06") == ("2010-01", "2010-06")  # an unencoded '+' arrives as a space


def test_code_terms_are_or_within_and_and_between_terms():
    filters = Filters.parse({"c[CURRENCY]": "USD,JPY,CHF+eq:JPY,CHF", "startPeriod": "2020"})
    assert filters.codes == {"CURRENCY": frozenset({"JPY", "CHF"})} and filters.start is None


def test_each_term_narrows_the_codes_the_previous_terms_left():
    # The second term is not a subset of the first: only the code both name is wanted.
    assert Filters.parse({"c[CURRENCY]": "USD,JPY+JPY,CHF"}).codes == {"CURRENCY": frozenset({"JPY"})}
    assert Filters.parse({"c[CURRENCY]": "USD+CHF"}).codes == {"CURRENCY": frozenset()}


def test_filters_are_read_whatever_other_parameters_come_first():
    query = {"format": "csvdata", "c[TIME_PERIOD]": "ge:2020", "dimensionAtObservation": "AllDimensions"}
    query["c[FREQ]"] = "M"
    filters = Filters.parse(query)
    assert (filters.start, filters.codes) == ("2020", {"FREQ": frozenset({"M"})})


def test_one_letter_codes_are_codes():
    assert Filters.parse({"c[FREQ]": "X"}).codes == {"FREQ": frozenset({"X"})}


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("c[TIME_PERIOD]", "gt:2020", "ge:, le: or eq:"),
        ("c[CURRENCY]", "gt:USD", "takes codes"),
        ("c[CURRENCY]", "", "takes codes"),
        ("c[CURRENCY]", ",", "takes codes"),
    ],
)
def test_operators_not_served_are_refused_with_the_reason(name, value, words):
    with pytest.raises(InvalidInput, match=words):
        Filters.parse({name: value})


def test_codes_are_folded_into_their_position():
    assert narrowed_key("all", DIMS, {"CURRENCY": frozenset({"USD", "JPY"})}) == ".JPY+USD..."
    assert narrowed_key("M.USD+CHF.EUR.SP00.A", DIMS, {"CURRENCY": frozenset({"USD", "JPY"})}) == (
        "M.USD.EUR.SP00.A"
    )


@pytest.mark.parametrize(
    ("key", "codes", "words"),
    [
        ("all", {"COLOUR": frozenset({"RED"})}, "no dimension COLOUR; it has FREQ, CURRENCY"),
        ("all", {"SIZE": frozenset({"L"}), "COLOUR": frozenset({"RED"})}, "no dimension COLOUR, SIZE;"),
        ("M.JPY.EUR.SP00.A", {"CURRENCY": frozenset({"USD"})}, "key and c\\[CURRENCY\\] have no"),
        ("all", {"CURRENCY": frozenset()}, "terms of c\\[CURRENCY\\] have no"),
        ("M.USD", {"CURRENCY": frozenset({"USD"})}, "needs 5 positions"),
        ("M.USD", {}, r"needs 5 positions \(FREQ\.CURRENCY\.CURRENCY_DENOM\.EXR_TYPE\.EXR_SUFFIX\)"),
    ],
)
def test_a_narrowing_that_leaves_nothing_says_why(key, codes, words):
    with pytest.raises(InvalidInput, match=words):
        narrowed_key(key, DIMS, codes)
