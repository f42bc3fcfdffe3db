"""GitLab credentials: from the server's environment or a per-user token file, never shown.

Every token this module hands out is remembered (`dataops.redaction`), so that log lines, error
sentences and git output never show it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from dataops import redaction
from dataops.errors import ConfigError, Unauthorized

MASK = redaction.MASK
remember = redaction.remember  # re-exported: the GitLab client and the tests take them from here
redact = redaction.redact
RedactingFilter = redaction.RedactingFilter


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
    remember(token)
    return token
