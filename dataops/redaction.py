"""Keeping secrets out of what people see: log lines, step logs, error sentences, the browser.

Two tools. `redact` masks every secret this process was handed (`remember`: GitLab tokens, the
engine's password) and anything shaped like a credential (``user:password@`` in URLs, GitLab
tokens, authorisation headers); `RedactingFilter` applies it to a logger, `attach_filter` to the
loggers that can carry secrets. `public_url`/`public` drop the user-info of URLs (``https://user:pw@host``
becomes ``https://host``), for everything the server sends to a browser.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

MASK = "[REDACTED]"

_KNOWN: set[str] = set()
_URL_PASSWORD = re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+(?=@)")
_GITLAB_TOKEN = re.compile(r"\bglpat-[A-Za-z0-9_\-]{10,}")
_AUTH_HEADER = re.compile(r"(?i)(private-token|authorization)(\s*[:=]\s*)(bearer\s+|basic\s+)?\S+")
# scheme://userinfo@ in any text: the user-info ends at the first @ before a path, query or fragment
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s]+@")


def remember(secret: str | None) -> None:
    """Treat ``secret`` as something to redact from now on (in this process)."""
    if secret:
        _KNOWN.add(secret)


def redact(text: str, extra: Iterable[str | None] = ()) -> str:
    """``text`` with remembered secrets, ``extra``, passwords in URLs and auth headers replaced by
    ``[REDACTED]``."""
    for secret in [*_KNOWN, *(e for e in extra if e)]:
        if secret in text:
            text = text.replace(secret, MASK)
    # the patterns are only tried where their mark is, as step logs pass here line by line
    if "@" in text:
        text = _URL_PASSWORD.sub(MASK, text)
    if "glpat-" in text:
        text = _GITLAB_TOKEN.sub(MASK, text)
    lowered = text.lower()
    if "private-token" in lowered or "authorization" in lowered:
        text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts every record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def attach_filter(*loggers: logging.Logger | str) -> None:
    """Put one `RedactingFilter` on each logger and on each of its handlers (a logger's own filter
    does not see the records its children pass up; its handlers' filters do). Idempotent."""
    for item in loggers:
        logger = logging.getLogger(item) if isinstance(item, str) else item
        for target in (logger, *logger.handlers):
            if not any(isinstance(f, RedactingFilter) for f in target.filters):
                target.addFilter(RedactingFilter())


def public_url(url: str) -> str:
    """``url`` without user-info: ``https://user:pw@host/x`` becomes ``https://host/x``."""
    return _USERINFO.sub(r"\1", url) if "@" in url else url


def public(value: Any) -> Any:
    """``value`` (JSON-ready: dicts, lists, text) with the user-info removed from every URL in its
    text, also inside sentences."""
    if isinstance(value, str):
        return public_url(value)
    if isinstance(value, dict):
        return {key: public(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [public(item) for item in value]
    return value
