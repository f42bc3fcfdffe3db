"""The registry answers structure queries for any version and names what a broken reference lacks."""

from __future__ import annotations

import dataclasses

import pytest

from dataops.errors import InvalidMetadata, UnknownDataflow
from dataops.metadata import Code, Registry, check, import_message, save


def test_structure_for_resolves_the_real_ecb_dataflow_with_its_codelists_and_concepts(ecb_folder):
    flow, dsd = Registry.open(ecb_folder).structure_for("ECB:EXR")
    assert (flow.id, flow.structure_id) == ("EXR", "ECB_EXR1")
    assert [d.id for d in dsd.dimensions] == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
    assert dsd.time_dimension == "TIME_PERIOD"
    currency = dsd.dimension("CURRENCY")
    assert currency.codelist == "CL_CURRENCY" and len(currency.codes) == 355
    assert currency.name == "Currency"
    assert {a.id: a.level for a in dsd.attributes}["OBS_STATUS"] == "observation"


def test_every_version_is_answered_and_no_version_means_the_latest(ecb_folder):
    registry = Registry.open(ecb_folder)
    cl = registry.get("codelist", "ECB", "CL_FREQ", "1.0")
    newer = dataclasses.replace(cl, version="1.1.0", codes=(*cl.codes, Code("X", "Every other day")))
    save(ecb_folder, newer, registry)
    registry = Registry.open(ecb_folder)
    assert [a.version for a in registry.versions("codelist", "ECB", "CL_FREQ")] == ["1.0", "1.1.0"]
    assert "X" not in registry.get("codelist", "ECB", "CL_FREQ", "1.0").code_ids()
    assert "X" in registry.get("codelist", "ECB", "CL_FREQ").code_ids()
    with pytest.raises(UnknownDataflow, match=r"no dataflow ECB:EXR\(9.0.0\); it has versions 1.0"):
        registry.structure_for("ECB:EXR(9.0.0)")


def test_a_reference_to_a_missing_codelist_names_file_artefact_and_rule(ecb_folder):
    (ecb_folder / "metadata/codelists/ECB+CL_EXR_TYPE+1.0.xml").unlink()
    registry = Registry.open(ecb_folder)
    with pytest.raises(InvalidMetadata) as caught:
        registry.structure_for("ECB:EXR")
    assert caught.value.message == (
        "metadata/datastructures/ECB+ECB_EXR1+1.0.xml, datastructure ECB:ECB_EXR1(1.0): component EXR_TYPE "
        "refers to codelist ECB:CL_EXR_TYPE(1.0), which the registry does not hold (rule: every reference resolves)."
    )
    sentences = [p.sentence for p in check(registry)]
    assert (
        "metadata/datastructures/ECB+ECB_EXR1+1.0.xml, datastructure ECB:ECB_EXR1(1.0): it refers to codelist "
        "ECB:CL_EXR_TYPE(1.0), which the registry does not hold (rule: every reference resolves)."
    ) in sentences


def test_the_real_eurostat_structures_lack_codelists_and_break_sdmx_versioning(samples, tmp_path):
    import_message(tmp_path, samples / "ESTAT/GOV_10Q_GGNFA.xml")
    sentences = [p.sentence for p in check(Registry.open(tmp_path))]
    assert (
        "metadata/datastructures/ESTAT+GOV_10Q_GGNFA+43.0.xml, datastructure ESTAT:GOV_10Q_GGNFA(43.0): it refers "
        "to codelist ESTAT:FREQ(1.31), which the registry does not hold (rule: every reference resolves)."
    ) in sentences
    # Eurostat's UNIT 15.2 drops a code of 15.1 in a minor step, which SDMX 3.0 versioning calls major.
    assert (
        "metadata/codelists/ESTAT+UNIT+15.2.xml, codelist ESTAT:UNIT(15.2): codelist ESTAT:UNIT 15.1 → 15.2 is a "
        "minor bump, but SDMX versioning asks for a major bump: codes removed: TOTAL "
        "(rule: SDMX semantic versioning: the bump is at least what the change needs)."
    ) in sentences


def test_a_file_not_named_after_its_artefact_is_reported(ecb_folder):
    src = ecb_folder / "metadata/codelists/ECB+CL_FREQ+1.0.xml"
    src.rename(ecb_folder / "metadata/codelists/frequencies.xml")
    (problem,) = check(Registry.open(ecb_folder))
    assert problem.sentence == (
        "metadata/codelists/frequencies.xml, codelist ECB:CL_FREQ(1.0): the file should be "
        "metadata/codelists/ECB+CL_FREQ+1.0.xml (rule: one file per artefact version, named after it)."
    )
