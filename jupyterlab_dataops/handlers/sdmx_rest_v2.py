"""The SDMX REST 2.x ``structure`` resource: ``{source}/structure/{type}/{agency}/{id}/{version}``.

It serves ``dataflow``, ``datastructure`` and ``codelist`` artefacts as SDMX-ML 3.0 (the default)
or SDMX-JSON 2.0, with the same content as the REST 1.x resources in `sdmx_rest` and
`sdmx_rest_structure`; ``*`` stands for any agency, id or version, ``~`` for the latest version and
``+`` for the latest stable one.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from tornado import web

from dataops.config import Config
from dataops.errors import InvalidInput, NotFound
from dataops.sdmx import service, structure_json_writers, structure_writers
from dataops.sdmx.model import Dataflow, Structure
from jupyterlab_dataops.handlers.sdmx_rest_base import _S, _SEG, STRUCTURE_30_TYPES, RestHandler
from jupyterlab_dataops.handlers.sdmx_rest_structure import find_codelist

ARTEFACT_TYPES = ("dataflow", "datastructure", "codelist")
_ALL = (None, "", "*", "all")
_LATEST = ("~", "latest")
T = TypeVar("T", Dataflow, Structure)
_CHILDREN = ("children", "descendants", "all")
_PARENTS = ("parents", "parentsandsiblings", "ancestors", "all")
_REFERENCES = ("none", "parents", "parentsandsiblings", "ancestors", "children", "descendants", "all")


def _version_key(version: str) -> tuple:
    # Numeric parts compare as numbers so 1.10 is later than 1.9.
    return tuple(int(p) if p.isdigit() else -1 for p in version.replace("-", ".").split("."))


def pick(items: list[T], agency: str | None, resource: str | None, version: str | None) -> list[T]:
    """The dataflows or structures a 2.x query names; ``~`` keeps only the latest version of each,
    ``+`` the latest stable one."""
    picked = [
        f
        for f in items
        if (agency in _ALL or f.agency in agency.split(","))
        and (resource in _ALL or f.id in resource.split(","))
    ]
    if version == "+":
        # Latest stable: semantic versions with an extension (1.1.0-draft) are not stable yet.
        picked = [f for f in picked if "-" not in f.version]
    if version in (*_LATEST, "+"):
        latest: dict[tuple[str, str], T] = {}
        for f in picked:
            best = latest.get((f.agency, f.id))
            if best is None or _version_key(f.version) > _version_key(best.version):
                latest[(f.agency, f.id)] = f
        return list(latest.values())
    return [f for f in picked if version in _ALL or f.version in version.split(",")]


def _structure_of(config: Config, source: str, flow: Dataflow) -> Structure:
    return service.structure(config, source, f"{flow.agency}:{flow.id}({flow.version})")[1]


def dataflow_parts(
    config: Config,
    source: str,
    agency: str | None,
    resource: str | None,
    version: str | None,
    references: str,
) -> tuple[list[Dataflow], list[Structure], bool]:
    """The dataflows asked for, their data structures when ``references`` reach them, and whether
    codelists and concepts are wanted too (a dataflow's children are its data structure only)."""
    flows = pick(service.dataflows(config, source), agency, resource, version)
    dsds = [_structure_of(config, source, f) for f in flows] if references in _CHILDREN else []
    return flows, dsds, references in ("descendants", "all")


def datastructure_parts(
    config: Config,
    source: str,
    agency: str | None,
    resource: str | None,
    version: str | None,
    references: str,
) -> tuple[list[Dataflow], list[Structure], bool]:
    """The data structures asked for (found through the dataflows that use them, whose structures
    only are loaded), with those dataflows when ``references`` asks for parents."""
    using = [
        f
        for f in service.dataflows(config, source)
        if (resource in _ALL or f.structure_id in resource.split(","))
        and (agency in _ALL or (f.structure_agency or f.agency) in agency.split(","))
    ]
    both = [(f, _structure_of(config, source, f)) for f in using]
    dsds = pick([d for _, d in both], agency, resource, version)
    kept = {(d.agency, d.id, d.version) for d in dsds}
    flows = [f for f, d in both if (d.agency, d.id, d.version) in kept] if references in _PARENTS else []
    return flows, dsds, references in _CHILDREN


class RestStructureHandler(RestHandler):
    """``GET {source}/structure/{type}[/{agency}[/{id}[/{version}]]]?references=`` (SDMX REST 2.x)."""

    @web.authenticated
    async def get(
        self,
        source: str,
        kind: str,
        agency: str | None = None,
        resource: str | None = None,
        version: str | None = None,
    ) -> None:
        """The artefacts as SDMX-ML 3.0 or SDMX-JSON 2.0."""
        if kind not in ARTEFACT_TYPES:
            raise InvalidInput(
                f"This endpoint serves the structure types {', '.join(ARTEFACT_TYPES)}, not {kind!r}."
            )
        fmt = self.chosen_format("structure", STRUCTURE_30_TYPES, "xml30")
        references = self.get_query_argument("references", "none").lower()
        if references not in _REFERENCES:
            raise InvalidInput(f"references must be one of {', '.join(_REFERENCES)}, not {references!r}.")
        config = self.sdmx_config()
        xml = fmt == "xml30"
        ml_version = "3.0" if xml else "2.0"
        if kind == "codelist":
            if resource in _ALL:
                raise InvalidInput("Name one codelist: structure/codelist/{agency}/{id}/{version}.")
            if references in _PARENTS:
                raise InvalidInput(
                    "Codelists are served without the data structures that use them; ask for "
                    "structure/datastructure/... with references=children."
                )
            if version not in (*_ALL, *_LATEST, "+", "1.0"):
                # Codelists are published once, as version 1.0, beside the structures that use them.
                raise NotFound(f"The codelist {resource} of the source {source} exists in version 1.0 only.")
            owner, dim = await asyncio.to_thread(find_codelist, config, source, _any(agency), resource)
            write = (
                structure_writers.write_codelists_ml if xml else structure_json_writers.write_codelists_json
            )
            body = await asyncio.to_thread(write, owner, [(resource, dim)], ml_version)
            self.answer("structure", fmt, body)
            return
        parts = dataflow_parts if kind == "dataflow" else datastructure_parts
        flows, dsds, children = await asyncio.to_thread(
            parts, config, source, agency, resource, version, references
        )
        if resource not in _ALL and not (flows if kind == "dataflow" else dsds):
            raise NotFound(f"The source {source} has no {kind} {resource!r} in version {version or '~'}.")
        write = structure_writers.write_structures_ml if xml else structure_json_writers.write_structures_json
        body = await asyncio.to_thread(write, dsds, children, ml_version, flows)
        self.answer("structure", fmt, body)


def _any(agency: str | None) -> str | None:
    return None if agency in _ALL else agency


ROUTES = [
    (
        rf"{_S}/structure/(?P<kind>{_SEG})"
        rf"(?:/(?P<agency>{_SEG})(?:/(?P<resource>{_SEG})(?:/(?P<version>{_SEG}))?)?)?",
        RestStructureHandler,
    ),
]
