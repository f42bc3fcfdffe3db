"""The hub's own record of a user, read with the service's token: the only source of a caller's groups.

Where the hub keeps ``auth_state`` (``c.Authenticator.enable_auth_state``, e.g. with GitLab's
OAuthenticator) and the service's role has ``admin:auth_state``, the same answer carries the user's
GitLab access token, which ``gitlab_identity = "user"`` environments commit with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from dataops import redaction
from dataops.errors import Forbidden, Unreachable


@dataclass(frozen=True)
class Caller:
    """A hub user as the hub describes them: name, group names (sorted) and, when the hub keeps one in
    the user's ``auth_state``, their GitLab access token (never shown, compared or serialised)."""

    name: str
    groups: tuple[str, ...]
    gitlab_token: str | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, object]:
        """``{"name", "groups"}``, as ``GET api/whoami`` answers."""
        return {"name": self.name, "groups": list(self.groups)}


class HubDirectory:
    """Looks users up in the hub's REST API with the service's own token (scopes ``read:users:groups``
    and, for per-user GitLab identity, ``admin:auth_state``)."""

    def __init__(self, api_url: str, api_token: str, *, timeout: float = 10.0) -> None:
        self._api_url = api_url.rstrip("/")
        self._client = httpx.AsyncClient(headers={"Authorization": f"token {api_token}"}, timeout=timeout)

    async def caller(self, name: str) -> Caller:
        """The hub's user model for ``name`` reduced to a `Caller`; the hub's refusal is `Forbidden`."""
        url = f"{self._api_url}/users/{quote(name, safe='')}"
        try:
            reply = await self._client.get(url)
        except httpx.HTTPError as exc:
            raise Unreachable(f"the JupyterHub API at {self._api_url} does not answer: {exc}") from exc
        if reply.status_code in (401, 403, 404):
            # The service's role lacks read:users:groups, or the user was deleted since the token check.
            raise Forbidden(
                f"the hub does not let the DataOps service read the user {name!r} (HTTP {reply.status_code})"
            )
        if reply.status_code != 200:
            raise Unreachable(f"the JupyterHub API at {self._api_url} answered HTTP {reply.status_code}")
        model = reply.json()
        return Caller(
            name=model["name"],
            groups=tuple(sorted(model.get("groups") or ())),
            gitlab_token=gitlab_token(model.get("auth_state")),
        )

    async def close(self) -> None:
        """Close the HTTP connections to the hub."""
        await self._client.aclose()


def gitlab_token(auth_state: Any) -> str | None:
    """The GitLab access token in a hub user's ``auth_state`` (where GitLab's OAuthenticator keeps it
    as ``access_token``), or None; a token found is remembered so no log line or error shows it."""
    token = auth_state.get("access_token") if isinstance(auth_state, dict) else None
    if not isinstance(token, str) or not token.strip():
        return None
    redaction.remember(token.strip())
    return token.strip()
