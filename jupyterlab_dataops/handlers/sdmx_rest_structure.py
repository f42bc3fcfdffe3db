"""``datastructure``, ``codelist`` and availability resources of the standard SDMX REST endpoint.

``{source}/datastructure/{agency}/{id}/{version}?references=children`` answers the DSD with its
codelists and a concept scheme; ``{source}/codelist/{agency}/{id}/{version}`` one codelist found in
the source's data structures; ``{source}/availableconstraint/{flow}/{key}`` (SDMX REST 1.x) and
``{source}/availability/dataflow/{agency}/{flow}/{version}/{key}`` (2.x) the codes that have data
under a key (``mode=available``). REST 1.x resources answer SDMX-ML 2.1 or SDMX-JSON 1.0, the 2.x
one SDMX-ML 3.0 or SDMX-JSON 2.0, as the ``Accept`` header (or ``format=xml|json``) asks.
"""

from __future__ import annotations

import asyncio

from tornado import web

from dataops.config import Config
from dataops.errors import InvalidInput, NotFound
from dataops.sdmx import service, structure_json_writers, structure_writers
from dataops.sdmx.model import Dataflow, Dimension, Structure
from jupyterlab_dataops.handlers.sdmx_rest_base import (
    _S,
    _SEG,
    STRUCTURE_30_TYPES,
    STRUCTURE_TYPES,
    RestHandler,
)

_ANY = (None, "", "all", "*", "~", "latest")
_REFERENCES = ("none", "children", "descendants", "all", "parents", "parentsandsiblings")


def _matches(wanted: str | None, have: str) -> bool:
    return wanted in _ANY or wanted == have


def structures_of(config: Config, source: str) -> list[tuple[Dataflow, Structure]]:
    """Every dataflow of the source with its data structure (parsed structures are remembered)."""
    return [
        service.structure(config, source, f"{f.agency}:{f.id}({f.version})")
        for f in service.dataflows(config, source)
    ]


def find_structure(
    config: Config, source: str, agency: str | None, dsd_id: str, version: str | None
) -> Structure:
    """The data structure ``dsd_id`` used by one of the source's dataflows."""
    for flow in service.dataflows(config, source):
        if flow.structure_id == dsd_id and _matches(agency, flow.structure_agency or flow.agency):
            _, dsd = service.structure(config, source, f"{flow.agency}:{flow.id}({flow.version})")
            if _matches(version, dsd.version):
                return dsd
    raise NotFound(f"The source {source} has no data structure {dsd_id!r} in use by a dataflow.")


def find_codelist(config: Config, source: str, agency: str | None, cl_id: str) -> tuple[str, Dimension]:
    """The agency of the structure and the dimension that hold codelist ``cl_id``."""
    for _, dsd in structures_of(config, source):
        for dim in dsd.dimensions:
            if (
                len(dim.codes)
                and structure_writers.codelist_id(dim) == cl_id
                and _matches(agency, dsd.agency)
            ):
                return dsd.agency, dim
    raise NotFound(f"No data structure of the source {source} uses a codelist {cl_id!r}.")


class RestDataStructureHandler(RestHandler):
    """``GET {source}/datastructure/{agency}/{id}[/{version}]?references=``."""

    @web.authenticated
    async def get(self, source: str, agency: str, dsd: str, version: str | None = None) -> None:
        """The DSD as SDMX-ML 2.1 or SDMX-JSON 1.0; codelists and concepts too unless ``references=none``."""
        fmt = self.chosen_format("structure", STRUCTURE_TYPES, "xml")
        references = self.get_query_argument("references", "none").lower()
        if references not in _REFERENCES:
            raise InvalidInput(f"references must be one of {', '.join(_REFERENCES)}, not {references!r}.")
        if dsd in ("all", "*"):
            raise InvalidInput("Name one data structure: datastructure/{agency}/{id}/{version}.")
        found = await asyncio.to_thread(find_structure, self.sdmx_config(), source, agency, dsd, version)
        children = references in ("children", "descendants", "all")
        if fmt == "xml":
            body = await asyncio.to_thread(structure_writers.write_structure_ml, found, children)
        else:
            body = await asyncio.to_thread(structure_json_writers.write_structure_json, found, children)
        self.answer("structure", fmt, body)


