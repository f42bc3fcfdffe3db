"""GitLab credentials: from the server's environment or a per-user token file, never shown.

Every token this module hands out is remembered, and `redact` removes remembered tokens, URL
user-info and GitLab token patterns from any text (log lines, error sentences, git output).
`RedactingFilter` does the same for a logger.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from dataops.errors import ConfigError, Unauthorized

_KNOWN: set[str] = set()
_PATTERNS = [
    re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+(?=@)"),  # user:password@ in URLs
    re.compile(r"\bglpat-[A-Za-z0-9_\-]{10,}"),  # GitLab personal access tokens
    re.compile(r"(?i)(private-token|authorization)(\s*[:=]\s*)(bearer\s+|basic\s+)?\S+"),
]
MASK = "[REDACTED]"


def gitlab_token(env_var: str, token_file: Path) -> str:
    """The token from ``env_var`` or else ``token_file`` (which must be 0600 and owned by the user).

    Raises `Unauthorized` when neither holds a token, `ConfigError` when the file is readable by others.
    """
    token = os.environ.get(env_var, "").strip()
    if not token and token_file.is_file():
        mode = stat.S_IMODE(token_file.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(
                f"The token file {token_file} can be read by other users (mode {mode:o}); "
                f"run: chmod 600 {token_file}"
            )
        token = token_file.read_text().strip()
    if not token:
        raise Unauthorized(
            f"No GitLab token: set {env_var} in the server's environment or write one to {token_file} "
            "(chmod 600)."
        )
    _KNOWN.add(token)
    return token


def remember(secret: str | None) -> None:
    """Treat ``secret`` as something to redact from now on."""
    if secret:
        _KNOWN.add(secret)


def redact(text: str, extra: Iterable[str | None] = ()) -> str:
    """``text`` with tokens, passwords in URLs and auth headers replaced by ``[REDACTED]``."""
    for secret in [*_KNOWN, *(e for e in extra if e)]:
        text = text.replace(secret, MASK)
    text = _PATTERNS[0].sub(MASK, text)
    text = _PATTERNS[1].sub(MASK, text)
    return _PATTERNS[2].sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts every record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True
