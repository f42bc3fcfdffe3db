"""REST API of the metadata editors, under ``dataops/api/registry/``.

(Not ``metadata/``: Galata's UI tests answer every URL holding ``api/me`` with a user identity.)

The working copy is the folder this server works in (the Jupyter root), or ``folder`` below it.
These handlers only parse and serialise; what an edit means is `dataops.metadata.editing` and
`dataops.metadata.config_edit`'s.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tornado import web

from dataops.errors import InvalidInput
from dataops.metadata import Registry
from dataops.metadata.config_edit import config_form, save_config
from dataops.metadata.editing import (
    against_branch,
    artefact_from_json,
    artefact_json,
    constraint_form,
    listing,
    preview,
    save_edit,
)
from dataops.metadata.registry import METADATA_DIR
from dataops.promotion.access import require
from dataops.promotion.api import make_target
from dataops.promotion.inputs import safe_relative
from dataops.store.usage import SeriesCounter
from jupyterlab_dataops.handlers.base import DataOpsHandler


class MetadataHandler(DataOpsHandler):
    """Shared parsing: the working copy a request names."""

    def working_copy(self, folder: Any = None) -> Path:
        """The Jupyter root, or ``folder`` (query argument or body field) below it."""
        if folder is None:
            folder = self.get_query_argument("folder", "")
        if not isinstance(folder, str):
            raise InvalidInput("'folder' must be a path relative to the folder you work in.")
        root = Path(self.settings.get("server_root_dir") or self.serverapp.root_dir).expanduser().resolve()
        return root / safe_relative(folder.strip("/")) if folder.strip("/") else root

    def counter(self) -> SeriesCounter | None:
        """The store's series counter, or None when no store source is configured."""
        return SeriesCounter.from_config(self.dataops.data.config())

    def registry(self, folder: Any = None) -> Registry:
        path = self.working_copy(folder)
        return Registry.open(path) if path.is_dir() else Registry({}, str(path))


class ArtefactsHandler(MetadataHandler):
    """``GET registry/artefacts``: every artefact version and process configuration of the working copy.
    ``POST registry/artefacts`` ``{artefact, folder}``: save an edited constraint or codelist as the
    version SDMX versioning calls for (201, with that version and the file written)."""

    @web.authenticated
    async def get(self) -> None:
        registry = await asyncio.to_thread(self.registry)
        self.write_json(listing(registry))

    @web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        edited = artefact_from_json(body.get("artefact"))
        folder = self.working_copy(body.get("folder", ""))
        saved = await asyncio.to_thread(save_edit, folder, edited, self.counter())
        self.write_json(saved, status=201)


class ArtefactHandler(MetadataHandler):
    """``GET registry/artefacts/{kind}/{agency}/{id}/{version}``: one artefact (``latest``: the latest)."""

    @web.authenticated
    async def get(self, kind: str, agency: str, art_id: str, version: str) -> None:
        registry = await asyncio.to_thread(self.registry)
        art = registry.get(kind, agency, art_id, version)
        self.write_json(artefact_json(art, registry.file_of[art.ref]))


class ConstraintFormHandler(MetadataHandler):
    """``GET registry/constraints?flow=AGENCY:ID(VERSION)``: the flow's dimensions and codes, and the
    allowed constraint attached to it."""

    @web.authenticated
    async def get(self) -> None:
        flow = self.get_query_argument("flow", "")
        if not flow:
            raise InvalidInput("Name the dataflow: ?flow=AGENCY:ID(VERSION).")
        registry = await asyncio.to_thread(self.registry)
        self.write_json(await asyncio.to_thread(constraint_form, registry, flow))


class PreviewHandler(MetadataHandler):
    """``POST registry/preview`` ``{artefact, folder}``: the edit's changes and proposed version."""

    @web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        edited = artefact_from_json(body.get("artefact"))
        registry = await asyncio.to_thread(self.registry, body.get("folder", ""))
        self.write_json(await asyncio.to_thread(preview, registry, edited, self.counter()))


class BranchDiffHandler(MetadataHandler):
    """``POST registry/diff`` ``{artefact, environment}``: the changes from the version in the
    environment's deployment branch (for users who may promote there)."""

    @web.authenticated
    async def post(self) -> None:
        body = self.json_body()
        edited = artefact_from_json(body.get("artefact"))
        env_id = body.get("environment")
        if not isinstance(env_id, str) or not env_id:
            raise InvalidInput("Name the 'environment' whose branch to compare with.")
        cfg = self.dataops.promotion.config()
        env = cfg.environment(env_id)
        require(env, self.identity())
        target = make_target(env, cfg)
        files = await asyncio.to_thread(target.files_under, env.branch, [METADATA_DIR])
        self.write_json(against_branch(files, env.branch, edited))


class ProcessConfigHandler(MetadataHandler):
    """``GET registry/processes/{key}``: schema, version and values of a process configuration.
    ``PUT`` ``{values, version, folder}``: save them (refused when they break the schema)."""

    @web.authenticated
    async def get(self, key: str) -> None:
        registry = await asyncio.to_thread(self.registry)
        self.write_json(config_form(registry, key))

    @web.authenticated
    async def put(self, key: str) -> None:
        body = self.json_body()
        version = body.get("version", "")
        if not isinstance(version, str):
            raise InvalidInput("'version' must be text such as 1.2.0.")
        folder = self.working_copy(body.get("folder", ""))
        self.write_json(await asyncio.to_thread(save_config, folder, key, body.get("values"), version))


ROUTES = [
    (r"registry/artefacts", ArtefactsHandler),
    (
        r"registry/artefacts/(?P<kind>[a-z]+)/(?P<agency>[^/]+)/(?P<art_id>[^/]+)/(?P<version>[^/]+)",
        ArtefactHandler,
    ),
    (r"registry/constraints", ConstraintFormHandler),
    (r"registry/preview", PreviewHandler),
    (r"registry/diff", BranchDiffHandler),
    (r"registry/processes/(?P<key>[A-Za-z0-9_.-]+)", ProcessConfigHandler),
]
