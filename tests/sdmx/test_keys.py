"""Series keys: parsing, building from dicts, validation against a structure, REST rendering."""

from __future__ import annotations

import pandas as pd
import pytest

from dataops.errors import InvalidInput
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.model import Dimension, Structure


@pytest.fixture
def exr() -> Structure:
    def dim(dim_id: str, codes: list[str], pos: int) -> Dimension:
        return Dimension(dim_id, dim_id.title(), pd.DataFrame({"id": codes, "name": codes}), pos)

    return Structure(
        "ECB_EXR1",
        "ECB",
        "1.0",
        "Exchange rates",
        [
            dim("FREQ", ["A", "M", "D"], 0),
            dim("CURRENCY", ["USD", "JPY", "CHF"], 1),
            dim("CURRENCY_DENOM", ["EUR"], 2),
            dim("EXR_TYPE", ["SP00"], 3),
            dim("EXR_SUFFIX", ["A", "E"], 4),
        ],
        "TIME_PERIOD",
        [],
    )


def test_or_codes_and_positions_are_parsed_in_order():
    key = SeriesKey.parse("M.USD+JPY.EUR.SP00.A")
    assert key.values == (("M",), ("USD", "JPY"), ("EUR",), ("SP00",), ("A",))
    assert str(key) == "M.USD+JPY.EUR.SP00.A"


def test_key_with_empty_position_is_a_wildcard():
    key = SeriesKey.parse("M..EUR.SP00.A")
    assert key.values[1] == ()
    assert key.matches(["M", "GBP", "EUR", "SP00", "A"])
    assert not key.matches(["D", "GBP", "EUR", "SP00", "A"])


def test_rest_2_syntax_uses_commas_and_stars():
    key = SeriesKey.parse("M.USD,JPY.*.SP00.A")
    assert key.values[1] == ("USD", "JPY") and key.values[2] == ()
    assert key.to_rest(2) == "M.USD,JPY.*.SP00.A"
    assert key.to_rest(1) == "M.USD+JPY..SP00.A"


@pytest.mark.parametrize("text", ["", "all", "*"])
def test_all_selects_everything(text):
    key = SeriesKey.parse(text)
    assert key.is_all
    assert key.to_rest(1) == "all" and key.to_rest(2) == "*"


@pytest.mark.parametrize("text", ["M.US D.EUR", "M.USD++JPY.EUR", "M.<x>.EUR", "M.USD/.EUR"])
def test_malformed_key_says_which_position(text):
    with pytest.raises(InvalidInput, match="position 2"):
        SeriesKey.parse(text)


def test_dict_key_follows_dsd_order(exr):
    key = SeriesKey.from_dict({"CURRENCY": ["USD", "JPY"], "FREQ": "M"}, exr)
    assert str(key) == "M.USD+JPY..."


def test_dict_key_with_unknown_dimension_lists_the_real_ones(exr):
    with pytest.raises(InvalidInput, match="has no dimension 'COUNTRY'.*FREQ, CURRENCY"):
        SeriesKey.from_dict({"COUNTRY": "DE"}, exr)


def test_dict_key_accepts_dimension_ids_in_another_case(exr):
    assert str(SeriesKey.from_dict({"freq": "A"}, exr)) == "A...."


def test_validation_counts_positions(exr):
    with pytest.raises(InvalidInput, match="has 3 positions but ECB_EXR1 has 5 dimensions"):
        SeriesKey.parse("M.USD.EUR").validate(exr)


def test_validation_names_an_unknown_code(exr):
    with pytest.raises(InvalidInput, match="CURRENCY has no code 'XYZ'"):
        SeriesKey.parse("M.XYZ.EUR.SP00.A").validate(exr)


def test_all_key_expands_to_one_wildcard_per_dimension(exr):
    assert SeriesKey().validate(exr).to_rest(1) == "...."
    assert SeriesKey.coerce(None, exr).to_dict(exr) == {}


def test_dict_key_needs_a_structure():
    with pytest.raises(InvalidInput, match="needs the dataflow's structure"):
        SeriesKey.coerce({"FREQ": "M"})


def test_an_unknown_code_names_its_position_and_suggests_near_codes(exr):
    with pytest.raises(InvalidInput) as err:
        SeriesKey.parse("M.USX.EUR.SP00.A").validate(exr)
    message = str(err.value)
    assert "position 2 of the series key holds a code its codelist does not have" in message
    assert "did you mean USD" in message
    assert err.value.details == {"position": 2, "dimension": "CURRENCY", "code": "USX"}
