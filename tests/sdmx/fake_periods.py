"""The test provider's own reading of SDMX periods, written apart from `dataops.sdmx.periods`.

A fake that filtered with dataops' code would check that code against itself; this one follows the
SDMX REST rules from their text: a period stands for its whole span of days, and a query keeps the
observations whose span lies between the first day of ``startPeriod`` and the last day of ``endPeriod``.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# Sub-annual periods that count months: how many months one period of each kind spans.
MONTHS_PER = {"A": 12, "S": 6, "T": 4, "Q": 3, "M": 1}


def span(period: str) -> tuple[date, date] | None:
    """First and last day of ``period``, or ``None`` when the fake does not read it."""
    text = period.split("/")[0].split("T")[0] if "-" in period else period
    pieces = text.split("-")
    if not pieces[0].isdigit() or len(pieces[0]) != 4:
        return None
    year = int(pieces[0])
    if len(pieces) == 1:
        return date(year, 1, 1), date(year, 12, 31)
    tail = pieces[1]
    try:
        if len(pieces) == 3:
            day = date(year, int(tail), int(pieces[2]))
            return day, day
        if tail.isdigit():
            return _month_run(year, int(tail), 1)
        kind, number = tail[0], int(tail[1:])
        if kind in MONTHS_PER:
            size = MONTHS_PER[kind]
            return _month_run(year, size * (number - 1) + 1, size) if number * size <= 12 else None
        if kind == "W":
            monday = date.fromisocalendar(year, number, 1)
            return monday, monday + timedelta(days=6)
        if kind == "D":
            day = date(year, 1, 1) + timedelta(days=number - 1)
            return (day, day) if day.year == year else None
    except ValueError:
        return None
    return None


def _month_run(year: int, first_month: int, months: int) -> tuple[date, date]:
    last_month = first_month + months - 1
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def within(period: str, start: str | None, end: str | None) -> bool:
    """Does the observation's whole period lie inside the bounds? Unreadable periods are kept."""
    days = span(period)
    if days is None:
        return True
    low = span(start)[0] if start and span(start) else date.min
    high = span(end)[1] if end and span(end) else date.max
    return low <= days[0] and days[1] <= high


def chronological(period: str) -> tuple:
    """Sort key: by first day, then last day; unreadable periods after all others."""
    days = span(period)
    return (0, *days, period) if days else (1, date.max, date.max, period)
