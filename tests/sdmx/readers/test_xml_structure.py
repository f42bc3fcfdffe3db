"""SDMX-ML 2.1 and 3.0 structure messages: dataflows, dimensions in order with codes, attributes."""

from __future__ import annotations

from dataops.sdmx.readers import read_structure


def test_ecb_full_structure_resolves_dimension_codes_from_codelists(samples):
    msg = read_structure(samples / "ECB_EXR/1/structure-full.xml")
    assert [(f.id, f.agency, f.version, f.structure_id) for f in msg.dataflows] == [
        ("EXR", "ECB", "1.0", "ECB_EXR1")
    ]
    (dsd,) = msg.structures
    assert [d.id for d in dsd.dimensions] == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
    assert dsd.time_dimension == "TIME_PERIOD"
    assert len(dsd.attributes) == 24
    currency = dsd.dimension("CURRENCY")
    assert currency.name == "Currency"
    assert len(currency.codes) == 355
    assert currency.codes.set_index("id").loc["USD", "name"] == "US dollar"
    levels = {a.id: a.level for a in dsd.attributes}
    assert levels["OBS_STATUS"] == "observation" and levels["TIME_FORMAT"] == "series"
    assert levels["TITLE"] == "group"  # related to CURRENCY, CURRENCY_DENOM, EXR_TYPE only
    assert len(msg.codelists["CL_ORGANISATION"]) == 992


def test_sdmx_ml_3_structure_has_the_same_dimensions_and_attribute_levels(samples):
    (dsd,) = read_structure(samples / "v3/xml/ECB_EXR1.xml").structures
    assert [d.id for d in dsd.dimensions] == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
    assert dsd.time_dimension == "TIME_PERIOD"
    assert len(dsd.attributes) == 24
    assert {a.id: a.level for a in dsd.attributes}["OBS_STATUS"] == "observation"
    flows = read_structure(samples / "v3/xml/dataflow.xml").dataflows
    assert [(f.id, f.structure_id, f.name) for f in flows] == [("EXR", "EXR", "ECB Exchange Rates")]


def test_eurostat_partial_codelists_resolve_to_the_referenced_version(samples):
    msg = read_structure(samples / "ESTAT/GOV_10Q_GGNFA.xml")
    (dsd,) = msg.structures
    assert [d.id for d in dsd.dimensions] == ["freq", "unit", "s_adj", "sector", "na_item", "geo"]
    assert msg.dataflows[0].structure_version == "43.0"
    assert len(msg.codelists["ESTAT:GEO(13.0)"]) == 36
    assert len(msg.codelists["ESTAT:GEO(13.1)"]) == 33
    # the DSD points at GEO 13.1 and UNIT 15.2 (both partial), not at the other versions
    assert len(dsd.dimension("geo").codes) == 33
    assert len(dsd.dimension("unit").codes) == len(msg.codelists["ESTAT:UNIT(15.2)"]) == 3
