"""SDMX data sources: the configured ones (``[[sources]]``) and presets for public providers.

A source is either a REST endpoint (``api = "sdmx-rest-1"`` for SDMX REST 1.x / SDMX 2.1,
``"sdmx-rest-2"`` for SDMX REST 2.x / SDMX 3.0), a folder of SDMX messages (``api = "files"``),
the metadata registry of a deployment checkout (``api = "metadata"``, `dataops.metadata.backend`), or
the versioned series store (``api = "store"``, `dataops.store`, its dataflows described by the
structure message or folder named by ``structures``).
What differs between providers beyond the standard lives in one table, `QUIRKS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from dataops.config import Config
from dataops.errors import ConfigError, UnknownSource
from dataops.sdmx.config import DataConfig

APIS = ("sdmx-rest-1", "sdmx-rest-2", "files", "metadata", "store")


@dataclass(frozen=True)
class Quirks:
    """How one provider departs from (or picks within) the SDMX REST standard.

    ``data_formats``: short names (see `dataops.sdmx.media`) in the order we ask for them.
    ``availability``: answers ``availableconstraint`` (1.x) / ``availability`` (2.x) queries.
    ``case_insensitive_ids``: flow and dimension ids may be given in any case (Eurostat's DSDs use
    lower-case dimension ids such as ``geo`` while its flow ids are upper case).
    ``async_large``: large queries are answered with a 413 or a footer pointing at a file that
    will exist later (Eurostat's asynchronous delivery) instead of data.
    """

    data_formats: tuple[str, ...] = ("xml", "csv")
    availability: bool = True
    case_insensitive_ids: bool = False
    async_large: bool = False
    notes: str = ""


QUIRKS: dict[str, Quirks] = {
    "sdmx-rest-1": Quirks(("xml", "generic", "csv", "json")),
    "sdmx-rest-2": Quirks(("xml", "csv", "json")),
    "ECB": Quirks(("xml", "generic", "csv", "json"), notes="Answers generic XML unless asked otherwise."),
    "ESTAT": Quirks(
        ("xml", "generic", "csv"),
        case_insensitive_ids=True,
        async_large=True,
        notes="Lower-case dimension ids; very large queries get a 413 or a footer with a download URL.",
    ),
    "ESTAT3": Quirks(("xml", "csv"), case_insensitive_ids=True, async_large=True),
    "BIS": Quirks(("xml", "generic", "csv")),
    "IMF": Quirks(("xml", "generic"), notes="Agencies are IMF departments (IMF.STA, IMF.RES, ...)."),
    "IMF3": Quirks(("xml", "csv", "json")),
    "OECD": Quirks(
        ("xml", "generic", "csv", "json"),
        notes="Flow ids need their agency: 'OECD.SDD.NAD,DSD_NAMAIN1@DF_QNA,1.1'.",
    ),
    "metadata": Quirks(
        (), availability=False, notes="A metadata registry: structures, every version; no data."
    ),
}


@dataclass(frozen=True)
class Source:
    """One SDMX data source: a REST endpoint, a folder of SDMX files or the series store.

    ``agency`` is used where a query needs one and the flow reference names none;
    ``provider`` selects the row of `QUIRKS` (default: the generic row for ``api``);
    ``structures``: for a ``store`` source, the structure message (or folder of them) describing
    its dataflows. ``metadata``: for a ``store`` source instead, the deployment checkout (or git
    repository, read at ``metadata_revision``, e.g. ``deploy/test``) of the environment it belongs
    to, whose registry gives its structures and the allowed constraints every write must meet.
    """

    id: str
    name: str
    url: str = ""
    api: str = "sdmx-rest-1"
    description: str = ""
    agency: str = "all"
    provider: str = ""
    structures: str = ""
    metadata: str = ""
    metadata_revision: str = ""
    preset: bool = field(default=False, compare=False)

    @property
    def quirks(self) -> Quirks:
        """This source's row of `QUIRKS`."""
        return QUIRKS.get(self.provider) or QUIRKS.get(self.api) or Quirks()

    @property
    def rest_version(self) -> int:
        """1 for SDMX REST 1.x, 2 for 2.x (files sources report 1)."""
        return 2 if self.api == "sdmx-rest-2" else 1

    @property
    def folder(self) -> Path:
        """The folder of a ``files`` source (``file://`` URLs and plain paths both work)."""
        parsed = urlparse(self.url)
        path = unquote(parsed.path) if parsed.scheme == "file" else self.url
        return Path(path).expanduser()


PRESETS: tuple[Source, ...] = tuple(
    Source(preset=True, **entry)
    for entry in (
        {
            "id": "ECB",
            "name": "ECB Data Portal",
            "url": "https://data-api.ecb.europa.eu/service",
            "agency": "ECB",
            "provider": "ECB",
            "description": "European Central Bank: exchange rates, money, banking, prices.",
        },
        {
            "id": "ESTAT",
            "name": "Eurostat",
            "url": "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1",
            "agency": "ESTAT",
            "provider": "ESTAT",
            "description": "Eurostat dissemination API, SDMX 2.1.",
        },
        {
            "id": "ESTAT3",
            "name": "Eurostat (SDMX 3.0)",
            "url": "https://ec.europa.eu/eurostat/api/dissemination/sdmx/3.0",
            "api": "sdmx-rest-2",
            "agency": "ESTAT",
            "provider": "ESTAT3",
            "description": "Eurostat dissemination API, SDMX 3.0.",
        },
        {
            "id": "BIS",
            "name": "Bank for International Settlements",
            "url": "https://stats.bis.org/api/v1",
            "agency": "BIS",
            "provider": "BIS",
            "description": "BIS statistics: credit, property prices, exchange rates, banking.",
        },
        {
            "id": "IMF",
            "name": "International Monetary Fund",
            "url": "https://api.imf.org/external/sdmx/2.1",
            "provider": "IMF",
            "description": "IMF data portal, SDMX 2.1.",
        },
        {
            "id": "IMF3",
            "name": "International Monetary Fund (SDMX 3.0)",
            "url": "https://api.imf.org/external/sdmx/3.0",
            "api": "sdmx-rest-2",
            "provider": "IMF3",
            "description": "IMF data portal, SDMX 3.0.",
        },
        {
            "id": "OECD",
            "name": "OECD Data Explorer",
            "url": "https://sdmx.oecd.org/public/rest",
            "provider": "OECD",
            "description": "Organisation for Economic Co-operation and Development.",
        },
    )
)


def configured_sources(config: Config) -> list[Source]:
    """The sources the user and admin configured, in configuration order."""
    out = []
    for entry in config.table_array("sources"):
        if "preset" in entry:
            raise ConfigError(f"Source entry {entry.get('id', '?')!r} is invalid: 'preset' cannot be set.")
        try:
            source = Source(**entry)
        except TypeError as exc:
            raise ConfigError(f"Source entry {entry.get('id', '?')!r} is invalid: {exc}") from exc
        if source.api not in APIS:
            raise ConfigError(
                f"Source entry {source.id!r} is invalid: "
                f"api must be one of {', '.join(APIS)}, not {source.api!r}."
            )
        if source.provider and source.provider not in QUIRKS:
            raise ConfigError(
                f"Source entry {source.id!r} names an unknown provider {source.provider!r}; "
                f"known: {', '.join(sorted(QUIRKS))}."
            )
        out.append(source)
    return out


def list_sources(config: Config) -> list[Source]:
    """Configured sources first, then the presets whose id no configured source reuses."""
    configured = configured_sources(config)
    if not DataConfig.from_config(config).presets:
        return configured
    taken = {s.id for s in configured}
    return configured + [p for p in PRESETS if p.id not in taken]


def get_source(config: Config, source_id: str | Source) -> Source:
    """The source with this id (configured or preset), or `UnknownSource` listing the known ids."""
    if isinstance(source_id, Source):
        return source_id
    sources = list_sources(config)
    for source in sources:
        if source.id == source_id:
            return source
    for source in sources:
        if source.id.lower() == str(source_id).lower():
            return source
    known = ", ".join(s.id for s in sources)
    raise UnknownSource(f"There is no data source {source_id!r}. Known sources: {known}.")
