"""SDMX 3.0 versioning: each change calls for a bump, and a smaller bump is refused with a sentence."""

from __future__ import annotations

import dataclasses

import pytest

from dataops.errors import InvalidMetadata
from dataops.metadata import Bump, Code, CubeRegion, KeyValue, Registry, check, diff, proposed_version, save
from dataops.metadata.sdmxml import read_artefacts


def _constraint(folder):
    return Registry.open(folder).get("dataconstraint", "ECB", "EXR_CONSTRAINTS")


def _with_currencies(con, codes):
    (region,) = con.regions
    kvs = tuple(KeyValue("CURRENCY", tuple(codes)) if kv.id == "CURRENCY" else kv for kv in region.key_values)
    return dataclasses.replace(con, regions=(CubeRegion(True, kvs),))


def _currencies(con):
    return next(kv.values for kv in con.regions[0].key_values if kv.id == "CURRENCY")


def test_the_real_eurostat_geo_codelists_differ_by_removed_codes_a_major_change(samples):
    arts = read_artefacts((samples / "ESTAT/GOV_10Q_GGNFA.xml").read_bytes(), "GOV_10Q_GGNFA.xml")
    geo = {a.version: a for a in arts if a.id == "GEO"}
    d = diff(geo["13.0"], geo["13.1"])
    assert d.required is Bump.MAJOR and d.given is Bump.MINOR
    (removed,) = [c for c in d.changes if c.bump is Bump.MAJOR]
    assert removed.what.startswith("codes removed: ")
    assert (
        "codelist ESTAT:GEO 13.0 → 13.1 is a minor bump, but SDMX versioning asks for a major bump"
        in d.problem()
    )


def test_names_are_patches_additions_minor_removals_major(ecb_folder):
    cl = Registry.open(ecb_folder).get("codelist", "ECB", "CL_FREQ")
    renamed = dataclasses.replace(cl, version="1.0.1", name="Frequencies")
    added = dataclasses.replace(cl, version="1.1.0", codes=(*cl.codes, Code("F", "Fortnightly")))
    removed = dataclasses.replace(cl, version="2.0.0", codes=cl.codes[1:])
    assert [diff(cl, new).required for new in (renamed, added, removed)] == [
        Bump.PATCH,
        Bump.MINOR,
        Bump.MAJOR,
    ]
    assert all(not diff(cl, new).problem() for new in (renamed, added, removed))


def test_narrowing_an_allowed_constraint_is_major_and_widening_minor(ecb_folder):
    con = _constraint(ecb_folder)
    narrower = _with_currencies(con, [c for c in _currencies(con) if c != "USD"])
    d = diff(con, dataclasses.replace(narrower, version="2.0.0"))
    assert [(c.what, c.bump) for c in d.changes] == [("CURRENCY no longer allows USD", Bump.MAJOR)]
    wider = diff(narrower, con)
    assert [(c.what, c.bump) for c in wider.changes] == [("CURRENCY now allows USD", Bump.MINOR)]
    reordered = _with_currencies(con, sorted(_currencies(con)))
    assert [c.bump for c in diff(con, reordered).changes] == [Bump.PATCH]


def test_a_bump_smaller_than_the_change_is_refused_naming_file_artefact_and_rule(ecb_folder):
    con = _constraint(ecb_folder)
    narrowed = dataclasses.replace(_with_currencies(con, ["GBP", "JPY"]), version="1.1.0")
    with pytest.raises(InvalidMetadata) as caught:
        save(ecb_folder, narrowed)
    assert caught.value.message.startswith(
        "metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.1.0.xml, dataconstraint ECB:EXR_CONSTRAINTS(1.1.0): "
        "dataconstraint ECB:EXR_CONSTRAINTS 1.0 → 1.1.0 is a minor bump, but SDMX versioning asks for a major bump: "
        "CURRENCY no longer allows "
    )
    assert caught.value.message.endswith(
        "(rule: SDMX semantic versioning: the bump is at least what the change needs)."
    )
    assert not (ecb_folder / "metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.1.0.xml").exists()
    assert proposed_version(Registry.open(ecb_folder), narrowed) == "2.0.0"


def test_check_reports_a_too_small_bump_written_by_hand(ecb_folder):
    con = _constraint(ecb_folder)
    narrowed = dataclasses.replace(_with_currencies(con, ["GBP"]), version="1.0.1")
    from dataops.metadata import write_artefact

    (ecb_folder / "metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.0.1.xml").write_bytes(
        write_artefact(narrowed)
    )
    (problem,) = check(Registry.open(ecb_folder))
    assert problem.file == "metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.0.1.xml"
    assert "is a patch bump, but SDMX versioning asks for a major bump" in problem.sentence


def test_a_released_version_keeps_its_content(ecb_folder):
    cl = Registry.open(ecb_folder).get("codelist", "ECB", "CL_FREQ")
    with pytest.raises(
        InvalidMetadata,
        match=r"version 1.0 exists with other content \(codes added: F\) \(rule: a released version never changes",
    ):
        save(ecb_folder, dataclasses.replace(cl, codes=(*cl.codes, Code("F", "Fortnightly"))))