class RestCodelistHandler(RestHandler):
    """``GET {source}/codelist/{agency}/{id}[/{version}]``."""

    @web.authenticated
    async def get(self, source: str, agency: str, codelist: str, version: str | None = None) -> None:
        """One codelist used by the source's data structures, as SDMX-ML 2.1 or SDMX-JSON 1.0."""
        fmt = self.chosen_format("structure", STRUCTURE_TYPES, "xml")
        if codelist in ("all", "*"):
            raise InvalidInput("Name one codelist: codelist/{agency}/{id}/{version}.")
        owner, dim = await asyncio.to_thread(find_codelist, self.sdmx_config(), source, agency, codelist)
        write = (
            structure_writers.write_codelists_ml
            if fmt == "xml"
            else structure_json_writers.write_codelists_json
        )
        self.answer("structure", fmt, await asyncio.to_thread(write, owner, [(codelist, dim)]))


class AvailabilityBase(RestHandler):
    """The codes with data under a key, as an actual constraint."""

    async def constraint(self, source: str, flow: str, key: str | None, version: str) -> None:
        offered = STRUCTURE_TYPES if version == "2.1" else STRUCTURE_30_TYPES
        fmt = self.chosen_format("structure", offered, "xml" if version == "2.1" else "xml30")
        mode = self.get_query_argument("mode", "available")
        if mode != "available":
            raise InvalidInput(f"Only mode=available is supported here, not {mode!r}.")
        rest_key = "" if key in (None, "all", "*") else key.replace("*", "")
        config = self.sdmx_config()
        answer = await asyncio.to_thread(service.availability, config, source, flow, rest_key)
        dataflow, _ = await asyncio.to_thread(service.structure, config, source, flow)
        if fmt.startswith("xml"):
            body = await asyncio.to_thread(
                structure_writers.write_availability, answer, dataflow.agency, version, dataflow
            )
        else:
            json_version = "1.0" if version == "2.1" else "2.0"
            body = await asyncio.to_thread(
                structure_json_writers.write_availability_json, answer, dataflow, json_version
            )
        self.answer("structure", fmt, body)


class RestAvailableConstraintHandler(AvailabilityBase):
    """``GET {source}/availableconstraint/{flow}[/{key}[/{provider}[/{component}]]]`` (REST 1.x)."""

    @web.authenticated
    async def get(self, source: str, flow: str, key: str | None = None, provider: str | None = None) -> None:
        """An SDMX-ML 2.1 ContentConstraint or an SDMX-JSON 1.0 ``contentConstraints`` entry."""
        if provider not in _ANY:
            raise InvalidInput(f"Data provider {provider!r} is not supported; use 'all'.")
        await self.constraint(source, flow, key, "2.1")


class RestAvailabilityHandler(AvailabilityBase):
    """``GET {source}/availability/dataflow/{agency}/{flow}/{version}[/{key}[/{component}]]`` (REST 2.x)."""

    @web.authenticated
    async def get(self, source: str, agency: str, flow: str, version: str, key: str | None = None) -> None:
        """An SDMX-ML 3.0 DataConstraint or an SDMX-JSON 2.0 ``dataConstraints`` entry."""
        ref = (
            flow if agency in _ANY and version in _ANY else f"{'' if agency in _ANY else agency + ':'}{flow}"
        )
        if version not in _ANY:
            ref = f"{ref}({version})"
        await self.constraint(source, ref, key, "3.0")


_OPT = r"(?:/(?P<version>[^/]+))?"
ROUTES = [
    (rf"{_S}/datastructure/(?P<agency>{_SEG})/(?P<dsd>{_SEG}){_OPT}", RestDataStructureHandler),
    (rf"{_S}/codelist/(?P<agency>{_SEG})/(?P<codelist>{_SEG}){_OPT}", RestCodelistHandler),
    (
        rf"{_S}/availableconstraint/(?P<flow>{_SEG})(?:/(?P<key>[^/]*)(?:/(?P<provider>[^/]+)(?:/[^/]+)?)?)?",
        RestAvailableConstraintHandler,
    ),
    (
        rf"{_S}/availability/dataflow/(?P<agency>{_SEG})/(?P<flow>{_SEG})/(?P<version>{_SEG})"
        r"(?:/(?P<key>[^/]*)(?:/[^/]+)?)?",
        RestAvailabilityHandler,
    ),
]
