"""Reading the promotion history back from the audit log: newest first, per environment, robust to an
append in progress, loud about damage anywhere else."""

from __future__ import annotations

import json

import pytest

from dataops.errors import InvalidInput, MalformedMessage
from dataops.promotion import audit, history
from dataops.promotion.history import read_history


def _promote(log, env, n, **extra):
    return audit.append(
        log,
        {
            "user": f"user{n}",
            "environment": env,
            "branch": f"deploy/{env}",
            "outcome": "landed",
            "commit_sha": f"{n:040x}",
            "commit_message": f"Promotion {n}",
            "source": f"work/nb{n}.ipynb",
            "files": [f"notebooks/nb{n}.ipynb"],
            "plan_id": f"{n:032x}",
            **extra,
        },
    )


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "audit.jsonl"
    for n in range(1, 7):
        _promote(path, "dev" if n % 2 else "prod", n)
    return path


def test_newest_promotion_comes_first(log):
    entries = read_history(log).entries
    assert [e.message for e in entries] == [f"Promotion {n}" for n in range(6, 0, -1)]
    assert entries[0].author == "user6" and entries[0].path == "work/nb6.ipynb"
    assert entries[0].commit_sha == f"{6:040x}" and entries[0].outcome == "landed"


def test_author_shows_the_display_name_beside_the_account(tmp_path):
    path = tmp_path / "audit.jsonl"
    _promote(path, "dev", 1, user="a1b2c3", user_name="Ana Analyst")
    _promote(path, "dev", 2, user="rita", user_name="rita")
    assert [e.author for e in read_history(path).entries] == ["rita", "Ana Analyst (a1b2c3)"]


def test_environment_filter_and_limit(log):
    dev = read_history(log, ["dev"], limit=2).entries
    assert [(e.environment, e.message) for e in dev] == [("dev", "Promotion 5"), ("dev", "Promotion 3")]
    assert [e.message for e in read_history(log, ["prod"], limit=20).entries] == [
        "Promotion 6",
        "Promotion 4",
        "Promotion 2",
    ]
    assert read_history(log, [], limit=5).entries == []


def test_ids_are_stable_and_distinct(log):
    first = [e.id for e in read_history(log).entries]
    _promote(log, "dev", 7)
    second = [e.id for e in read_history(log).entries]
    assert second[1:] == first and len(set(second)) == 7


def test_missing_log_means_no_promotions_yet(tmp_path):
    result = read_history(tmp_path / "nothing.jsonl")
    assert result.entries == [] and result.torn_last_line is False


def test_torn_last_line_is_left_out_and_reported(log):
    with log.open("ab") as f:
        f.write(b'{"user": "eve", "environment": "dev", "outc')  # an append still being written
    result = read_history(log, ["dev"])
    assert result.torn_last_line is True
    assert [e.message for e in result.entries] == ["Promotion 5", "Promotion 3", "Promotion 1"]


def test_complete_last_line_without_newline_is_read(log):
    with log.open("ab") as f:
        f.write(json.dumps({"user": "eve", "environment": "dev", "outcome": "conflict"}).encode())
    result = read_history(log, ["dev"])
    assert result.torn_last_line is False and result.entries[0].author == "eve"


def test_damaged_line_in_the_middle_names_file_and_line(log):
    lines = log.read_bytes().splitlines(keepends=True)
    lines[2] = b'{"user": "user3", "environment": "dev" BROKEN\n'
    log.write_bytes(b"".join(lines))
    with pytest.raises(MalformedMessage, match=rf"{log} is damaged at line 3"):
        read_history(log)
    # the newest promotions before the damage are still readable with a small limit
    assert [e.message for e in read_history(log, limit=3).entries] == [
        "Promotion 6",
        "Promotion 5",
        "Promotion 4",
    ]


def test_damaged_last_line_with_its_newline_is_an_error_not_a_torn_append(log):
    with log.open("ab") as f:
        f.write(b"not json\n")
    with pytest.raises(MalformedMessage, match="line 7"):
        read_history(log)


def test_a_json_value_that_is_not_a_record_is_damage(log):
    with log.open("ab") as f:
        f.write(b"[1, 2]\n")
    with pytest.raises(MalformedMessage, match="line 7"):
        read_history(log)


def test_lines_spanning_read_blocks_and_blank_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(history, "BLOCK", 37)  # smaller than one record: every line crosses blocks
    path = tmp_path / "audit.jsonl"
    for n in range(1, 40):
        _promote(path, "dev", n, note="é" * (n % 5))  # multi-byte characters cut by blocks too
        if n == 20:
            with path.open("ab") as f:
                f.write(b"\n   \n")
    entries = read_history(path, limit=100).entries
    assert [e.message for e in entries] == [f"Promotion {n}" for n in range(39, 0, -1)]
    path.write_bytes(path.read_bytes().replace(b'"Promotion 10"', b'"Promotion 10"}}', 1))
    with pytest.raises(MalformedMessage, match="line 10"):
        read_history(path, limit=100)


def test_failed_attempts_say_why(tmp_path):
    path = tmp_path / "audit.jsonl"
    audit.append(
        path,
        {
            "user": "ana",
            "environment": "dev",
            "outcome": "blocked_by_secrets",
            "scan": {"clean": False, "findings": ["nb.ipynb, cell 2 (source), line 2: AWS Access Key"]},
        },
    )
    audit.append(
        path,
        {"user": "ana", "environment": "dev", "outcome": "conflict", "message": "deploy/dev moved."},
    )
    conflict, blocked = read_history(path).entries
    assert conflict.reason == "deploy/dev moved." and conflict.commit_sha is None
    assert blocked.reason == "1 possible secret(s) found: nb.ipynb, cell 2 (source), line 2: AWS Access Key"


@pytest.mark.parametrize("limit", [0, -1, 501, True, "5"])
def test_limit_out_of_range_is_refused(log, limit):
    with pytest.raises(InvalidInput, match="between 1 and 500"):
        read_history(log, limit=limit)
