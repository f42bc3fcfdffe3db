"""The service's tornado application: every route but ``api/health`` answers hub-authenticated callers only.

Identity comes from two questions to the hub and nothing else: the caller's token (``Authorization:
token …``, or the OAuth cookie of a browser that logged in through the hub) names the user, and the
service's own token reads that user's groups. Headers such as ``X-Forwarded-User``, query arguments
and request bodies are never consulted for who is calling.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from jupyterhub.services.auth import HubOAuth, HubOAuthenticated, UserNotAllowed
from tornado import web

from dataops.errors import DataOpsError, Forbidden, NotFound, Unauthorized
from dataops.service.hub import Caller, HubDirectory
from dataops.service.settings import ServiceSettings

log = logging.getLogger("dataops.service")

# Seconds the hub's answer about a token is reused; short, so a revoked token stops working soon.
TOKEN_CACHE_SECONDS = 30


class JsonHandler(web.RequestHandler):
    """Answers JSON; a `DataOpsError` becomes ``{"error", "message", "details"}`` with its status."""

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, DataOpsError):
            self.set_status(exc.http_status)
            self.finish(exc.to_json())
            return
        reason = self._reason
        if isinstance(exc, web.HTTPError) and exc.log_message:
            reason = exc.log_message % exc.args if exc.args else exc.log_message
        self.finish({"error": "http_error", "message": reason, "details": None})

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # A refused or malformed request is the caller's business, not a server fault worth a traceback.
        if isinstance(value, DataOpsError) and value.http_status < 500:
            log.info("%s %s: %s", self.request.method, self.request.path, value.message)
            return
        super().log_exception(typ, value, tb)


class HealthHandler(JsonHandler):
    """``GET api/health``: unauthenticated, says only that the service answers."""

    def get(self) -> None:
        self.finish({"ok": True})


class NotFoundHandler(JsonHandler):
    """Every path the service does not serve."""

    def prepare(self) -> None:
        raise NotFound(f"the DataOps service has no {self.request.path}")


class CallerHandler(HubOAuthenticated, JsonHandler):
    """Base of authenticated routes: ``self.caller`` is set from the hub before the verb runs."""

    caller: Caller

    def initialize(self, hub_auth: HubOAuth, directory: HubDirectory) -> None:
        self.hub_auth = hub_auth
        self.directory = directory

    async def prepare(self) -> None:
        model = await self.hub_auth.get_user(self, sync=False)
        if not model:
            raise Unauthorized(
                "the DataOps service needs your JupyterHub token (Authorization: token …); "
                "none was sent or the hub does not know it"
            )
        try:
            self.check_hub_user(model)
        except UserNotAllowed as exc:
            raise Forbidden(
                f"the hub token of {model.get('name')!r} does not grant access to the DataOps service "
                f"(scope {' or '.join(sorted(self.hub_auth.access_scopes))})"
            ) from exc
        if model.get("kind", "user") != "user":
            raise Forbidden("the DataOps service acts for hub users; a service's token is not accepted")
        self.caller = await self.directory.caller(model["name"])


class WhoamiHandler(CallerHandler):
    """``GET api/whoami``: the caller as the hub knows them."""

    def get(self) -> None:
        self.finish(self.caller.to_json())


def make_app(settings: ServiceSettings) -> web.Application:
    """The tornado application for ``settings``, routes under the service's URL prefix."""
    hub_auth = HubOAuth(
        api_url=settings.api_url,
        api_token=settings.api_token,
        base_url=settings.prefix,
        cache_max_age=TOKEN_CACHE_SECONDS,
    )
    if not hub_auth.access_scopes:
        # Without required scopes HubAuthenticated lets any hub token in; never run that way.
        hub_auth.access_scopes = {f"access:services!service={settings.name}"}
    directory = HubDirectory(settings.api_url, settings.api_token)
    auth = {"hub_auth": hub_auth, "directory": directory}
    prefix = settings.prefix
    # Imported here: the routes' handlers derive from CallerHandler above.
    from dataops.service.desk import PromotionDesk
    from dataops.service.flows import ServiceFlows
    from dataops.service.policy import ServicePolicy
    from dataops.service.routes import ROUTES
    from dataops.service.workflows import routes as workflow_routes

    desk = PromotionDesk(ServicePolicy(settings.config_file, settings.secrets_file))
    flows = ServiceFlows()
    return web.Application(
        [
            (rf"{prefix}api/health", HealthHandler),
            (rf"{prefix}api/whoami", WhoamiHandler, auth),
            *((rf"{prefix}api/{pattern}", handler, {**auth, "desk": desk}) for pattern, handler in ROUTES),
            *workflow_routes(prefix, auth, flows),
        ],
        default_handler_class=NotFoundHandler,
        # HubOAuth signs its login cookie with this; no browser login route exists yet, so a secret
        # that changes on restart loses nothing.
        cookie_secret=secrets.token_bytes(32),
        directory=directory,
        flows=flows,
    )
