"""Promotion carries metadata: artefact files and process configurations land at their own path in
the deployment repository, are secret-scanned, and a change breaking the metadata rules is refused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import dataops
from dataops.errors import InvalidData, InvalidInput, InvalidMetadata
from dataops.metadata import CubeRegion, KeyValue, Registry, import_message, save, write_artefact
from dataops.promotion.access import Identity
from dataops.promotion.config import Environment
from dataops.promotion.plan import build_plan
from dataops.promotion.submit import submit
from dataops.promotion.targets.git import GitTarget
from dataops.sdmx.readers import read_data
from tests.fakes.git_http import git, make_bare_repo
from tests.metadata.store_config import store_sources
from tests.metadata.test_processes import write_process

ALICE = Identity("alice", name="Alice", email="alice@bank.example")
CONSTRAINT = "metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.0.xml"


@pytest.fixture
def remote(git_server):
    make_bare_repo(git_server.root, "deploy")
    return f"{git_server.url}/deploy.git"


@pytest.fixture
def work(shared_dir: Path, tmp_path: Path) -> Path:
    """A user's working copy (under ``project/``) holding ECB EXR's artefacts, version 1.0 each."""
    root = tmp_path / "work"
    import_message(root / "project", shared_dir / "sdmx-samples/ECB_EXR/1/structure-full.xml")
    return root


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "project/metadata").rglob("*.xml"))


def _promote_all(work: Path, env: Environment, target: GitTarget, tmp_path: Path) -> None:
    files = _files(work)
    main = f"project/{CONSTRAINT}"
    plan = build_plan(work, main, env, target, ALICE, extra_files=[f for f in files if f != main])
    assert plan.metadata_problems == []
    submit(plan, target, tmp_path / "audit.jsonl", "ECB EXR structures")


def _without_usd(work: Path, version: str):
    con = Registry.open(work / "project").get("dataconstraint", "ECB", "EXR_CONSTRAINTS")
    (region,) = con.regions
    kvs = tuple(
        KeyValue(kv.id, tuple(c for c in kv.values if c != "USD")) if kv.id == "CURRENCY" else kv
        for kv in region.key_values
    )
    return dataclasses.replace(con, version=version, regions=(CubeRegion(region.include, kvs),))


def test_artefact_files_land_at_their_own_path_under_metadata(work, remote, git_server, tmp_path):
    env = Environment("test", "deploy/test", remote=remote)
    target = GitTarget(remote)
    files = _files(work)
    plan = build_plan(
        work, f"project/{CONSTRAINT}", env, target, ALICE, extra_files=[f for f in files if f != CONSTRAINT]
    )
    assert {f.destination for f in plan.files} == {f.removeprefix("project/") for f in files}
    assert {f.kind for f in plan.files} == {"metadata"}
    assert plan.to_json()["can_submit"] and plan.scan.clean
    done = submit(plan, target, tmp_path / "audit.jsonl", "ECB EXR structures")
    shown = git(git_server.root / "deploy.git", "show", f"{done.commit_sha}:{CONSTRAINT}")
    assert shown.encode().strip() == (work / "project" / CONSTRAINT).read_bytes().strip()


def test_a_bump_smaller_than_the_change_refuses_the_promotion_naming_file_artefact_and_rule(
    work, remote, git_server, tmp_path
):
    env = Environment("test", "deploy/test", remote=remote)
    target = GitTarget(remote)
    _promote_all(work, env, target, tmp_path)
    head = git(git_server.root / "deploy.git", "rev-parse", "deploy/test")
    too_small = work / "project/metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.1.0.xml"
    too_small.write_bytes(write_artefact(_without_usd(work, "1.1.0")))  # by hand: save would refuse it
    plan = build_plan(work, too_small.relative_to(work).as_posix(), env, target, ALICE)
    (sentence,) = plan.metadata_problems
    assert sentence.startswith(
        "metadata/dataconstraints/ECB+EXR_CONSTRAINTS+1.1.0.xml, dataconstraint ECB:EXR_CONSTRAINTS(1.1.0): "
    )
    assert (
        "is a minor bump, but SDMX versioning asks for a major bump: CURRENCY no longer allows USD"
        in sentence
    )
    assert sentence.endswith("(rule: SDMX semantic versioning: the bump is at least what the change needs).")
    assert not plan.to_json()["can_submit"]
    with pytest.raises(InvalidMetadata) as err:
        submit(plan, target, tmp_path / "audit.jsonl", "Drop USD")
    assert sentence in err.value.message
    assert git(git_server.root / "deploy.git", "rev-parse", "deploy/test") == head  # nothing landed

    too_small.unlink()
    right = save(work / "project", _without_usd(work, "2.0.0"))
    plan = build_plan(work, right.relative_to(work).as_posix(), env, target, ALICE)
    assert plan.metadata_problems == [] and plan.files[0].diff.status == "new"
    submit(plan, target, tmp_path / "audit.jsonl", "Drop USD")
    served = Registry.at_revision(git_server.root / "deploy.git", "deploy/test")
    assert served.get("dataconstraint", "ECB", "EXR_CONSTRAINTS").version == "2.0.0"


def test_a_missing_reference_refuses_the_promotion(work, remote):
    env = Environment("test", "deploy/test", remote=remote)
    plan = build_plan(work, f"project/{CONSTRAINT}", env, GitTarget(remote), ALICE)
    assert (
        f"{CONSTRAINT}, dataconstraint ECB:EXR_CONSTRAINTS(1.0): it refers to dataflow ECB:EXR(1.0), "
        "which the registry does not hold (rule: every reference resolves)."
    ) in plan.metadata_problems


def test_a_process_configuration_and_its_schema_land_under_processes(work, remote, git_server, tmp_path):
    env = Environment("test", "deploy/test", remote=remote)
    target = GitTarget(remote)
    write_process(work / "project")
    plan = build_plan(
        work, "project/processes/exr_daily.toml", env, target, ALICE,
        extra_files=["project/processes/exr_daily.schema.json"],
    )  # fmt: skip
    assert [f.destination for f in plan.files] == [
        "processes/exr_daily.toml",
        "processes/exr_daily.schema.json",
    ]
    submit(plan, target, tmp_path / "audit.jsonl", "EXR daily configuration")
    assert "max_missing_share = 0.1" in git(
        git_server.root / "deploy.git", "show", "deploy/test:processes/exr_daily.toml"
    )

    write_process(work / "project", version="1.1.0", share="0.9")
    plan = build_plan(work, "project/processes/exr_daily.toml", env, target, ALICE)
    (sentence,) = plan.metadata_problems
    assert sentence == (
        "processes/exr_daily.toml, configuration of process exr_daily: max_missing_share: 0.9 is greater "
        "than the maximum of 0.5, against processes/exr_daily.schema.json (rule: a process configuration "
        "meets the JSON Schema that ships with the process)."
    )


def test_a_secret_in_a_process_configuration_blocks_the_promotion(work, remote):
    write_process(work / "project")
    config = work / "project/processes/exr_daily.toml"
    config.write_text(config.read_text() + 'aws_key = "AKIAIOSFODNN7EXAMPLF"\n')
    env = Environment("test", "deploy/test", remote=remote)
    plan = build_plan(work, "project/processes/exr_daily.toml", env, GitTarget(remote), ALICE)
    assert not plan.scan.clean
    assert plan.scan.findings[0].sentence == "project/processes/exr_daily.toml, file line 5: AWS Access Key"


def test_an_artefact_outside_the_metadata_layout_is_refused_saying_where_it_belongs(work, remote):
    (work / "ECB+CL_FREQ+1.0.xml").write_bytes(
        (work / "project/metadata/codelists/ECB+CL_FREQ+1.0.xml").read_bytes()
    )
    env = Environment("test", "deploy/test", remote=remote)
    with pytest.raises(InvalidInput) as err:
        build_plan(work, "ECB+CL_FREQ+1.0.xml", env, GitTarget(remote), ALICE)
    assert "an artefact file is promoted from metadata/<kind>s/" in err.value.message


def test_a_narrowed_constraint_promoted_to_test_refuses_a_store_write_there_not_in_dev(
    work, remote, git_server, shared_dir, dataops_config, tmp_path
):
    target = GitTarget(remote)
    for env_id in ("dev", "test"):
        _promote_all(work, Environment(env_id, f"deploy/{env_id}", remote=remote), target, tmp_path)
    narrowed = save(work / "project", _without_usd(work, "2.0.0"))
    test_env = Environment("test", "deploy/test", remote=remote)
    plan = build_plan(work, narrowed.relative_to(work).as_posix(), test_env, target, ALICE)
    submit(plan, target, tmp_path / "audit.jsonl", "Drop USD from EXR")

    deployment = git_server.root / "deploy.git"
    store_sources(
        dataops_config, tmp_path, {"DEV": (deployment, "deploy/dev"), "TEST": (deployment, "deploy/test")}
    )
    _, dsd = Registry.at_revision(deployment, "deploy/test").structure_for("ECB:EXR")
    usd = read_data(shared_dir / "sdmx-samples/ECB_EXR/1/M.USD.EUR.SP00.A.xml", dsd)

    with pytest.raises(InvalidData) as refused:
        dataops.write("TEST", "ECB:EXR", usd, message="USD per EUR")
    assert "row 0, column CURRENCY, value 'USD'" in refused.value.message
    assert "ECB:EXR_CONSTRAINTS(2.0.0)" in refused.value.message
    assert dataops.vintages("TEST", "EXR").empty

    assert dataops.write("DEV", "ECB:EXR", usd, message="USD per EUR").rows == usd.num_rows
    assert set(dataops.read("DEV", "ECB:EXR", "M.USD.EUR.SP00.A")["CURRENCY"]) == {"USD"}
