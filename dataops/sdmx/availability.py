"""Availability answers: which codes still have data in each dimension for a partial key.

Both SDMX 2.1 ``availableconstraint`` and SDMX 3.0 ``availability`` answer with a structure
message holding one constraint whose cube region lists the codes per dimension: SDMX-ML, or
SDMX-JSON (1.0 ``contentConstraints``, 2.0 ``dataConstraints``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from dataops.errors import MalformedMessage
from dataops.sdmx.provider_errors import safe_parser


@dataclass
class Availability:
    """Codes with data per dimension id, plus the counts the provider reported (if any)."""

    key: str
    codes: dict[str, list[str]] = field(default_factory=dict)
    series_count: int | None = None
    obs_count: int | None = None
    url: str = ""

    def to_json(self) -> dict:
        """The JSON shape the server answers with."""
        return {
            "key": self.key,
            "dimensions": self.codes,
            "series_count": self.series_count,
            "obs_count": self.obs_count,
            "url": self.url,
        }


def parse_availability(body: bytes, key: str, url: str = "") -> Availability:
    """Read the cube region of an SDMX-ML 2.1 / 3.0 or SDMX-JSON 1.0 / 2.0 availability answer."""
    if body.lstrip()[:1] == b"{":
        return _from_json(body, key, url)
    try:
        root = etree.fromstring(body, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedMessage(
            f"The availability answer from {url or 'the provider'} is not valid XML: {exc}"
        ) from exc
    out = Availability(key=key, url=url)
    for region in root.iter("{*}CubeRegion"):
        if region.get("include", "true").lower() == "false":
            continue
        for kv in region.iter("{*}KeyValue"):
            values = [v.text.strip() for v in kv.iter("{*}Value") if v.text and v.text.strip()]
            codes = out.codes.setdefault(kv.get("id", ""), [])
            codes.extend(c for c in dict.fromkeys(values) if c not in codes)
    for ann in root.iter("{*}Annotation"):
        kind = _text(ann, "AnnotationType")
        title = _text(ann, "AnnotationTitle")
        if kind in ("series_count", "obs_count") and title and title.isdigit():
            setattr(out, kind, int(title))
    return out


def _text(el: etree._Element, local: str) -> str:
    for child in el.iter(f"{{*}}{local}"):
        return (child.text or "").strip()
    return ""


def _from_json(body: bytes, key: str, url: str) -> Availability:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedMessage(
            f"The availability answer from {url or 'the provider'} is not valid JSON: {exc}"
        ) from exc
    data = doc.get("data", {}) if isinstance(doc, dict) else {}
    constraints = data.get("contentConstraints") or data.get("dataConstraints") or []
    if not isinstance(constraints, list):
        raise MalformedMessage(
            f"The availability answer from {url or 'the provider'} has no constraint list."
        )
    out = Availability(key=key, url=url)
    for constraint in constraints:
        for region in constraint.get("cubeRegions") or []:
            if region.get("isIncluded", region.get("include", True)) is False:
                continue
            for kv in region.get("keyValues") or []:
                values = [_value(v) for v in kv.get("values") or []]
                codes = out.codes.setdefault(kv.get("id", ""), [])
                codes.extend(c for c in dict.fromkeys(values) if c and c not in codes)
        for ann in constraint.get("annotations") or []:
            kind, title = ann.get("id") or ann.get("type"), str(ann.get("title", ""))
            if kind in ("series_count", "obs_count") and title.isdigit():
                setattr(out, kind, int(title))
    return out


def _value(value: Any) -> str:
    """A code as SDMX-JSON writes it: a string (1.0) or ``{"value": ...}`` (2.0)."""
    return str(value.get("value", "")) if isinstance(value, dict) else str(value)
