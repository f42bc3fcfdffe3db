"""SDMX time periods as date ranges, so bounds compare properly across frequencies.

``2024`` covers 2024-01-01..2024-12-31, ``2024-Q2`` 2024-04-01..2024-06-30, ``2024-W05`` the ISO week
(Monday to Sunday), ``2024-03-31`` one day. A query's ``start``/``end`` select the observations whose
whole period lies between the first day of ``start`` and the last day of ``end`` (as SDMX-RI does):
``start=2024-02`` keeps ``2024-Q2`` but not ``2024-Q1``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_TIME = re.compile(r"(?<=^\d{4}-\d{2}-\d{2})T.*$")
_FORM = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|([AQSTMWD])(\d{1,3})))?$")
# Months per sub-annual reporting period: semester, trimester (4 months), quarter, month.
_MONTHS = {"A": 12, "S": 6, "T": 4, "Q": 3, "M": 1}


def period_range(text: str) -> tuple[date, date] | None:
    """First and last day of an SDMX period, or ``None`` when ``text`` is no SDMX period.

    Date-times and time ranges (``2024-01-01T00:00:00/P1D``) count as the day they start on.
    """
    text = str(text).strip()
    head = _TIME.sub("", text.split("/", 1)[0])
    match = _FORM.match(head)
    if not match:
        return None
    year = int(match.group(1))
    month, day, kind, number = match.group(2), match.group(3), match.group(4), match.group(5)
    try:
        if day:
            one = date(year, int(month), int(day))
            return one, one
        if month:
            return _months(year, int(month), 1)
        if kind is None:
            return _months(year, 1, 12)
        n = int(number)
        if kind in _MONTHS:
            size = _MONTHS[kind]
            if not 1 <= n <= 12 // size:
                return None
            return _months(year, (n - 1) * size + 1, size)
        if kind == "W":
            monday = date.fromisocalendar(year, n, 1)
            return monday, monday + timedelta(days=6)
        one = date(year, 1, 1) + timedelta(days=n - 1)  # D: day of the year
        return (one, one) if n >= 1 and one.year == year else None
    except ValueError:
        return None


def _months(year: int, first: int, count: int) -> tuple[date, date]:
    last = first + count - 1
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


class PeriodFilter:
    """Keeps the periods inside ``start``..``end`` (either may be ``None``)."""

    def __init__(self, start: str | None, end: str | None) -> None:
        first = period_range(start) if start else None
        last = period_range(end) if end else None
        self.start = first[0] if first else None
        self.end = last[1] if last else None

    @property
    def active(self) -> bool:
        """True when there is a bound to apply."""
        return self.start is not None or self.end is not None

    def keeps(self, period: str) -> bool:
        """Is this observation's period within the bounds? Unreadable periods are kept, not lost."""
        span = period_range(period)
        if span is None:
            return True
        return (self.start is None or span[0] >= self.start) and (self.end is None or span[1] <= self.end)


def sort_key(period: str) -> tuple:
    """Order periods chronologically (by first day, then last day), unreadable ones by text after."""
    span = period_range(period)
    return (0, span[0], span[1], period) if span else (1, date.min, date.min, period)
