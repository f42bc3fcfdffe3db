"""``Accept`` and ``format=`` → the format a resource of the SDMX REST endpoint answers in."""

from __future__ import annotations

import pytest

from dataops.errors import InvalidInput, NotAcceptable
from dataops.sdmx import media
from dataops.sdmx.rest.negotiation import DATA_1, DATA_2, STRUCTURE_1, STRUCTURE_2, choose

DATA = DATA_1


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("", "generic21"),
        ("*/*", "generic21"),
        ("application/xml", "generic21"),
        (media.GENERIC_21, "generic21"),
        (media.STRUCTURE_SPECIFIC_21, "ss21"),
        (media.STRUCTURE_SPECIFIC_30, "ss30"),
        ("application/vnd.sdmx.genericdata+xml", "generic21"),
        ("application/vnd.sdmx.structurespecificdata+xml;q=0.9", "ss21"),
        ("application/vnd.sdmx.data+xml", "ss30"),
        ("text/csv", "csv"),
        (media.CSV_20, "csv20"),
        ("application/vnd.sdmx.data+csv; version=2.0", "csv20"),
        ("application/json", "json"),
        (f"{media.CSV_10};q=0.5, {media.JSON_10}", "json"),
        (f"{media.JSON_20}, text/csv;q=0.1", "json20"),
        ("application/vnd.sdmx.data+json;version=2.1.0, text/csv;q=0.1", "csv"),
    ],
)
def test_data_formats_by_accept(accept, fmt):
    assert choose(DATA, accept, None) == fmt


@pytest.mark.parametrize(
    ("accept", "rest_1", "rest_2"),
    [
        ("", media.GENERIC_21, media.JSON_20),
        ("*/*", media.GENERIC_21, media.JSON_20),
        ("application/xml", media.GENERIC_21, media.STRUCTURE_SPECIFIC_30),
        ("text/xml;q=0.9, text/html", media.GENERIC_21, media.STRUCTURE_SPECIFIC_30),
    ],
)
def test_a_client_naming_no_format_gets_the_standard_default_of_its_rest_version(accept, rest_1, rest_2):
    assert DATA_1.media_type(choose(DATA_1, accept, None)) == rest_1
    assert DATA_2.media_type(choose(DATA_2, accept, None)) == rest_2


def test_data_format_parameter_names_sdmx_ml_by_rest_version():
    assert (choose(DATA_1, "", "xml"), choose(DATA_2, "", "sdmx-ml")) == ("generic21", "ss30")
    assert (choose(DATA_2, "", "genericdata"), choose(DATA_1, "", "structurespecificdata")) == (
        "generic21",
        "ss21",
    )
    with pytest.raises(InvalidInput, match="format must be one of csv, csvdata, genericdata"):
        choose(DATA_2, "", "html")


def test_a_versioned_media_type_matches_that_version_only():
    with pytest.raises(NotAcceptable) as err:
        choose(STRUCTURE_1, media.STRUCTURE_JSON_20, None)
    assert media.STRUCTURE_21 in err.value.message and media.STRUCTURE_JSON_10 in err.value.message
    assert choose(STRUCTURE_2, media.STRUCTURE_JSON_20, None) == "json20"


def test_rest_2_structures_default_to_sdmx_ml_3_and_1_x_ones_to_2_1():
    assert STRUCTURE_1.media_type(choose(STRUCTURE_1, "application/xml", None)) == media.STRUCTURE_21
    assert STRUCTURE_2.media_type(choose(STRUCTURE_2, "*/*", None)) == media.STRUCTURE_30


def test_format_parameter_wins_over_accept_and_names_a_family():
    assert choose(DATA, media.CSV_10, "jsondata") == "json"
    assert choose(STRUCTURE_2, media.STRUCTURE_30, "sdmx-json") == "json20"
    assert choose(STRUCTURE_1, "", "XML") == "xml"


def test_a_format_parameter_the_resource_cannot_write_lists_the_names_it_takes():
    with pytest.raises(InvalidInput, match="format must be one of json, jsondata, sdmx-json, sdmx-ml, xml"):
        choose(STRUCTURE_1, "", "csv")


def test_zero_quality_refuses_a_type():
    with pytest.raises(NotAcceptable):
        choose(DATA, "text/csv;q=0", None)
