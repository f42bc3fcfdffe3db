"""What the store learns from structure messages: mandatory attributes in SDMX-ML 2.1 and 3.0."""

from __future__ import annotations

from dataops.sdmx.readers import read_structure
from dataops.sdmx.structure_writers import write_structure_ml
from tests.store.fixtures import structure


def test_mandatory_attributes_survive_sdmx_ml_21_and_30():
    for version in ("2.1", "3.0"):
        (dsd,) = read_structure(write_structure_ml(structure(), True, version)).structures

        assert {a.id: a.mandatory for a in dsd.attributes} == {"OBS_STATUS": True, "UNIT_MULT": False}


def test_the_ecb_sample_marks_its_mandatory_attributes(shared_dir):
    message = read_structure(shared_dir / "sdmx-samples" / "ECB_EXR" / "ng-structure-full.xml")

    mandatory = {a.id for dsd in message.structures for a in dsd.attributes if a.mandatory}
    assert mandatory and "OBS_STATUS" in mandatory and "COLL_METHOD" not in mandatory
