"""Availability answers in SDMX-JSON read like their SDMX-ML twins; broken ones say so."""

from __future__ import annotations

import json

import pytest

from dataops.errors import MalformedMessage
from dataops.sdmx.availability import Availability, parse_availability
from dataops.sdmx.model import Dataflow
from dataops.sdmx.structure_json_writers import write_availability_json

FLOW = Dataflow(id="EXR", agency="ECB", version="1.0", name="Exchange rates", structure_id="ECB_EXR1")
ANSWER = Availability(
    key="M..EUR",
    codes={"FREQ": ["M"], "CURRENCY": ["USD", "JPY"], "CURRENCY_DENOM": ["EUR"]},
    series_count=2,
    obs_count=480,
)


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_sdmx_json_availability_reads_back_codes_and_counts(version):
    back = parse_availability(write_availability_json(ANSWER, FLOW, version), "M..EUR", "http://x/a")
    assert back.codes == ANSWER.codes
    assert (back.series_count, back.obs_count, back.url) == (2, 480, "http://x/a")


def test_an_excluded_region_lists_no_available_codes():
    doc = json.loads(write_availability_json(ANSWER, FLOW, "1.0"))
    region = doc["data"]["contentConstraints"][0]["cubeRegions"][0]
    doc["data"]["contentConstraints"][0]["cubeRegions"].append(
        {"isIncluded": False, "keyValues": [{"id": "CURRENCY", "values": ["GBP"]}]}
    )
    assert region["isIncluded"] is True
    back = parse_availability(json.dumps(doc).encode(), "M..EUR")
    assert back.codes["CURRENCY"] == ["USD", "JPY"]


def test_broken_json_names_the_url():
    with pytest.raises(MalformedMessage, match="http://provider/availability.*not valid JSON"):
        parse_availability(b'{"data": ', "M", "http://provider/availability")
    with pytest.raises(MalformedMessage, match="no constraint list"):
        parse_availability(b'{"data": {"contentConstraints": {"id": "x"}}}', "M", "http://p")
