"""Each artefact is one SDMX-ML 3.0 file that validates against the SDMX schemas and reads back equal."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from lxml import etree
from pysdmx.io import read_sdmx

from dataops.errors import InvalidMetadata
from dataops.metadata import Registry, artefact_path, check, write_artefact
from dataops.metadata.registry import read_artefact_file
from dataops.metadata.sdmxjson import read_json_artefacts
from dataops.metadata.sdmxml import read_artefacts


@pytest.mark.parametrize(
    "message", ["ECB_EXR/1/structure-full.xml", "ESTAT/GOV_10Q_GGNFA.xml", "v3/xml/ECB_EXR1.xml"]
)
def test_every_artefact_written_validates_against_the_sdmx_schemas_and_reads_back_equal(samples, message):
    arts = read_artefacts((samples / message).read_bytes(), message)
    assert {a.kind for a in arts} >= {"datastructure"}
    for art in arts:
        body = write_artefact(art)
        # pysdmx validates the message against the SDMX-ML 3.0 schemas before reading it.
        (theirs,) = read_sdmx(body.decode(), validate=True).structures
        assert theirs.id == art.id and theirs.version == art.version
        assert read_artefact_file(body, "x.xml") == art


def test_writing_an_unchanged_artefact_gives_the_same_bytes(ecb_folder):
    registry = Registry.open(ecb_folder)
    for art in registry.artefacts():
        path = ecb_folder / registry.file_of[art.ref]
        assert write_artefact(art) == path.read_bytes()


def test_the_import_writes_one_file_per_artefact_named_after_it(ecb_folder):
    names = sorted(p.relative_to(ecb_folder).as_posix() for p in ecb_folder.rglob("*.xml"))
    assert "metadata/codelists/ECB+CL_CURRENCY+1.0.xml" in names
    assert "metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.0.xml" in names
    assert "metadata/datastructures/ECB+ECB_EXR1+1.0.xml" in names
    assert len(names) == 15  # 11 codelists, a concept scheme, the DSD, the dataflow, the constraint


def test_a_malformed_artefact_file_is_named_with_its_rule(ecb_folder):
    path = ecb_folder / "metadata/codelists/ECB+CL_FREQ+1.0.xml"
    path.write_bytes(path.read_bytes().replace(b"</str:Codelist>", b""))
    registry = Registry.open(ecb_folder)
    (problem,) = registry.problems
    assert problem.file == "metadata/codelists/ECB+CL_FREQ+1.0.xml"
    assert "rule: artefacts are well-formed SDMX-ML 3.0" in problem.sentence
    assert "line" in problem.sentence
    with pytest.raises(
        InvalidMetadata, match=r"metadata/codelists/ECB\+CL_FREQ\+1.0.xml: .*rule: artefacts are well-formed"
    ):
        read_artefact_file(path.read_bytes(), "metadata/codelists/ECB+CL_FREQ+1.0.xml")


def test_a_file_with_two_artefacts_or_in_sdmx_ml_21_is_refused(samples, tmp_path: Path):
    full = (samples / "ECB_EXR/1/structure-full.xml").read_bytes()
    with pytest.raises(InvalidMetadata, match=r"rule: artefacts are SDMX-ML 3.0"):
        read_artefact_file(full, "metadata/all.xml")
    arts = read_artefacts(full, "x")
    first, second = (etree.fromstring(write_artefact(a)) for a in arts[1:3])
    container = next(first.iter("{*}Codelists"))
    container.append(next(second.iter("{*}Codelist")))
    two = etree.tostring(first)
    with pytest.raises(
        InvalidMetadata, match=r"metadata/two.xml: the file holds 2 artefacts \(rule: one artefact per file"
    ):
        read_artefact_file(two, "metadata/two.xml")


def test_sdmx_json_20_artefact_files_are_read_like_sdmx_ml_ones(samples, tmp_path: Path):
    """Each artefact of the TWG's SDMX-JSON 2.0 sample in its own file: the registry resolves the
    dataflow through them, applies the JSON constraint and finds what the illustrative sample lacks."""
    sample = json.loads((samples / "v3/json/structure/constructed-sample.json").read_text())
    for container in ("codelists", "conceptSchemes", "dataStructures", "dataflows", "contentConstraints"):
        for obj in sample["data"][container]:
            one = {"meta": sample["meta"], "data": {container: [obj]}}
            art = read_json_artefacts(json.dumps(one).encode(), "sample")[0]
            path = tmp_path / artefact_path(art.ref, ".json")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(one))
    registry = Registry.open(tmp_path)
    assert [(p.file.rpartition("/")[2], p.message) for p in check(registry)] == [
        ("ECB+EXR_CONSTRAINTS+1.0.json", "CURRENCY lists USD, which its codelist does not hold"),
        ("ECB+EXR_CONSTRAINTS+1.0.json", "CURRENCY_DENOM lists USD, which its codelist does not hold"),
        (
            "ECB+ECB_EXR1+1.0.json",
            "concept TIME_PERIOD of component TIME_PERIOD is not in conceptscheme ECB:ECB_CONCEPTS(1.0)",
        ),
    ]
    _, dsd = registry.structure_for("ECB:EXR")
    assert [d.id for d in dsd.dimensions] == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
    assert dsd.dimension("FREQ").codes["id"].tolist()[:2] == ["A", "M"]
    assert registry.allowed("ECB:EXR").codes["CURRENCY"] == frozenset({"_T", "EUR", "USD"})


def test_eurostat_names_in_every_language_survive_the_round_trip_and_their_change_is_a_patch(samples):
    from dataops.metadata import Bump, diff

    arts = read_artefacts((samples / "ESTAT/GOV_10Q_GGNFA.xml").read_bytes(), "GOV_10Q_GGNFA.xml")
    geo = next(a for a in arts if a.id == "GEO" and a.version == "13.0")
    assert {lang for lang, _ in geo.codes[0].names} == {"en", "fr", "de"}
    back = read_artefact_file(write_artefact(geo), "x.xml")
    assert back.codes == geo.codes
    first = geo.codes[0]
    renamed = dataclasses.replace(
        first, names=tuple((lang, "Autre" if lang == "fr" else text) for lang, text in first.names)
    )
    changed = dataclasses.replace(geo, version="13.0.1", codes=(renamed, *geo.codes[1:]))
    assert [(c.what, c.bump) for c in diff(geo, changed).changes] == [
        (f"code names changed: {first.id}", Bump.PATCH)
    ]
