"""Who the signed-in user is, for rights, sentences, the promotion history and commit messages.

Under JupyterHub (or any identity provider that names people) the provider's user, with the hub's
groups. A single-user server with token or password login has no people: Jupyter makes up an
"Anonymous <moon>" with a random id per browser session, which would give every session its own
author. There the person is the account the server runs as (`dataops.promotion.access.server_account`),
named by ``c.PromotionSettings.display_name`` when set.
"""

from __future__ import annotations

import re
from typing import Any

from dataops.promotion.access import Identity, server_account

# what jupyter_server's IdentityProvider.generate_anonymous_user makes: a uuid4 hex and "Anonymous <moon>"
_ANONYMOUS_ID = re.compile(r"[0-9a-f]{32}")


def identity_of(user: Any, display_name: str = "") -> Identity:
    """The `Identity` of Jupyter's ``current_user``; the server's account when Jupyter's user is an
    anonymous session."""
    hub_user = getattr(user, "hub_user", None)
    username = getattr(user, "username", str(user))
    name = getattr(user, "name", "") or getattr(user, "display_name", "") or ""
    if hub_user is None and _ANONYMOUS_ID.fullmatch(username) and name.startswith("Anonymous "):
        return server_account(display_name)
    return Identity(username=username, groups=tuple((hub_user or {}).get("groups", ())), name=name)
