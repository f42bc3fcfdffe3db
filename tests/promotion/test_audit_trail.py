"""The audit trail keeps every promotion attempt, newest first in the history, and records a landed
commit together with its audit record or not at all. Every test runs against both stores: the JSON
lines file and PostgreSQL on the session's real server."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from dataops.errors import Conflict
from dataops.promotion.audit import CommitRecord, open_audit_trail


class Refused(Exception):
    """What the caller's own work inside a landing raises in these tests."""


@pytest.fixture(params=["file", "postgresql"])
def trail_at(request, tmp_path):
    """Where an empty audit trail is: a file path, or the module's database emptied."""
    if request.param == "file":
        return tmp_path / "audit.jsonl"
    return _fresh_schema(request.getfixturevalue("pg_dsn"))


def _fresh_schema(dsn: str) -> str:
    """``dsn`` pointed at a new empty schema: an audit trail cannot be emptied, by design."""
    name = f"audit_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{dsn}?options=-csearch_path%3D{name}"


def _attempt(n: int, env: str) -> dict:
    return {
        "user": f"user{n}",
        "environment": env,
        "branch": f"deploy/{env}",
        "commit_message": f"Promotion {n}",
    }


def _commit(n: int, env: str) -> CommitRecord:
    return CommitRecord(f"{n:040x}", env, f"deploy/{env}", f"https://git.example/c/{n}")


def test_history_lists_landings_and_failures_newest_first_per_environment(trail_at):
    trail = open_audit_trail(trail_at)
    for n in range(1, 7):
        env = "dev" if n % 2 else "prod"
        if n == 4:
            trail.append({**_attempt(n, env), "outcome": "conflict", "message": "The branch moved."})
            continue
        with trail.landing(_attempt(n, env), _commit(n, env)):
            pass
    assert [e.message for e in trail.history().entries] == [f"Promotion {n}" for n in range(6, 0, -1)]
    prod = trail.history(["prod"], limit=2).entries
    assert [(e.message, e.outcome, e.reason) for e in prod] == [
        ("Promotion 6", "landed", ""),
        ("Promotion 4", "conflict", "The branch moved."),
    ]
    assert prod[0].commit_sha == f"{6:040x}" and prod[0].branch == "deploy/prod"
    assert [r["commit_message"] for r in open_audit_trail(trail_at).records()] == [
        f"Promotion {n}" for n in range(1, 7)
    ]


def test_every_recorded_commit_has_its_audit_record(trail_at):
    trail = open_audit_trail(trail_at)
    for n in range(3):
        with trail.landing(_attempt(n, "dev"), _commit(n, "dev")) as done:
            assert done.record["commit_sha"] == f"{n:040x}"
    landed = {r["commit_sha"] for r in trail.records() if r["outcome"] == "landed"}
    assert {c.commit_sha for c in trail.commits()} == landed == {f"{n:040x}" for n in range(3)}


def test_a_landing_whose_work_fails_records_neither_the_commit_nor_the_audit_record(trail_at):
    trail = open_audit_trail(trail_at)
    with pytest.raises(Refused), trail.landing(_attempt(1, "prod"), _commit(1, "prod")):
        raise Refused("the caller's own record could not be written")
    assert trail.records() == [] and trail.commits() == []
    assert trail.history().entries == []


def test_history_ids_are_the_same_in_both_stores(trail_at, tmp_path):
    record = {**_attempt(1, "dev"), "outcome": "forbidden", "at": "2026-01-01T00:00:00+00:00"}
    trail = open_audit_trail(trail_at)
    trail.append(record)
    [entry] = trail.history().entries
    [again] = trail.history().entries
    assert entry.id == again.id and len(entry.id) == 16


def test_the_postgresql_trail_refuses_a_commit_recorded_twice_and_any_rewrite(pg_dsn):
    dsn = _fresh_schema(pg_dsn)
    trail = open_audit_trail(dsn)
    with trail.landing(_attempt(1, "prod"), _commit(1, "prod")):
        pass
    with (
        pytest.raises(Conflict, match="already recorded"),
        trail.landing(_attempt(2, "prod"), _commit(1, "prod")),
    ):
        pass
    assert len(trail.records()) == 1
    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in ("UPDATE promotion_audit SET outcome = 'landed'", "DELETE FROM promotion_audit"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)


def test_an_attempt_stays_pending_until_its_outcome_is_recorded(pg_dsn):
    dsn = _fresh_schema(pg_dsn)
    trail = open_audit_trail(dsn)
    first, second = trail.begin(_attempt(1, "prod")), trail.begin(_attempt(2, "prod"))
    assert [a["attempt_id"] for a in trail.pending()] == [first, second]
    with trail.landing(_attempt(1, "prod"), _commit(1, "prod"), attempt_id=first):
        pass
    trail.fail(second, {**_attempt(2, "prod"), "outcome": "conflict"})
    assert trail.pending() == []
    assert [r["outcome"] for r in trail.records()] == ["landed", "conflict"]
