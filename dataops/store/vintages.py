"""Vintages: the versions of a stored dataflow, one per write, and how ``as_of`` picks one.

A write is one catalog commit, which pyiceberg may record as two or three snapshots (files
dropped, files rewritten, rows added) committed together; the snapshots of one write carry the
same ``dataops.write`` id and the vintage is the last of them, so a reader never sees half a write.
Snapshots made by other engines are vintages of their own.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from dataops.errors import InvalidInput, UnknownVintage

WRITE_ID = "dataops.write"
PREFIX = "dataops."


@dataclass(frozen=True)
class Vintage:
    """One version of a dataflow: the snapshot a write produced, with who, when, why and counts."""

    snapshot_id: int
    committed_at: str
    tags: list[str] = field(default_factory=list)
    who: str = ""
    message: str = ""
    action: str = ""
    origin: dict[str, str] = field(default_factory=dict)
    rows_written: int | None = None
    total_rows: int | None = None
    timestamp_ms: int = 0

    @property
    def label(self) -> str:
        """The vintage's first tag, else its commit time."""
        return self.tags[0] if self.tags else self.committed_at

    def to_json(self) -> dict[str, Any]:
        """The vintage as the server's JSON answers carry it (``snapshot_id`` as text: it exceeds
        the integers JavaScript holds exactly)."""
        out = asdict(self)
        out["snapshot_id"] = str(self.snapshot_id)
        out["label"] = self.label
        del out["timestamp_ms"]
        return out


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def list_vintages(table: Any) -> list[Vintage]:
    """The vintages of the table's main history, oldest first."""
    metadata = table.metadata
    by_id = {s.snapshot_id: s for s in metadata.snapshots}
    tags: dict[int, list[str]] = {}
    for name, ref in metadata.refs.items():
        if str(ref.snapshot_ref_type).lower().endswith("tag"):
            tags.setdefault(ref.snapshot_id, []).append(name)
    chain = _main_chain(table, by_id)
    groups: list[list[Any]] = []
    for snapshot in chain:
        write_id = _summary(snapshot).get(WRITE_ID)
        if groups and write_id and _summary(groups[-1][-1]).get(WRITE_ID) == write_id:
            groups[-1].append(snapshot)
        else:
            groups.append([snapshot])
    out = []
    for group in groups:
        last = group[-1]
        props = _summary(last)
        origin = {
            k[len(PREFIX + "origin.") :]: v for k, v in props.items() if k.startswith(PREFIX + "origin.")
        }
        names = sorted({name for s in group for name in tags.get(s.snapshot_id, [])})
        out.append(
            Vintage(
                last.snapshot_id,
                _iso(last.timestamp_ms),
                names,
                props.get(PREFIX + "who", ""),
                props.get(PREFIX + "message", ""),
                props.get(PREFIX + "action", str(props.get("operation", ""))),
                origin,
                _int(props.get(PREFIX + "rows")),
                _int(props.get("total-records")),
                last.timestamp_ms,
            )
        )
    return out


def _main_chain(table: Any, by_id: dict[int, Any]) -> list[Any]:
    """The snapshots still kept, oldest first: the current one and its ancestors, and the tagged
    vintages whose later history was expired (their parent links then lead nowhere)."""
    chain: list[Any] = []
    current = table.metadata.current_snapshot_id
    while current is not None and current in by_id:
        snapshot = by_id[current]
        chain.append(snapshot)
        current = snapshot.parent_snapshot_id
    seen = {s.snapshot_id for s in chain}
    tagged = {ref.snapshot_id for ref in table.metadata.refs.values()}
    chain += [by_id[i] for i in tagged - seen if i in by_id]
    return sorted(chain, key=lambda s: (s.sequence_number or 0, s.timestamp_ms))


def _summary(snapshot: Any) -> dict[str, str]:
    summary = snapshot.summary
    if summary is None:
        return {}
    props = dict(summary.additional_properties)
    props["operation"] = (
        summary.operation.value if hasattr(summary.operation, "value") else str(summary.operation)
    )
    return props


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_instant(text: str) -> datetime | None:
    """A point in time from ISO 8601 text (a bare date means the end of that day, UTC; a time
    without offset is UTC), or None when ``text`` is not one."""
    text = text.strip()
    try:
        if _DATE.match(text):
            day = datetime.fromisoformat(text).replace(tzinfo=UTC)
            return day + timedelta(days=1) - timedelta(milliseconds=1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def resolve(table: Any, as_of: str | datetime | int | None, what: str) -> Vintage | None:
    """The vintage ``as_of`` names: a tag, a snapshot id, or the last write committed at or before a
    point in time; None (no ``as_of``) is the latest. `UnknownVintage` names what exists."""
    vintages = list_vintages(table)
    if as_of is None or as_of == "" or as_of == "latest":
        return vintages[-1] if vintages else None
    if isinstance(as_of, int) and not isinstance(as_of, bool):
        for vintage in vintages:
            if vintage.snapshot_id == as_of:
                return vintage
        raise UnknownVintage(f"{what} has no vintage with snapshot id {as_of}.")
    if isinstance(as_of, datetime):
        moment: datetime | None = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    else:
        text = str(as_of).strip()
        for vintage in vintages:
            if text in vintage.tags or text == str(vintage.snapshot_id):
                return vintage
        moment = parse_instant(text)
        if moment is None:
            named = [t for v in vintages for t in v.tags]
            listed = ", ".join(repr(t) for t in named) or "none"
            raise UnknownVintage(
                f"{what} has no vintage named {text!r} (named vintages: {listed}); "
                "as_of also takes a date or an ISO 8601 time."
            )
    assert moment is not None
    limit = int(moment.timestamp() * 1000)
    earlier = [v for v in vintages if v.timestamp_ms <= limit]
    if not earlier:
        first = vintages[0].committed_at if vintages else "none yet"
        raise UnknownVintage(f"{what} had no data yet at {moment.isoformat()} (first vintage: {first}).")
    return earlier[-1]


def check_tag_free(table: Any, name: str, what: str) -> None:
    """`InvalidInput` when ``name`` already names a vintage (tags are never moved)."""
    if not name.strip():
        raise InvalidInput("A vintage name cannot be empty.")
    if name in table.metadata.refs:
        raise InvalidInput(f"{what} already has a vintage named {name!r}; vintage names are never reused.")
    if parse_instant(name) is not None or name == "latest":
        raise InvalidInput(
            f"The vintage name {name!r} reads as a point in time; choose a name that does not."
        )
