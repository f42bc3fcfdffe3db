"""Promotion history: the audit log read back newest first, per environment.

The log is append-only JSON lines (`dataops.promotion.audit`), so it is read backwards in blocks and
reading stops once ``limit`` entries are found: the newest promotions cost the same however long
the log grows. A last line without its newline that does not parse is an append still in progress
(or cut short by a crash): it is left out and reported in `History.torn_last_line`. Any other line
that is not a JSON object raises `MalformedMessage` naming the file and the line number.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from dataops.errors import InvalidInput, MalformedMessage

BLOCK = 64 * 1024
MAX_LIMIT = 500


@dataclass
class HistoryEntry:
    """One promotion attempt as the audit log recorded it."""

    id: str  # stable: derived from the line's bytes (the log is never rewritten)
    time: str
    environment: str
    branch: str  # where the commit landed (the review branch for protected environments)
    author: str
    outcome: str  # landed, blocked_by_secrets, conflict, forbidden, ...
    commit_sha: str | None = None
    commit_url: str | None = None
    message: str = ""  # the commit message (recorded since the history exists)
    reason: str = ""  # why it did not land
    path: str | None = None  # the promoted file under the user's folder
    files: list[str] = field(default_factory=list)
    merge_request: str | None = None
    plan_id: str = ""
    pipeline_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (snake_case)."""
        return asdict(self)


@dataclass
class History:
    """Entries newest first, and whether an unfinished last line was left out."""

    entries: list[HistoryEntry]
    torn_last_line: bool = False


def check_limit(limit: int) -> int:
    """``limit`` when it is between 1 and `MAX_LIMIT`, else `InvalidInput` saying so."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            f"The number of promotions to show must be between 1 and {MAX_LIMIT}, not {limit!r}."
        )
    return limit


def read_history(path: Path, environments: Iterable[str] | None = None, limit: int = 20) -> History:
    """The newest ``limit`` promotions to ``environments`` (all when None) recorded in ``path``."""
    check_limit(limit)
    wanted = None if environments is None else set(environments)
    if not path.is_file():
        return History([])
    entries: list[HistoryEntry] = []
    torn = False
    with path.open("rb") as handle:
        for index, (start, raw) in enumerate(_lines_backwards(handle)):
            record = _parse(raw)
            if record is None:
                if index == 0 and not raw.endswith(b"\n"):
                    torn = True
                    continue
                raise MalformedMessage(
                    f"The promotion audit log {path} is damaged at line {_line_number(handle, start)}: "
                    "it is not a JSON record. Repair or move that line; the log is otherwise read as is."
                )
            if wanted is not None and record.get("environment") not in wanted:
                continue
            entries.append(entry_from_record(record, raw))
            if len(entries) >= limit:
                break
    return History(entries, torn)


def _lines_backwards(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Each non-blank line, last first, with the offset where it starts (its newline kept)."""
    pos = handle.seek(0, os.SEEK_END)
    buf = b""
    while pos > 0:
        step = min(BLOCK, pos)
        pos -= step
        handle.seek(pos)
        buf = handle.read(step) + buf  # buf is the file from pos up to the lines not yet yielded
        while (cut := buf.rfind(b"\n", 0, len(buf) - 1)) >= 0:  # the newline ending the line before
            line, buf = buf[cut + 1 :], buf[: cut + 1]
            if line.strip():
                yield pos + cut + 1, line
    if buf.strip():
        yield 0, buf


def _line_number(handle: BinaryIO, offset: int) -> int:
    handle.seek(0)
    return handle.read(offset).count(b"\n") + 1


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) else None


def _author(record: dict[str, Any]) -> str:
    """The promoter's display name with the account in brackets when they differ."""
    user, name = str(record.get("user", "")), str(record.get("user_name") or "")
    return f"{name} ({user})" if name and name.casefold() != user.casefold() else user


def entry_from_record(record: dict[str, Any], raw: bytes) -> HistoryEntry:
    """The history entry of one audit record; ``raw`` is its JSON line (the entry's id derives from it)."""
    landed = record.get("outcome") == "landed"
    return HistoryEntry(
        id=hashlib.sha1(raw.rstrip(b"\n"), usedforsecurity=False).hexdigest()[:16],
        time=str(record.get("at", "")),
        environment=str(record.get("environment", "")),
        branch=str(record.get("landed_on") or record.get("branch", "")),
        author=_author(record),
        outcome=str(record.get("outcome", "")),
        commit_sha=record.get("commit_sha"),
        commit_url=record.get("commit_url") or None,
        message=str(record.get("commit_message", "")),
        reason="" if landed else _reason(record),
        path=record.get("source"),
        files=list(record.get("files") or []),
        merge_request=record.get("merge_request"),
        plan_id=str(record.get("plan_id", "")),
        pipeline_id=record.get("pipeline_id"),
    )


def _reason(record: dict[str, Any]) -> str:
    if record.get("message"):
        return str(record["message"])
    findings = (record.get("scan") or {}).get("findings") or []
    if record.get("outcome") == "blocked_by_secrets" and findings:
        return f"{len(findings)} possible secret(s) found: " + "; ".join(map(str, findings))
    return ""
