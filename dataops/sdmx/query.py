"""A data query (flow, key, periods, limits) and the checks on its parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dataops.errors import InvalidInput
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.periods import period_range
from dataops.sdmx.rest.terms import ANY, LATEST

# SDMX reporting periods: 2024, 2024-03, 2024-03-31, 2024-Q1, 2024-S2, 2024-W05, 2024-M03, 2024-A1,
# 2024-D060, plus ISO date-times (updatedAfter, daily data with time).
_PERIOD = re.compile(
    r"^\d{4}(-(\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?"
    r"|Q[1-4]|S[12]|T[1-3]|A1|W\d{2}|M\d{2}|D\d{3}))?$"
)
_FLOW_ID = re.compile(r"^[A-Za-z0-9_@$\-]+$")
_AGENCY = re.compile(r"^[A-Za-z0-9_@$\-.]+$")
_VERSION = re.compile(r"^([0-9]+(\.[0-9]+)*(-[A-Za-z0-9]+)?|latest|~|\*|[0-9]+\.[0-9]+\+?\.?[0-9]*\+?)$")


def check_period(value: str | int | None, name: str = "period") -> str | None:
    """Normalise a period bound to a string, or `InvalidInput` naming the accepted forms."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not _PERIOD.match(text) or period_range(text) is None:
        raise InvalidInput(
            f"{name} {text!r} is not an SDMX period; use forms like 2024, 2024-03, 2024-03-31, "
            "2024-Q1, 2024-S1 or 2024-W05."
        )
    return text


@dataclass(frozen=True)
class FlowRef:
    """A dataflow reference: ``EXR``, ``ECB,EXR,1.0`` or ``ECB:EXR(1.0)``."""

    id: str
    agency: str = ""
    version: str = ""

    @classmethod
    def parse(cls, text: str) -> FlowRef:
        """Parse any of the three notations; `InvalidInput` when it is none of them."""
        text = str(text).strip()
        agency = flow_id = version = ""
        if "," in text:
            parts = text.split(",")
            if len(parts) in (2, 3):
                agency, flow_id, version = [*parts, ""][:3]
        else:
            match = re.match(r"^(?:([^:()]+):)?([^:()]+)(?:\(([^()]+)\))?$", text)
            if match:
                agency, flow_id, version = match.group(1) or "", match.group(2), match.group(3) or ""
        if agency in ANY:
            agency = ""
        # Any version and the latest both leave the choice to the provider: its latest.
        if version in ANY or version in LATEST:
            version = ""
        if (
            not _FLOW_ID.match(flow_id)
            or (agency and not _AGENCY.match(agency))
            or (version and not _VERSION.match(version))
        ):
            raise InvalidInput(
                f"{text!r} is not a dataflow reference; "
                "use an id like 'EXR', 'ECB,EXR,1.0' or 'ECB:EXR(1.0)'."
            )
        return cls(flow_id, agency, version)

    def __str__(self) -> str:
        if self.agency or self.version:
            return f"{self.agency or 'all'},{self.id},{self.version or 'latest'}"
        return self.id


@dataclass(frozen=True)
class DataQuery:
    """Everything a data request asks for, validated on construction."""

    flow: FlowRef
    key: SeriesKey = SeriesKey()
    start: str | None = None
    end: str | None = None
    last: int | None = None
    first: int | None = None
    updated_after: str | None = None
    series_keys_only: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", check_period(self.start, "start"))
        object.__setattr__(self, "end", check_period(self.end, "end"))
        object.__setattr__(self, "updated_after", check_period(self.updated_after, "updated_after"))
        for name in ("last", "first"):
            value = getattr(self, name)
            if value is None or value == "":
                object.__setattr__(self, name, None)
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = 0
            if number < 1 or str(value).strip() != str(number):
                raise InvalidInput(f"{name} must be a positive whole number of observations, not {value!r}.")
            object.__setattr__(self, name, number)
        first, last = period_range(self.start or ""), period_range(self.end or "")
        if first and last and first[0] > last[1]:
            raise InvalidInput(f"The period starts ({self.start}) after it ends ({self.end}).")
