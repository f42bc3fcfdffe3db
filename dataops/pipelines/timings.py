"""Per-notebook wall times: the timings file, the baseline comparison and its table."""

from __future__ import annotations

import json
from pathlib import Path

from dataops.errors import InvalidInput, MalformedMessage, NotFound
from dataops.pipelines.runner import PASSED, RunReport


def parse_tolerance(text: str) -> float:
    """``"20%"`` or ``"20"`` → 0.2: how much slower than the baseline a notebook may become."""
    raw = text.strip().rstrip("%").strip()
    try:
        value = float(raw) / 100
    except ValueError as exc:
        raise InvalidInput(f"The tolerance {text!r} must be a percentage such as 20%.") from exc
    if value < 0:
        raise InvalidInput(f"The tolerance {text!r} must not be negative.")
    return value


def write_timings(report: RunReport, path: Path) -> None:
    """Write ``{"notebooks": {path: seconds}}`` for the notebooks that passed (usable as a baseline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"notebooks": report.timings()}, indent=2) + "\n", encoding="utf-8")


def load_baseline(path: Path) -> dict[str, float]:
    """Read a timings file written by an earlier ``dataops run``."""
    if not path.is_file():
        raise NotFound(f"The baseline file {path} does not exist.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise MalformedMessage(f"The baseline file {path} is not valid JSON: {exc}") from exc
    notebooks = data.get("notebooks") if isinstance(data, dict) else None
    if not isinstance(notebooks, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in notebooks.values()
    ):
        raise MalformedMessage(
            f'The baseline file {path} must look like {{"notebooks": {{"name.ipynb": seconds}}}}, '
            "as written by dataops run --timings."
        )
    return {str(k): float(v) for k, v in notebooks.items()}


def compare(report: RunReport, baseline: dict[str, float], tolerance: float) -> None:
    """Mark each passed notebook slower than ``baseline * (1 + tolerance)`` as regressed."""
    report.tolerance = tolerance
    for result in report.results:
        base = baseline.get(result.notebook)
        if base is None or result.status != PASSED:
            continue
        result.baseline_seconds = base
        result.regressed = result.seconds > base * (1 + tolerance)


def timing_table(report: RunReport) -> str:
    """A plain-text table: notebook, status, seconds, baseline, change, verdict."""
    rows = [("notebook", "status", "seconds", "baseline", "change", "")]
    for r in report.results:
        if r.baseline_seconds:
            change = f"{(r.seconds / r.baseline_seconds - 1):+.0%}"
            base = f"{r.baseline_seconds:.2f}"
        else:
            change = base = "—"
        verdict = "SLOWER" if r.regressed else ""
        rows.append((r.notebook, r.status, f"{r.seconds:.2f}", base, change, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [_line(row, widths) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths).rstrip())
    return "\n".join(lines)


def _line(row: tuple[str, ...], widths: list[int]) -> str:
    # the notebook column reads best left-aligned, the figures right-aligned
    cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
    cells += [cell.rjust(w) for cell, w in zip(row[2:], widths[2:], strict=True)]
    return "  ".join(cells).rstrip()
