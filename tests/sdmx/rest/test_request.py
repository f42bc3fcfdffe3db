"""A route's segments, query and ``Accept`` → the typed request the SDMX REST endpoint answers."""

from __future__ import annotations

import pytest

from dataops.errors import InvalidInput, NotAcceptable
from dataops.sdmx import media
from dataops.sdmx.rest import request
from dataops.sdmx.rest.terms import Versions


def test_a_1_x_data_query_keeps_its_period_and_limit_parameters():
    asked = request.data_v1(
        "ECB",
        "EXR",
        "M.USD.EUR.SP00.A",
        query={
            "startPeriod": "2019-01",
            "endPeriod": "",
            "lastNObservations": "5",
            "detail": "serieskeysonly",
        },
        accept="",
    )
    assert (asked.flow.flow_ref(), asked.key, asked.format) == ("EXR", "M.USD.EUR.SP00.A", "generic21")
    assert (asked.start, asked.end, asked.last, asked.first) == ("2019-01", None, 5, None)
    assert asked.series_keys_only


def test_a_1_x_flow_reference_with_commas_uses_the_same_terms_as_a_2_x_path():
    asked = request.data_v1("ECB", "ECB,EXR,latest", None, "all", query={}, accept=media.JSON_10)
    assert (asked.flow.flow_ref(), asked.key, asked.format) == ("ECB:EXR", "all", "json")
    assert request.data_v1("ECB", "all,EXR,1.0", query={}, accept="").flow.flow_ref() == "EXR(1.0)"


def test_a_2_x_data_query_takes_stars_and_c_filters():
    asked = request.data_v2(
        "ECB",
        "*",
        "EXR",
        "~",
        "M.*.EUR.SP00.*",
        query={"c[TIME_PERIOD]": "ge:2010-01+le:2010-06", "c[CURRENCY]": "USD,JPY", "startPeriod": "1999"},
        accept=media.CSV_20,
    )
    assert (asked.flow.flow_ref(), asked.key, asked.format) == ("EXR", "M..EUR.SP00.", "csv20")
    assert (asked.start, asked.end) == ("2010-01", "2010-06")  # startPeriod is not a 2.x parameter
    assert asked.codes == {"CURRENCY": frozenset({"USD", "JPY"})}


@pytest.mark.parametrize(
    ("segments", "query", "words"),
    [
        (("*", "EXR", "~", "*"), {"attributes": "none"}, "attributes must be 'all' or 'dsd'"),
        (("*", "EXR", "~", "A.USD,JPY...."), {}, "one key at a time"),
        (("*", "EXR", "1.0,1.1", "*"), {}, "one version"),
        (("*", "*", "~", "*"), {}, "Name one dataflow"),
        (("*", "EXR", "~", "*"), {"detail": "nodata"}, "detail must be"),
        (("*", "EXR", "~", "*"), {"dimensionAtObservation": "CURRENCY"}, "TIME_PERIOD or AllDimensions"),
        (
            ("*", "EXR", "~", "*"),
            {"lastNObservations": "0"},
            "lastNObservations must be a whole number of at least 1",
        ),
        (("*", "EXR", "~", "*"), {"c[TIME_PERIOD]": "gt:2020"}, "ge:, le: or eq:"),
    ],
)
def test_bad_2_x_data_queries_are_refused_before_the_source_is_asked(segments, query, words):
    with pytest.raises(InvalidInput, match=words):
        request.data_v2("ECB", *segments, query=query, accept="")


def test_a_data_provider_other_than_all_is_refused():
    with pytest.raises(InvalidInput, match="Data provider 'ECB1'"):
        request.data_v1("ECB", "EXR", "all", "ECB1", query={}, accept="")


def test_a_data_format_not_written_is_not_acceptable():
    with pytest.raises(NotAcceptable, match="vnd.sdmx.data\\+csv;version=1.0.0"):
        request.data_v1(
            "ECB", "EXR", query={}, accept="application/vnd.sdmx.generictimeseriesdata+xml;version=2.1"
        )


def test_a_1_x_dataflow_query_left_short_names_the_latest_of_every_flow():
    asked = request.dataflow_v1("ECB", query={}, accept="application/json")
    assert (asked.resource, asked.api, asked.format) == ("dataflow", 1, "json")
    assert (asked.selector.agencies, asked.selector.ids, asked.selector.rule) == ((), (), Versions.LATEST)


def test_structure_queries_read_references_once_for_both_paths():
    v1 = request.datastructure_v1(
        "ECB", "ECB", "ECB_EXR1", "1.0", query={"references": "Children"}, accept=""
    )
    v2 = request.structure_v2(
        "ECB", "datastructure", "*", "ECB_EXR1", query={"references": "children"}, accept=""
    )
    assert v1.references == v2.references and v1.references.children
    assert (v1.format, v2.format) == ("xml", "xml30")


@pytest.mark.parametrize(
    ("parse", "segments", "query", "words"),
    [
        (request.structure_v2, ("categoryscheme", "ECB", "X"), {}, "dataflow, datastructure, codelist"),
        (request.structure_v2, ("codelist", "ECB", "*"), {}, "Name one codelist: structure/codelist"),
        (request.structure_v2, ("codelist", "ECB", "CL_FREQ"), {"references": "parents"}, "without the data"),
        (request.structure_v2, ("dataflow",), {"references": "cousins"}, "references must be one of"),
        (request.codelist_v1, ("ECB", "all"), {}, "Name one codelist: codelist/"),
        (request.datastructure_v1, ("ECB", "*"), {}, "Name one data structure"),
    ],
)
def test_bad_structure_queries_say_why(parse, segments, query, words):
    with pytest.raises(InvalidInput, match=words):
        parse("ECB", *segments, query=query, accept="")


def test_availability_takes_mode_available_only_and_keys_with_stars():
    asked = request.availability_v2(
        "ECB", "ECB", "EXR", "~", "M.*.EUR..", query={"mode": "available"}, accept=""
    )
    assert (asked.flow.flow_ref(), asked.key, asked.format, asked.api) == ("ECB:EXR", "M..EUR..", "xml30", 2)
    with pytest.raises(InvalidInput, match="mode=available"):
        request.availableconstraint_v1("ECB", "EXR", "M.USD...", query={"mode": "exact"}, accept="")
