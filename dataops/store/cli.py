"""``dataops store``: maintenance of the series store (``expire``)."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta

from dataops.errors import InvalidInput

_AGE = re.compile(r"^(\d+)\s*(d|days?|w|weeks?|h|hours?)$")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``store`` sub-commands."""
    store = subparsers.add_parser("store", help="maintain the versioned series store")
    sub = store.add_subparsers(dest="store_command")
    store.set_defaults(func=lambda _args: store.print_help() or 2)
    expire = sub.add_parser(
        "expire",
        help="expire old snapshots, keeping every tagged vintage",
        description="Expire the snapshots of every stored dataflow committed before --older-than; "
        "tagged vintages and each dataflow's latest version are kept (their data stays readable).",
    )
    expire.add_argument(
        "--older-than", required=True, help="a date or ISO 8601 time, or an age such as 90d, 12w, 48h"
    )
    expire.add_argument("--source", help="only this store source (default: every store source)")
    expire.set_defaults(func=run_expire)


def cutoff(text: str, now: datetime | None = None) -> str:
    """``--older-than`` as an ISO time: ages (``90d``, ``12w``, ``48h``) count back from now."""
    match = _AGE.match(text.strip())
    if not match:
        return text
    number, unit = int(match.group(1)), match.group(2)[0]
    delta = {"d": timedelta(days=number), "w": timedelta(weeks=number), "h": timedelta(hours=number)}[unit]
    return ((now or datetime.now(UTC)) - delta).isoformat()


def run_expire(args: argparse.Namespace) -> int:
    """Expire and print one line per dataflow."""
    from dataops.settings import resolve
    from dataops.store import service

    if not args.older_than.strip():
        raise InvalidInput("--older-than needs a date, a time or an age such as 90d.")
    for flow, count in service.expire(resolve().config, cutoff(args.older_than), args.source):
        print(f"{flow}: {count} snapshot(s) expired")
    return 0
