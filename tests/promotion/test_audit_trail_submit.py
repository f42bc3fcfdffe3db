"""A promotion to a real git remote, recorded in the PostgreSQL audit trail: the commit that landed
has its audit record, the one that conflicted has its outcome, and no attempt is left open."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from dataops.errors import Conflict
from dataops.promotion.access import Identity
from dataops.promotion.audit import open_audit_trail
from dataops.promotion.config import Environment
from dataops.promotion.plan import build_plan
from dataops.promotion.submit import submit
from dataops.promotion.targets.git import GitTarget
from tests.fakes.git_http import make_bare_repo


def test_a_landed_and_a_conflicting_promotion_are_both_recorded_and_none_left_open(
    workspace, git_server, pg_dsn
):
    make_bare_repo(git_server.root, "deploy")
    remote = f"{git_server.url}/deploy.git"
    schema = f"submit_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    trail = open_audit_trail(f"{pg_dsn}?options=-csearch_path%3D{schema}")
    env = Environment("dev", "deploy/dev", remote=remote)
    target = GitTarget(remote)
    first = build_plan(workspace, "analysis.ipynb", env, target, Identity("alice"))
    second = build_plan(workspace, "analysis.ipynb", env, target, Identity("bob"))

    landed = submit(first, target, trail, "Promote analysis")
    with pytest.raises(Conflict):
        submit(second, target, trail, "Promote analysis again")

    assert [c.commit_sha for c in trail.commits()] == [landed.commit_sha]
    assert [(e.author, e.outcome) for e in trail.history(["dev"]).entries] == [
        ("bob", "conflict"),
        ("alice", "landed"),
    ]
    assert trail.pending() == []
