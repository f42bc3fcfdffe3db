"""The ``[store]`` section of the dataops configuration: which Iceberg catalog holds the store.

One machine (the default): a SQL catalog in a SQLite file and a warehouse folder, both under
``$XDG_DATA_HOME/dataops/store``. Shared: the same SQL catalog on PostgreSQL
(``uri = "postgresql://host/db"``) with a warehouse every writer reaches, or a REST catalog
(``catalog = "rest"``, ``uri = "https://..."``). ``properties`` go to pyiceberg as they are
(object-store credentials, a REST catalog's token).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataops.config import Config
from dataops.errors import ConfigError

CATALOG_KINDS = ("sql", "rest")


def default_store_dir() -> Path:
    """``$XDG_DATA_HOME/dataops/store`` (``~/.local/share/dataops/store`` by default)."""
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "dataops" / "store"


@dataclass(frozen=True)
class StoreConfig:
    """Where the store's catalog and data files are, and how tables are laid out.

    ``uri``: the SQL catalog's database (``sqlite:///path`` or ``postgresql://...``) or the REST
    catalog's URL; empty means the SQLite file ``catalog.db`` in `default_store_dir`.
    ``warehouse``: the folder or object-store URL new tables are created under; empty means the
    folder ``warehouse`` beside the default catalog. ``buckets``: hash buckets of the series key
    per table (a series' revision rewrites about one bucket's files). ``commit_retries``: how
    often a write that lost a race with another writer is computed again and retried.
    """

    catalog: str = "sql"
    name: str = "dataops"
    uri: str = ""
    warehouse: str = ""
    buckets: int = 32
    commit_retries: int = 8
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def catalog_uri(self) -> str:
        """The catalog's URI with the default filled in."""
        return self.uri or f"sqlite:///{default_store_dir() / 'catalog.db'}"

    @property
    def warehouse_location(self) -> str:
        """The warehouse as a URL pyiceberg understands (plain paths become ``file://``)."""
        where = self.warehouse or str(default_store_dir() / "warehouse")
        if "://" in where:
            return where
        return Path(where).expanduser().absolute().as_uri()

    @property
    def warehouse_folder(self) -> Path | None:
        """The warehouse as a local folder, or None for object storage."""
        where = self.warehouse_location
        return Path(where.removeprefix("file://")) if where.startswith("file://") else None

    @classmethod
    def from_config(cls, config: Config) -> StoreConfig:
        """Build from ``[store]``; unknown keys and wrong values are configuration errors."""
        raw = dict(config.section("store"))
        try:
            out = cls(**raw)
        except TypeError as exc:
            raise ConfigError(f"The [store] section of the dataops configuration is invalid: {exc}") from exc
        if out.catalog not in CATALOG_KINDS:
            raise ConfigError(
                f"[store] catalog must be one of {', '.join(CATALOG_KINDS)}, not {out.catalog!r}."
            )
        if out.catalog == "rest" and not out.uri:
            raise ConfigError("[store] catalog = 'rest' needs the REST catalog's URL in uri.")
        for name in ("buckets", "commit_retries"):
            value = getattr(out, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"[store] {name} must be a whole number of at least 1, not {value!r}.")
        if not isinstance(out.properties, dict):
            raise ConfigError("[store] properties must be a table of pyiceberg catalog properties.")
        return out
