"""Apply a data query to a real sample message, in the message's own format, as a provider would.

The local provider (`fake_provider`) serves whole sample files; this narrows them to what the
query selects: series by key, observations by period (whole periods inside ``start``..``end``,
compared as dates so ``2024-Q1``, ``2024-03`` and ``2024-W05`` mix properly), the first or last N
observations per series, and series keys only. SDMX-ML (generic and structure-specific, 2.1 and
3.0), SDMX-CSV 1.0/2.0 and SDMX-JSON 1.0/2.0 are filtered in place and written back.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from lxml import etree

from dataops.sdmx.provider_errors import safe_parser
from tests.sdmx.fake_periods import chronological, within


@dataclass(frozen=True)
class Selection:
    """What a data query asks for, from its REST 1.x or 2.x parameters."""

    key: str = "all"
    start: str | None = None
    end: str | None = None
    last: int | None = None
    first: int | None = None
    series_keys_only: bool = False

    @classmethod
    def from_params(cls, key: str, params: dict[str, str]) -> Selection:
        """Read ``startPeriod``/``endPeriod`` (1.x) or ``c[TIME_PERIOD]=ge:..+le:..`` (2.x) and the rest."""
        start, end = params.get("startPeriod"), params.get("endPeriod")
        for name, value in params.items():
            if name.startswith("c[") and name[2:-1] in ("TIME_PERIOD", "TIME"):
                for part in re.split(r"[+,]", value):
                    op, _, period = part.partition(":")
                    if op == "ge":
                        start = period
                    elif op == "le":
                        end = period
        keys_only = params.get("detail") == "serieskeysonly" or (
            params.get("attributes") == "none" and params.get("measures") == "none"
        )
        last, first = params.get("lastNObservations"), params.get("firstNObservations")
        return cls(key, start, end, int(last) if last else None, int(first) if first else None, keys_only)

    def wants_series(self, series_key: str) -> bool:
        """Does the key select this series (dot-separated codes)?"""
        if self.key in ("all", "*", ""):
            return True
        wanted, codes = self.key.split("."), series_key.split(".")
        return len(wanted) == len(codes) and all(
            w in ("", "*") or c in re.split(r"[+,]", w) for w, c in zip(wanted, codes, strict=True)
        )

    def kept_periods(self, periods: list[str]) -> set[str]:
        """The periods of one series that survive the bounds and the first/last N limit."""
        if self.series_keys_only:
            return set()
        kept = sorted((p for p in periods if within(p, self.start, self.end)), key=chronological)
        if self.last:
            kept = kept[-self.last :]
        if self.first:
            kept = kept[: self.first]
        return set(kept)


def filter_message(media: str, body: bytes, selection: Selection, dims: tuple[str, ...]) -> bytes | None:
    """The message narrowed to the selection, or ``None`` when no series is left."""
    if "csv" in media:
        return _csv(body, selection, dims)
    if "json" in media:
        return _json(body, selection)
    return _xml(body, selection, dims)


def _xml(body: bytes, selection: Selection, dims: tuple[str, ...]) -> bytes | None:
    root = etree.fromstring(body, safe_parser())
    left = 0
    for series in list(root.iter("{*}Series")):
        generic = series.find("{*}SeriesKey")
        if generic is not None:
            key = ".".join(v.get("value", "") for v in generic.iterfind("{*}Value"))
        else:
            key = ".".join(series.get(d, "") for d in dims)
        if not selection.wants_series(key):
            series.getparent().remove(series)
            continue
        observations = list(series.iterfind("{*}Obs"))
        periods = [_obs_period(obs) for obs in observations]
        kept = selection.kept_periods(periods)
        if not kept and not selection.series_keys_only:
            series.getparent().remove(series)  # providers leave out series without observations
            continue
        for obs, period in zip(observations, periods, strict=True):
            if period not in kept:
                series.remove(obs)
        if selection.series_keys_only:
            for attributes in series.iterfind("{*}Attributes"):
                series.remove(attributes)
        left += 1
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") if left else None


def _obs_period(obs: etree._Element) -> str:
    dimension = obs.find("{*}ObsDimension")
    return dimension.get("value", "") if dimension is not None else obs.get("TIME_PERIOD", "")


def _csv(body: bytes, selection: Selection, dims: tuple[str, ...]) -> bytes | None:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    header, data = rows[0], rows[1:]
    positions = [header.index(d) for d in dims]
    time_at = header.index("TIME_PERIOD")
    by_series: dict[str, list[list[str]]] = {}
    for row in data:
        by_series.setdefault(".".join(row[i] for i in positions), []).append(row)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    left = 0
    for key, series_rows in by_series.items():
        if not selection.wants_series(key):
            continue
        if selection.series_keys_only:
            left += 1
            # SDMX-CSV has no series without observations: one row with the key and nothing else.
            writer.writerow(
                [v if i in positions or i < min(positions) else "" for i, v in enumerate(series_rows[0])]
            )
            continue
        kept = selection.kept_periods([r[time_at] for r in series_rows])
        left += bool(kept)
        writer.writerows(r for r in series_rows if r[time_at] in kept)
    return out.getvalue().encode() if left else None


def _json(body: bytes, selection: Selection) -> bytes | None:
    doc = json.loads(body)
    root = doc.get("data", doc)
    structure = root["structure"] if "structure" in root else root["structures"][0]
    series_dims = structure["dimensions"]["series"]
    periods = [v["id"] for v in structure["dimensions"]["observation"][0]["values"]]
    left = 0
    for dataset in root["dataSets"]:
        for index_key, series in list(dataset["series"].items()):
            codes = [series_dims[i]["values"][int(n)]["id"] for i, n in enumerate(index_key.split(":"))]
            if not selection.wants_series(".".join(codes)):
                del dataset["series"][index_key]
                continue
            observations = series.get("observations", {})
            kept = selection.kept_periods([periods[int(i)] for i in observations])
            if not kept and not selection.series_keys_only:
                del dataset["series"][index_key]
                continue
            left += 1
            series["observations"] = {i: v for i, v in observations.items() if periods[int(i)] in kept}
    return json.dumps(doc).encode() if left else None
