"""The SDMX REST 2.x ``structure`` resource: ``{source}/structure/{type}/{agency}/{id}/{version}``.

It serves ``dataflow``, ``datastructure`` and ``codelist`` artefacts as SDMX-ML 3.0 (the default)
or SDMX-JSON 2.0, with the same content as the REST 1.x resources in `sdmx_rest` and
`sdmx_rest_structure`; ``*`` stands for any agency, id or version and ``~`` for the latest version.
"""

from __future__ import annotations

import asyncio

from tornado import web

from dataops.errors import InvalidInput, NotFound
from dataops.sdmx import service, structure_json_writers, structure_writers
from dataops.sdmx.model import Dataflow
from jupyterlab_dataops.handlers.sdmx_rest_base import _S, _SEG, STRUCTURE_30_TYPES, RestHandler
from jupyterlab_dataops.handlers.sdmx_rest_structure import find_codelist, find_structure

ARTEFACT_TYPES = ("dataflow", "datastructure", "codelist")
_ALL = (None, "", "*", "all")
_LATEST = ("~", "latest")
_REFERENCES = ("none", "parents", "parentsandsiblings", "ancestors", "children", "descendants", "all")


def _version_key(version: str) -> tuple:
    # Numeric parts compare as numbers so 1.10 is later than 1.9.
    return tuple(int(p) if p.isdigit() else -1 for p in version.replace("-", ".").split("."))


def pick_dataflows(
    flows: list[Dataflow], agency: str | None, flow: str | None, version: str | None
) -> list[Dataflow]:
    """The dataflows a 2.x query names; ``~`` keeps only the latest version of each."""
    picked = [
        f
        for f in flows
        if (agency in _ALL or f.agency in agency.split(",")) and (flow in _ALL or f.id in flow.split(","))
    ]
    if version in _LATEST:
        latest: dict[tuple[str, str], Dataflow] = {}
        for f in picked:
            best = latest.get((f.agency, f.id))
            if best is None or _version_key(f.version) > _version_key(best.version):
                latest[(f.agency, f.id)] = f
        return list(latest.values())
    return [f for f in picked if version in _ALL or f.version in version.split(",")]


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
        children = references in ("children", "descendants", "all")
        config = self.sdmx_config()
        xml = fmt == "xml30"
        if kind == "dataflow":
            if children:
                raise InvalidInput(
                    "Dataflows are served without their references; ask for "
                    "structure/datastructure/... with references=children for the codes."
                )
            flows = await asyncio.to_thread(service.dataflows, config, source)
            picked = pick_dataflows(flows, agency, resource, version)
            if resource not in _ALL and not picked:
                raise NotFound(
                    f"The source {source} has no dataflow {resource!r} in version {version or '~'}."
                )
            write = (
                structure_writers.write_dataflows_ml if xml else structure_json_writers.write_dataflows_json
            )
            body = await asyncio.to_thread(write, picked, "3.0" if xml else "2.0")
        elif resource in _ALL:
            raise InvalidInput(f"Name one {kind}: structure/{kind}/{{agency}}/{{id}}/{{version}}.")
        elif kind == "datastructure":
            found = await asyncio.to_thread(find_structure, config, source, _any(agency), resource, version)
            write = (
                structure_writers.write_structure_ml if xml else structure_json_writers.write_structure_json
            )
            body = await asyncio.to_thread(write, found, children, "3.0" if xml else "2.0")
        else:
            if version not in (*_ALL, *_LATEST, "1.0"):
                # Codelists are published once, as version 1.0, beside the structures that use them.
                raise NotFound(f"The codelist {resource} of the source {source} exists in version 1.0 only.")
            owner, dim = await asyncio.to_thread(find_codelist, config, source, _any(agency), resource)
            write = (
                structure_writers.write_codelists_ml if xml else structure_json_writers.write_codelists_json
            )
            body = await asyncio.to_thread(write, owner, [(resource, dim)], "3.0" if xml else "2.0")
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
