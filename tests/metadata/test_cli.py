"""``dataops metadata check|diff|import`` as a pipeline and a shell use them."""

from __future__ import annotations

import dataclasses
import subprocess

from dataops.cli import main
from dataops.metadata import Code, Registry, save, write_artefact


def _git(folder, *args):
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def test_check_passes_on_the_real_ecb_structures_and_fails_naming_each_broken_rule(ecb_folder, capsys):
    assert main(["metadata", "check", str(ecb_folder)]) == 0
    assert "15 artefact version(s)" in capsys.readouterr().out
    (ecb_folder / "metadata/codelists/ECB+CL_UNIT+1.0.xml").unlink()
    (ecb_folder / "processes").mkdir()
    (ecb_folder / "processes/exr.toml").write_text('version = "1.0.0"\nflow = "EXR"\n')
    assert main(["metadata", "check", str(ecb_folder)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "metadata/datastructures/ECB+ECB_EXR1+1.0.xml, datastructure ECB:ECB_EXR1(1.0): it refers to codelist "
        "ECB:CL_UNIT(1.0), which the registry does not hold (rule: every reference resolves).",
        "processes/exr.toml, configuration of process exr: processes/exr.schema.json is missing "
        "(rule: a process configuration meets the JSON Schema that ships with the process).",
        f"dataops metadata check: 2 broken rule(s) in {ecb_folder}.",
    ]


def test_check_against_the_target_branch_refuses_a_released_version_changed_in_place(ecb_folder, capsys):
    _git(ecb_folder, "init", "-q", "-b", "deploy/prod")
    _git(ecb_folder, "add", "metadata")
    _git(ecb_folder, "commit", "-qm", "ECB EXR")
    cl = Registry.open(ecb_folder).get("codelist", "ECB", "CL_FREQ")
    path = ecb_folder / "metadata/codelists/ECB+CL_FREQ+1.0.xml"
    path.write_bytes(write_artefact(dataclasses.replace(cl, codes=(*cl.codes, Code("F", "Fortnightly")))))
    assert main(["metadata", "check", str(ecb_folder), "--base", "deploy/prod"]) == 1
    assert (
        "metadata/codelists/ECB+CL_FREQ+1.0.xml, codelist ECB:CL_FREQ(1.0): it differs from "
        f"{ecb_folder}@deploy/prod: codes added: F (rule: a released version never changes; a change gets a new version)."
    ) in capsys.readouterr().err


def test_diff_prints_each_change_with_its_bump(ecb_folder, capsys):
    registry = Registry.open(ecb_folder)
    cl = registry.get("codelist", "ECB", "CL_FREQ")
    save(ecb_folder, dataclasses.replace(cl, version="2.0.0", codes=cl.codes[1:]), registry)
    old = ecb_folder / "metadata/codelists/ECB+CL_FREQ+1.0.xml"
    new = ecb_folder / "metadata/codelists/ECB+CL_FREQ+2.0.0.xml"
    assert main(["metadata", "diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert f"major  codes removed: {cl.codes[0].id}" in out
    assert "the change needs a major bump; the versions make a major one" in out


def test_import_refuses_nothing_half_written(samples, ecb_folder, capsys):
    cl = ecb_folder / "metadata/codelists/ECB+CL_FREQ+1.0.xml"
    cl.write_bytes(cl.read_bytes().replace(b'id="A"', b'id="Y"'))
    before = sorted(p.name for p in ecb_folder.rglob("*.xml"))
    (ecb_folder / "metadata/dataflows/ECB+EXR+1.0.xml").unlink()
    assert (
        main(["metadata", "import", str(samples / "ECB_EXR/1/structure-full.xml"), "--dir", str(ecb_folder)])
        == 1
    )
    assert "rule: a released version never changes" in capsys.readouterr().err
    assert sorted(p.name for p in ecb_folder.rglob("*.xml")) == [n for n in before if n != "ECB+EXR+1.0.xml"]


def test_a_base_that_looks_like_an_option_is_refused(ecb_folder, capsys):
    _git(ecb_folder, "init", "-q", "-b", "deploy/prod")
    assert main(["metadata", "check", str(ecb_folder), "--base=--output=/tmp/x"]) == 1
    assert "'--output=/tmp/x' is not a git revision." in capsys.readouterr().err
    assert main(["metadata", "check", str(ecb_folder), "--base", "deploy/nowhere"]) == 1
    assert "git could not read deploy/nowhere" in capsys.readouterr().err
