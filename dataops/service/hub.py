"""The hub's own record of a user, read with the service's token: the only source of a caller's groups."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import httpx

from dataops.errors import Forbidden, Unreachable


@dataclass(frozen=True)
class Caller:
    """A hub user as the hub describes them: name and group names (sorted)."""

    name: str
    groups: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """``{"name", "groups"}``, as ``GET api/whoami`` answers."""
        return {"name": self.name, "groups": list(self.groups)}


class HubDirectory:
    """Looks users up in the hub's REST API with the service's own token (scope ``read:users:groups``)."""

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
        return Caller(name=model["name"], groups=tuple(sorted(model.get("groups") or ())))

    async def close(self) -> None:
        """Close the HTTP connections to the hub."""
        await self._client.aclose()
