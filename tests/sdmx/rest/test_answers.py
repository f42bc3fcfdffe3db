"""Answers of the SDMX REST endpoint's core, asked of the local provider without a server."""

from __future__ import annotations

import pytest

from dataops.errors import NotFound, UnknownDataflow
from dataops.sdmx import media
from dataops.sdmx.readers import read_data, read_structure
from dataops.sdmx.rest import request
from dataops.sdmx.rest.answers import answer

SOURCE = "LOCAL_ECB"


def test_data_answer_carries_its_media_type_and_the_provider_url(sdmx_config):
    asked = request.data_v1(SOURCE, "EXR", "M.USD.EUR.SP00.A", query={"lastNObservations": "3"}, accept="")
    got = answer(sdmx_config, asked)
    assert got.media_type == media.GENERIC_21  # the SDMX 2.1 default when no format is named
    assert got.query_url.endswith("/ecb/data/EXR/M.USD.EUR.SP00.A?lastNObservations=3")
    assert read_data(got.body).num_rows == 3


def test_plus_asks_for_the_latest_stable_version_of_the_dataflow(sdmx_config):
    def data(version):
        asked = request.data_v2(SOURCE, "ECB", "EXR", version, "M.USD.EUR.SP00.A", query={}, accept="")
        return answer(sdmx_config, asked)

    stable, pinned = data("+"), data("1.0")
    assert "/data/ECB,EXR,1.0/" in stable.query_url
    assert read_data(stable.body).equals(read_data(pinned.body))


def test_plus_on_a_dataflow_the_source_lacks_names_it(sdmx_config):
    asked = request.data_v2(SOURCE, "ECB", "NO_SUCH_FLOW", "+", query={}, accept="")
    with pytest.raises(UnknownDataflow, match="NO_SUCH_FLOW"):
        answer(sdmx_config, asked)


def test_c_filters_are_folded_into_the_key_the_source_is_asked_with(sdmx_config):
    asked = request.data_v2(SOURCE, "ECB", "EXR", "~", "*", query={"c[CURRENCY]": "USD,JPY"}, accept="")
    got = answer(sdmx_config, asked)
    assert got.query_url.endswith("/.JPY+USD...")
    table = read_data(got.body)
    assert table.num_rows > 0 and set(table.column("CURRENCY").to_pylist()) <= {"USD", "JPY"}


@pytest.mark.parametrize("version", ["*", "all", "~", "latest", "+", None])
def test_every_data_structure_is_listed_once_whatever_the_version_rule(sdmx_config, version):
    asked = request.structure_v2(SOURCE, "datastructure", "*", "*", version, query={}, accept="")
    ids = [d.id for d in read_structure(answer(sdmx_config, asked).body).structures]
    assert sorted(ids) == ["ECB_EXR1", "GOV_10Q_GGNFA"]


@pytest.mark.parametrize(
    "parse", [request.codelist_v1, lambda s, *a, **k: request.structure_v2(s, "codelist", *a, **k)]
)
def test_a_codelist_exists_in_version_1_0_only_on_both_paths(sdmx_config, parse):
    with pytest.raises(NotFound, match="exists in version 1.0 only"):
        answer(sdmx_config, parse(SOURCE, "ECB", "CL_FREQ", "2.0", query={}, accept=""))
    found = answer(sdmx_config, parse(SOURCE, "ECB", "CL_FREQ", "latest", query={}, accept=""))
    assert "M" in read_structure(found.body).codelists["CL_FREQ"]["id"].tolist()


def test_a_1_x_dataflow_the_source_lacks_is_named_in_the_refusal(sdmx_config):
    with pytest.raises(UnknownDataflow, match="no dataflow 'NOPE'"):
        answer(sdmx_config, request.dataflow_v1(SOURCE, "ECB", "NOPE", query={}, accept=""))
