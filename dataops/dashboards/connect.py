"""Publish Shiny apps to Posit Connect through its own client, rsconnect-python.

One app is one Connect content item, found by its name (``name_prefix`` + the app's name, so two
environments can share a server). Publishing uploads a new bundle to that item and deploys it;
Connect keeps serving the previous bundle until the new one is activated, and keeps it when the
deployment fails. The commit is recorded in the item's ``description`` together with the bundle
it describes, so `PositConnectTarget.published` can tell a commit from a stale note: Connect's
API lists the description back, and a bundle activated by someone else shows no commit.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from dataops import redaction
from dataops.dashboards.connect_bundle import rsconnect, shiny_bundle
from dataops.dashboards.models import DashboardApp, Published
from dataops.errors import (
    ConfigError,
    Conflict,
    DataOpsError,
    Forbidden,
    InvalidInput,
    NotFound,
    NotImplementedByProvider,
    RemoteError,
    Unauthorized,
    Unreachable,
)

_NAME = re.compile(r"^[A-Za-z0-9_-]{3,64}$")
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
_NOTE = re.compile(r"Published by dataops from commit ([0-9a-f]{7,40}) \(bundle ([^)\s]+)\)\.")
# Connect's app modes the target publishes, and the kind of dashboard each is.
_KINDS = {"shiny": "shiny"}
_STATUS_ERRORS: dict[int, type[DataOpsError]] = {
    400: InvalidInput,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
}


def connect_api_key(env_var: str, key_file: Path) -> str:
    """The API key from ``env_var``, else ``key_file`` (which must be 0600), remembered for redaction.

    Raises `Unauthorized` when neither holds a key, `ConfigError` when the file is readable by others.
    """
    key = os.environ.get(env_var, "").strip()
    if not key and key_file.is_file():
        mode = stat.S_IMODE(key_file.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(
                f"The Posit Connect API key file {key_file} can be read by other users (mode {mode:o}); "
                f"run: chmod 600 {key_file}"
            )
        key = key_file.read_text().strip()
    if not key:
        raise Unauthorized(
            f"No Posit Connect API key: set {env_var} in the server's environment or write one to "
            f"{key_file} (chmod 600)."
        )
    redaction.remember(key)
    return key


class PositConnectTarget:
    """Dashboards of one environment on one Posit Connect server (`DashboardTarget`)."""

    kind = "posit-connect"

    def __init__(self, server: str, api_key: str, *, name_prefix: str = "", task_timeout: int = 900) -> None:
        redaction.remember(api_key)
        redaction.attach_filter("rsconnect", "console", "connect_logger")  # rsconnect-python's loggers
        self.server = server.rstrip("/")
        self._api_key = api_key
        self.name_prefix = name_prefix
        self.task_timeout = task_timeout

    @classmethod
    def from_secret(
        cls, server: str, *, env_var: str, key_file: Path, name_prefix: str = ""
    ) -> PositConnectTarget:
        """A target whose API key comes from `connect_api_key` (never from the user's files)."""
        return cls(server, connect_api_key(env_var, key_file), name_prefix=name_prefix)

    def __repr__(self) -> str:
        return f"PositConnectTarget({self.server!r}, name_prefix={self.name_prefix!r})"

    def publish(self, app: DashboardApp, *, commit: str) -> Published:
        """Deploy ``app`` at ``commit`` as a new bundle of its content item (created the first time)."""
        if app.kind not in _KINDS.values():
            raise NotImplementedByProvider(
                f"The Posit Connect target publishes Shiny apps; {app.name} is a {app.kind} dashboard."
            )
        if not _COMMIT.match(commit):
            raise InvalidInput(f"{commit!r} is not a commit id (7 to 40 lowercase hex digits).")
        name = self.name_prefix + app.name
        if not _NAME.match(name):
            raise InvalidInput(
                f"{name!r} cannot name Posit Connect content: use 3 to 64 letters, digits, '-' or '_'."
            )
        tarball = shiny_bundle(app)
        client = self._client()
        with self._calling(f"find the content named {name}"):
            found = client.content_list({"name": name})
        guid = found[0]["guid"] if found else None
        with self._calling(f"deploy {name}"), tarball:
            result = client.deploy(guid, name, app.name, guid is not None, tarball)
        guid = result["app_guid"]
        bundle_id = result["bundle_id"]
        with self._calling(f"deploy {name}"):
            log, task = client.wait_for_task(
                result["task_id"], None, timeout=self.task_timeout, poll_wait=1, raise_on_error=False
            )
        if task["code"] != 0:
            # rsconnect appends its own summary of the error to the log: keep Connect's lines only
            lines = [x for x in log or [] if not x.startswith(("Error from Connect server", "Task failed"))]
            tail = "; ".join(lines[-5:])
            raise RemoteError(
                f"Posit Connect at {self.server} could not deploy {name} (bundle {bundle_id}): "
                f"{redaction.redact(task.get('error') or 'the task failed')}. Last lines: {redaction.redact(tail)}"
            )
        note = f"Published by dataops from commit {commit} (bundle {bundle_id})."
        with self._calling(f"record the commit of {name}"):
            item = client.content_update(guid, {"description": note})
        published = self._published(item)
        if published is None:
            raise RemoteError(f"Posit Connect at {self.server} does not serve {name} after deploying it.")
        return published

    def published(self) -> list[Published]:
        """What Connect serves now: each Shiny content item with an active bundle, name prefix stripped."""
        client = self._client()
        with self._calling("list its content"):
            items = client.content_list()
        found = (self._published(item) for item in items if item["name"].startswith(self.name_prefix))
        return sorted((p for p in found if p is not None), key=lambda p: p.name)

    def _published(self, item: dict[str, Any]) -> Published | None:
        kind = _KINDS.get(item.get("app_mode") or "")
        if kind is None or not item.get("bundle_id"):
            return None
        note = _NOTE.search(item.get("description") or "")
        commit = note.group(1) if note and note.group(2) == item["bundle_id"] else ""
        return Published(
            name=item["name"][len(self.name_prefix) :],
            kind="shiny",
            target=self.kind,
            url=item["content_url"],
            commit=commit,
            published_at=datetime.fromisoformat(item["last_deployed_time"]),
        )

    def _client(self) -> Any:
        api = rsconnect("api")
        return api.RSConnectClient(api.RSConnectServer(self.server, self._api_key))

    @contextmanager
    def _calling(self, what: str) -> Iterator[None]:
        """Turn rsconnect-python's errors into sentences naming the server and what it refused."""
        exception = rsconnect("exception")
        try:
            yield
        except exception.RSConnectException as raised:
            # rsconnect re-raises some refusals with command-line advice and no status: report the cause
            exc = raised
            while exc.status is None and isinstance(exc.__cause__, exception.RSConnectException):
                exc = exc.__cause__
            detail = redaction.redact(exc.message, [self._api_key])
            status = exc.status
            if status is None and "Could not connect" in exc.message:
                raise Unreachable(
                    f"Posit Connect at {self.server} cannot be reached to {what}: {detail}"
                ) from None
            error = _STATUS_ERRORS.get(status or 0, RemoteError)
            refused = "refused the API key" if status == 401 else "refused"
            raise error(
                f"Posit Connect at {self.server} {refused} when asked to {what} (HTTP {status}): {detail}"
            ) from None
