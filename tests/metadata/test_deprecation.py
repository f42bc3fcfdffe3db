"""Deprecating a code (a ``DEPRECATED`` annotation with its date, SDMX-ML 3.0) instead of removing
it, and removing a code stored series still use: refused when saving and again at review, naming
the series. Real ECB EXR structures, real ECB data in a real store, a real git remote."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
from pysdmx.io.xml.doc_validation import validate_doc

import dataops
from dataops.errors import InvalidInput
from dataops.metadata import Registry, import_message, write_artefact
from dataops.metadata.artefacts import Codelist
from dataops.metadata.editing import artefact_from_json, artefact_json, preview, save_edit
from dataops.metadata.registry import read_artefact_file
from dataops.promotion.access import Identity
from dataops.promotion.config import Environment
from dataops.promotion.plan import build_plan
from dataops.promotion.submit import submit
from dataops.promotion.targets.git import GitTarget
from dataops.sdmx.readers import read_data
from dataops.settings import resolve
from dataops.store.usage import SeriesCounter
from tests.fakes.git_http import git_server, make_bare_repo  # noqa: F401
from tests.metadata.store_config import store_sources

GBP_SERIES = "1 stored series uses GBP (CURRENCY of ECB:EXR), e.g. M.GBP.EUR.SP00.A"


def _currencies(registry: Registry) -> Codelist:
    flow = registry.get("dataflow", "ECB", "EXR")
    dsd = registry.resolve(flow.structure)
    ref = next(d for d in dsd.dimensions if d.id == "CURRENCY").codelist
    codelist = registry.resolve(ref)
    assert isinstance(codelist, Codelist)
    return codelist


def _without(codelist: Codelist, code: str) -> Codelist:
    return dataclasses.replace(codelist, codes=tuple(c for c in codelist.codes if c.id != code))


def _deprecating(codelist: Codelist, code: str, day: str) -> Codelist:
    codes = tuple(dataclasses.replace(c, deprecated=day) if c.id == code else c for c in codelist.codes)
    return dataclasses.replace(codelist, codes=codes)


@pytest.fixture
def stored(work: Path, samples: Path, dataops_config: Path, tmp_path: Path) -> Path:
    """ECB's USD series, and the same for GBP, in the store STORE whose structures are ``work``'s."""
    folder = work / "project"
    store_sources(dataops_config, tmp_path, {"STORE": (folder, "")})
    _, dsd = Registry.open(folder).structure_for("ECB:EXR")
    usd = read_data(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", dsd).to_pandas().astype({"CURRENCY": str})
    dataops.write("STORE", "ECB:EXR", pd.concat([usd, usd.assign(CURRENCY="GBP")], ignore_index=True))
    return folder


@pytest.fixture
def work(samples: Path, tmp_path: Path) -> Path:
    """A user's working copy (under ``project/``) holding ECB EXR's artefacts, version 1.0 each."""
    root = tmp_path / "work"
    import_message(root / "project", samples / "ECB_EXR/1/structure-full.xml")
    return root


def test_a_deprecated_code_is_an_annotation_that_validates_and_reads_back(ecb_folder):
    registry = Registry.open(ecb_folder)
    edited = _deprecating(_currencies(registry), "GBP", "2027-01-01")

    body = write_artefact(dataclasses.replace(edited, version="1.1.0"))

    assert b"<com:AnnotationType>DEPRECATED</com:AnnotationType>" in body
    assert b"<com:AnnotationValue>2027-01-01</com:AnnotationValue>" in body
    # pysdmx checks it against the SDMX-ML 3.0 schemas (its reader does not take AnnotationValue yet).
    validate_doc(body.decode())
    back = read_artefact_file(body, "x.xml")
    assert next(c for c in back.codes if c.id == "GBP").deprecated == "2027-01-01"
    assert artefact_from_json(json.loads(json.dumps(artefact_json(back)))) == back  # as the editors send it


def test_deprecating_is_a_minor_change_and_is_saved_to_the_file(ecb_folder):
    registry = Registry.open(ecb_folder)
    edited = _deprecating(_currencies(registry), "GBP", "2027-01-01")

    shown = preview(registry, edited)
    saved = save_edit(ecb_folder, edited)

    assert shown["changes"] == [{"what": "codes deprecated: GBP", "bump": "minor"}]
    assert saved["version"] == "1.1.0"
    again = Registry.open(ecb_folder).get("codelist", edited.agency, edited.id, "1.1.0")
    assert [c.id for c in again.codes if c.deprecated] == ["GBP"]
    undone = _deprecating(again, "GBP", "")
    assert preview(Registry.open(ecb_folder), undone)["changes"] == [
        {"what": "codes no longer deprecated: GBP", "bump": "minor"}
    ]


def test_a_deprecation_date_must_be_a_date(ecb_folder):
    body = json.loads(json.dumps(artefact_json(_currencies(Registry.open(ecb_folder)))))
    body["codes"][0]["deprecated"] = "soon"
    with pytest.raises(InvalidInput, match=r"Code \w+ is deprecated from 'soon'; give a date as 2026-12-31."):
        artefact_from_json(body)


def test_removing_a_code_stored_series_use_is_refused_when_saving_naming_them(stored):
    counter = SeriesCounter.from_config(resolve().config)
    codelist = _currencies(Registry.open(stored))

    with pytest.raises(InvalidInput) as refused:
        save_edit(stored, _without(codelist, "GBP"), counter)

    assert GBP_SERIES in refused.value.message and "Deprecate the code instead" in refused.value.message
    assert Registry.open(stored).versions("codelist", codelist.agency, codelist.id) == [
        codelist
    ]  # nothing saved
    assert save_edit(stored, _without(codelist, "CHF"), counter)["version"] == "2.0.0"  # no series uses CHF


def test_the_review_refuses_a_codelist_that_drops_a_stored_code(stored, work, git_server, tmp_path):  # noqa: F811
    make_bare_repo(git_server.root, "deploy")
    remote = f"{git_server.url}/deploy.git"
    env, target = Environment("test", "deploy/test", remote=remote), GitTarget(remote)
    files = sorted(p.relative_to(work).as_posix() for p in (stored / "metadata").rglob("*.xml"))
    plan = build_plan(work, files[0], env, target, Identity("alice"), extra_files=files[1:])
    assert plan.metadata_problems == []
    submit(plan, target, tmp_path / "audit.jsonl", "ECB EXR structures")
    codelist = _currencies(Registry.open(stored))
    dropped = stored / f"metadata/codelists/{codelist.agency}+{codelist.id}+2.0.0.xml"
    dropped.write_bytes(write_artefact(dataclasses.replace(_without(codelist, "GBP"), version="2.0.0")))

    plan = build_plan(work, dropped.relative_to(work).as_posix(), env, target, Identity("alice"))

    (sentence,) = plan.metadata_problems
    assert sentence == (
        f"metadata/codelists/{codelist.agency}+{codelist.id}+2.0.0.xml, codelist "
        f"{codelist.agency}:{codelist.id}(2.0.0): it removes codes stored series use: {GBP_SERIES} "
        "(rule: a code stored data use is deprecated, not removed)."
    )
    assert not plan.to_json()["can_submit"]
