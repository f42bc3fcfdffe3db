"""The base handler: authenticated, JSON in and out, `DataOpsError` mapped to status codes here only."""

from __future__ import annotations

import json
import traceback
from types import TracebackType
from typing import Any

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from dataops.errors import DataOpsError
from dataops.promotion.access import Identity
from dataops.redaction import public
from dataops.web_input import json_object
from jupyterlab_dataops.context import DataOpsContext
from jupyterlab_dataops.identity import identity_of


class DataOpsHandler(ExtensionHandlerMixin, APIHandler):
    """Base for every dataops handler.

    Subclasses decorate each verb with ``@web.authenticated``; ``tests/server/test_auth.py``
    fails the build for any route that answers without authentication. Any `DataOpsError`
    raised in a verb becomes ``{"error", "message", "details"}`` with its ``http_status``.
    """

    auth_resource = "dataops"

    @property
    def dataops(self) -> DataOpsContext:
        """The server-wide context (configuration, clients, stores)."""
        return self.settings["dataops"]

    def identity(self) -> Identity:
        """The signed-in user (with JupyterHub's groups), or the server's account when Jupyter's user
        is an anonymous session of a single-user server."""
        return identity_of(self.current_user, self.dataops.promotion.display_name)

    def write_json(self, body: Any, status: int = 200) -> None:
        """Answer with a JSON body; no URL in it keeps its user-info (``https://user:pw@host``)."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(public(body), default=str))

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object, or a 400 that says why not."""
        return json_object(self.request.body)

    def log_exception(
        self, typ: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Expected `DataOpsError`s are logged as one line, anything else with its traceback."""
        if isinstance(value, DataOpsError):
            self.log.warning("%s %s: %s", self.request.method, self.request.path, value.message)
        else:
            super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Every error is JSON: ``{"error": code, "message": sentence, "details": ...}``, with no URL
        keeping its user-info."""
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, DataOpsError):
            self.set_status(exc.http_status)
            body = exc.to_json()
        elif isinstance(exc, web.HTTPError):
            body = {
                "error": _http_code(exc.status_code),
                "message": exc.log_message or exc.reason or self._reason,
                "details": None,
            }
        else:
            body = {
                "error": "internal_error",
                "message": "The dataops server extension failed unexpectedly; the server log has the details.",
                "details": "".join(traceback.format_exception_only(type(exc), exc)).strip() if exc else None,
            }
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(public(body)))

    def _handle_request_exception(self, e: BaseException) -> None:
        if isinstance(e, DataOpsError):
            self.log_exception(type(e), e, e.__traceback__)
            if not self._finished:
                self.send_error(e.http_status, exc_info=(type(e), e, e.__traceback__))
            return
        super()._handle_request_exception(e)


def _http_code(status: int) -> str:
    return {
        400: "invalid_input",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
    }.get(status, "http_error")


class NotFoundHandler(DataOpsHandler):
    """Answers any unknown path under ``dataops/api/`` with a JSON 404."""

    @web.authenticated
    def get(self, *args: Any) -> None:
        """Unknown endpoint."""
        raise web.HTTPError(404, f"No dataops endpoint at {self.request.path}")

    post = put = delete = patch = get
