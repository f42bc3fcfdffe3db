"""What ``*``, ``all``, ``~``, ``latest``, ``+`` and ``,`` select among a source's artefacts."""

from __future__ import annotations

import pytest

from dataops.errors import InvalidInput, UnknownDataflow
from dataops.sdmx.model import Dataflow
from dataops.sdmx.rest.terms import References, Selector, Versions, version_order

FLOWS = [
    Dataflow("EXR", "ECB", "1.0", "Exchange rates"),
    Dataflow("EXR", "ECB", "1.10", "Exchange rates"),
    Dataflow("EXR", "ECB", "1.9", "Exchange rates"),
    Dataflow("EXR", "ECB", "2.0.0-draft", "Exchange rates"),
    Dataflow("EXR", "BIS", "1.0", "Exchange rates (BIS)"),
    Dataflow("YC", "ECB", "1.0", "Yield curves"),
]


def _picked(agency, id_, version):
    return [(f.agency, f.id, f.version) for f in Selector.parse(agency, id_, version).pick(FLOWS)]


@pytest.mark.parametrize("version", ["~", "latest", None])
def test_latest_and_a_version_left_out_keep_the_latest_of_each_flow(version):
    assert _picked("ECB", "EXR", version) == [("ECB", "EXR", "2.0.0-draft")]
    assert _picked("*", "*", version) == [
        ("ECB", "EXR", "2.0.0-draft"),
        ("BIS", "EXR", "1.0"),
        ("ECB", "YC", "1.0"),
    ]


def test_plus_keeps_the_latest_stable_version_and_1_10_is_later_than_1_9():
    assert _picked("ECB", "EXR", "+") == [("ECB", "EXR", "1.10")]
    assert version_order("1.10") > version_order("1.9") > version_order("1.0")


@pytest.mark.parametrize("any_version", ["*", "all"])
def test_star_and_all_keep_every_version(any_version):
    assert [f[2] for f in _picked("ECB", "EXR", any_version)] == ["1.0", "1.10", "1.9", "2.0.0-draft"]


@pytest.mark.parametrize("any_agency", ["*", "all", None])
def test_star_all_and_a_left_out_agency_name_every_agency(any_agency):
    assert {f[0] for f in _picked(any_agency, "EXR", "1.0")} == {"ECB", "BIS"}


def test_a_comma_lists_agencies_ids_or_versions():
    assert _picked("ECB,BIS", "EXR,YC", "1.0,1.9") == [
        ("ECB", "EXR", "1.0"),
        ("ECB", "EXR", "1.9"),
        ("BIS", "EXR", "1.0"),
        ("ECB", "YC", "1.0"),
    ]


def test_a_version_the_source_lacks_selects_nothing():
    assert _picked("ECB", "EXR", "9.9") == []


def test_tilde_is_a_name_not_a_wildcard_for_agencies():
    assert _picked("~", "EXR", "*") == []


def test_the_version_rule_is_read_once_for_every_path():
    assert Selector.parse(version="~").rule is Selector.parse(version="latest").rule is Versions.LATEST
    assert Selector.parse(version="*").rule is Selector.parse(version="all").rule is Versions.EVERY
    assert Selector.parse(version="+").rule is Versions.LATEST_STABLE
    assert Selector.parse(version="1.0,2.0").versions == ("1.0", "2.0")


@pytest.mark.parametrize(
    ("agency", "version", "ref"),
    [
        ("ECB", "1.0", "ECB:EXR(1.0)"),
        ("*", "~", "EXR"),
        ("all", "*", "EXR"),
        ("ECB", None, "ECB:EXR"),
    ],
)
def test_one_dataflow_is_referenced_with_only_what_was_named(agency, version, ref):
    assert Selector.parse(agency, "EXR", version).flow_ref() == ref


@pytest.mark.parametrize(("id_", "version"), [("*", "1.0"), ("EXR,YC", "1.0"), ("EXR", "1.0,1.1")])
def test_a_data_query_needs_one_dataflow_in_one_version(id_, version):
    with pytest.raises(InvalidInput, match="one dataflow"):
        Selector.parse("ECB", id_, version).flow_ref()


def test_a_codelist_published_as_1_0_is_admitted_by_the_latest_rules_and_by_1_0():
    assert all(Selector.parse("ECB", "CL_FREQ", v).admits("1.0") for v in ("~", "+", "*", None, "1.0"))
    assert not Selector.parse("ECB", "CL_FREQ", "2.0").admits("1.0")


def test_references_say_what_comes_along():
    assert References.parse("ALL").children and References.parse("all").parents
    assert References.parse("descendants").descendants and not References.parse("children").descendants
    assert References.parse("ancestors").parents and not References.parse("none").children
    with pytest.raises(InvalidInput, match="references must be one of none, parents"):
        References.parse("cousins")


def test_plus_on_one_dataflow_is_pinned_to_its_latest_stable_version():
    assert Selector.parse("ECB", "EXR", "+").flow_ref(FLOWS) == "ECB:EXR(1.10)"
    with pytest.raises(UnknownDataflow, match="no stable version of the dataflow 'ECB:NOPE'"):
        Selector.parse("ECB", "NOPE", "+").flow_ref(FLOWS)
