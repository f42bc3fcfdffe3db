"""One exception tree for the whole product.

Every error carries a sentence a user understands (``str(err)``), a stable machine ``code``
and optional ``details``. The server maps ``http_status`` to the HTTP reply in one place.
"""

from __future__ import annotations

from typing import Any


class DataOpsError(Exception):
    """Base of every error raised by `dataops`."""

    code = "dataops_error"
    http_status = 500

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_json(self) -> dict[str, Any]:
        """The JSON body the server answers with: error code, sentence, details."""
        return {"error": self.code, "message": self.message, "details": self.details}


class InvalidInput(DataOpsError):
    """The caller passed something malformed (a key, a period, a parameter)."""

    code = "invalid_input"
    http_status = 400


class ConfigError(DataOpsError):
    """The configuration file is missing a value or holds a wrong one."""

    code = "config_error"
    http_status = 500


class NotConfigured(DataOpsError):
    """A capability was used that has no backend configured."""

    code = "not_configured"
    http_status = 503


class NotFound(DataOpsError):
    """The named thing (source, dataflow, run, environment, file) does not exist."""

    code = "not_found"
    http_status = 404


class NoData(DataOpsError):
    """The query is valid but matched no observations."""

    code = "no_data"
    http_status = 404


class TooLarge(DataOpsError):
    """The answer would be too large to deliver (provider limit or local size limit)."""

    code = "too_large"
    http_status = 413


class NotImplementedByProvider(DataOpsError):
    """The provider does not support this kind of query."""

    code = "not_implemented"
    http_status = 501


class Unauthorized(DataOpsError):
    """Credentials are missing or were refused by a remote service."""

    code = "unauthorized"
    http_status = 401


class Forbidden(DataOpsError):
    """The user is known but not allowed to do this."""

    code = "forbidden"
    http_status = 403


class Conflict(DataOpsError):
    """The target changed since it was read (a branch moved, a resource exists)."""

    code = "conflict"
    http_status = 409


class RateLimited(DataOpsError):
    """A remote service asked us to slow down and retries were exhausted."""

    code = "rate_limited"
    http_status = 429


class Unreachable(DataOpsError):
    """A remote service (provider, engine, GitLab) could not be reached or is down."""

    code = "unreachable"
    http_status = 502


class ProviderDown(Unreachable):
    """An SDMX provider did not answer or answered with a server error."""

    code = "provider_down"


class EngineUnreachable(Unreachable):
    """The workflow engine could not be reached."""

    code = "engine_unreachable"


class ServiceUnreachable(Unreachable):
    """The DataOps hub service, which decides rights under JupyterHub, did not answer."""

    code = "service_unreachable"
    http_status = 503


class RemoteError(DataOpsError):
    """A remote service refused a request and said why (the message carries its reason)."""

    code = "remote_error"
    http_status = 502


class MalformedMessage(DataOpsError):
    """A message (SDMX, BPMN, JSON) could not be parsed; the message names file and line."""

    code = "malformed_message"
    http_status = 422


class UnsupportedFormat(DataOpsError):
    """The input is in a format this product does not read; the message lists those it does."""

    code = "unsupported_format"
    http_status = 415


class SecretsFound(DataOpsError):
    """A secret scan found credentials in files about to be promoted."""

    code = "secrets_found"
    http_status = 422


class UnknownSource(InvalidInput):
    """The named SDMX source is neither configured nor a preset."""

    code = "unknown_source"


class UnknownDataflow(InvalidInput):
    """The source has no dataflow with this id."""

    code = "unknown_dataflow"


class InvalidData(InvalidInput):
    """Data offered to the store breaks a rule of its dataflow's structure; nothing was written.

    ``details`` lists the first offending rows as ``{"row", "column", "value", "rule"}``.
    """

    code = "invalid_data"
    http_status = 422


class UnknownVintage(NotFound):
    """A vintage (tag) name or point in time names no version of a stored dataflow."""

    code = "unknown_vintage"


class StoreUnwritable(DataOpsError):
    """The store's catalog or warehouse cannot be written (permissions, a path that is not a folder)."""

    code = "store_unwritable"
    http_status = 507


class NotAcceptable(DataOpsError):
    """The client asked for a representation (Accept header) this endpoint cannot produce."""

    code = "not_acceptable"
    http_status = 406


class DataNotReady(DataOpsError):
    """A provider that delivers large answers later (Eurostat's asynchronous API) was not ready in time."""

    code = "data_not_ready"
    http_status = 504


class ConcurrentUpdate(Conflict):
    """The engine refused a change because another transaction changed the same run at that moment."""

    code = "concurrent_update"


class InvalidMetadata(InvalidInput):
    """An artefact or process configuration breaks a rule of the metadata registry (file, artefact, rule named)."""

    code = "invalid_metadata"
    http_status = 422


class ProviderQuirk(UserWarning):
    """A provider's message was read although it departs from the standard; the warning says how.

    Raised as a warning, not an error: the observations were unambiguous, so the data is kept.
    """
