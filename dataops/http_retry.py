"""``Retry-After``, read the same way by every HTTP client of the project (SDMX providers, GitLab).

RFC 9110 allows two forms: a number of seconds (``Retry-After: 120``) or an HTTP date
(``Retry-After: Wed, 21 Oct 2026 07:28:00 GMT``). Both are understood here.
"""

from __future__ import annotations

import email.utils
import time
from datetime import UTC


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, ``None`` when it is absent or unreadable.

    A date in the past means "now" (0 seconds). ``now`` (a Unix time) is for tests.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" zones parse as naive; HTTP dates are always in UTC
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
