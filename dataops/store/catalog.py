"""The store's Iceberg catalog: opened from `StoreConfig`, one table per dataflow (namespace = agency).

Failures of the catalog or the warehouse become `dataops.errors` sentences naming the place:
an unreachable database or REST service is `Unreachable`, a folder that cannot be written is
`StoreUnwritable`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from dataops.errors import ConfigError, DataOpsError, StoreUnwritable, UnknownDataflow, Unreachable
from dataops.redaction import public_url, redact
from dataops.store.config import StoreConfig

T = TypeVar("T")


def where(config: StoreConfig) -> str:
    """The catalog named for a message: its kind and URI without credentials."""
    return f"the store's {config.catalog.upper()} catalog at {public_url(config.catalog_uri)}"


_OPEN: dict[str, Any] = {}  # catalogs opened in this process, by configuration
_OPEN_LOCK = threading.Lock()


def open_catalog(config: StoreConfig) -> Any:
    """The pyiceberg catalog the configuration names (its SQL tables created on first use), opened
    once per process: its database engine pools connections for every later call."""
    key = repr(config)
    with _OPEN_LOCK:
        if key not in _OPEN:
            _OPEN[key] = _open(config)
        return _OPEN[key]


def _open(config: StoreConfig) -> Any:
    try:
        import pyiceberg  # noqa: F401
    except ImportError:
        raise ConfigError(
            "A store source is configured but pyiceberg is not installed: pip install 'dataops-core[store]'."
        ) from None
    properties = {"warehouse": config.warehouse_location, **config.properties}
    if config.catalog == "rest":
        from pyiceberg.catalog.rest import RestCatalog

        return guarded(config, lambda: RestCatalog(config.name, uri=config.uri, **properties))
    from pyiceberg.catalog.sql import SqlCatalog

    uri = config.catalog_uri
    if uri.startswith("sqlite:///"):
        folder = _sqlite_folder(uri)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnwritable(
                f"The folder {folder} of the store's catalog cannot be created: {exc.strerror}."
            ) from None
    elif uri.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; dataops uses psycopg 3.
        uri = "postgresql+psycopg://" + uri.split("://", 1)[1]
    return guarded(config, lambda: SqlCatalog(config.name, uri=uri, **properties))


def _sqlite_folder(uri: str) -> Any:
    from pathlib import Path

    return Path(uri.removeprefix("sqlite:///")).parent


def identifier(agency: str, flow_id: str) -> tuple[str, str]:
    """The table of a dataflow: namespace = agency, table = flow id (dots kept out of names, since
    Iceberg reads a dot in a namespace as nesting)."""
    return (_name(agency or "dataops"), _name(flow_id))


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_@-]", "_", text)


def guarded(
    config: StoreConfig, call: Callable[[], T], passthrough: Callable[[Exception], bool] | None = None
) -> T:
    """Run a catalog or file call, turning library and OS failures into sentences naming the place
    (failures ``passthrough`` accepts are raised as they are)."""
    try:
        return call()
    except DataOpsError:
        raise
    except Exception as exc:
        if passthrough is not None and passthrough(exc):
            raise
        raise _sentence(config, exc) from None


def _sentence(config: StoreConfig, exc: Exception) -> DataOpsError:
    try:
        raise exc
    except OSError as error:
        return StoreUnwritable(_os_sentence(config, error))
    except Exception as error:
        return translate(config, error)


def _os_sentence(config: StoreConfig, exc: OSError) -> str:
    path = exc.filename or config.warehouse_location
    return (
        f"The store cannot write {path} (warehouse {config.warehouse_location}): "
        f"{exc.strerror or exc}. Check that the folder exists, is a folder and is writable."
    )


def translate(config: StoreConfig, exc: Exception) -> DataOpsError:
    """A `DataOpsError` for a pyiceberg or SQLAlchemy failure."""
    from pyiceberg.exceptions import NoSuchNamespaceError, NoSuchTableError

    name = type(exc).__name__
    place = where(config)[0].upper() + where(config)[1:]
    if isinstance(exc, NoSuchTableError | NoSuchNamespaceError):
        return UnknownDataflow(f"{place} holds no table for this dataflow ({exc}).")
    if name == "OperationalError" or "Connection" in name or "ConnectError" in name:
        # SQLAlchemy prefixes the driver's sentence with the exception's class: keep the sentence.
        text = re.sub(r"^\([\w.]+\)\s*", "", str(exc).splitlines()[0] if str(exc) else name).rstrip(".")
        if "unable to open database file" in text or "readonly" in text:
            return StoreUnwritable(f"{place} cannot be opened for writing: {redact(text)}.")
        return Unreachable(f"{place} cannot be reached: {redact(text)}.")
    if isinstance(exc, OSError):
        return StoreUnwritable(_os_sentence(config, exc))
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, OSError):
        return StoreUnwritable(_os_sentence(config, cause))
    return DataOpsError(f"{place} failed: {redact(str(exc)) or name}.")
