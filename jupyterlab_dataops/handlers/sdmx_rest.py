"""A standard SDMX REST endpoint (1.x and 2.x paths) under ``dataops/sdmx/{source}/``.

``dataflow/...`` answers an SDMX-ML 2.1 or SDMX-JSON 1.0 structure message, chosen by the ``Accept``
header (or ``format=xml|json``); ``data`` lives in `sdmx_rest_data`, ``datastructure``, ``codelist``
and availability in `sdmx_rest_structure`, the 2.x ``structure`` resource in `sdmx_rest_v2`; so
rsdmx, sdmx1, pysdmx or an Excel add-in can read every configured source with Jupyter's login.
"""

from __future__ import annotations

import asyncio

from tornado import web

from dataops.errors import UnknownDataflow
from dataops.sdmx import service, structure_json_writers, structure_writers
from jupyterlab_dataops.handlers import sdmx_rest_data, sdmx_rest_structure, sdmx_rest_v2
from jupyterlab_dataops.handlers.sdmx_rest_base import (  # noqa: F401 (PREFIX is read by the app)
    _S,
    _SEG,
    PREFIX,
    STRUCTURE_TYPES,
    RestHandler,
)


class RestDataflowHandler(RestHandler):
    """``GET {source}/dataflow[/{agency}[/{id}[/{version}]]]``."""

    @web.authenticated
    async def get(
        self, source: str, agency: str | None = None, flow: str | None = None, version: str | None = None
    ) -> None:
        """The source's dataflows (all, or the one named) as an SDMX structure message."""
        fmt = self.chosen_format("structure", STRUCTURE_TYPES, "xml")
        flows = await asyncio.to_thread(service.dataflows, self.sdmx_config(), source)
        picked = [
            f
            for f in flows
            if agency in (None, "all", "*", f.agency)
            and flow in (None, "all", "*", f.id)
            and version in (None, "latest", "all", "*", "~", f.version)
        ]
        if flow not in (None, "all", "*") and not picked:
            raise UnknownDataflow(f"The source {source} has no dataflow {flow!r}.")
        body = (
            structure_writers.write_dataflows_ml(picked)
            if fmt == "xml"
            else structure_json_writers.write_dataflows_json(picked)
        )
        self.answer("structure", fmt, body)


# REST 2.x paths first: ``data/dataflow/{agency}/{id}/...`` would otherwise match a 1.x data route.
ROUTES = [
    *sdmx_rest_data.ROUTES_V2,
    *sdmx_rest_v2.ROUTES,
    *sdmx_rest_data.ROUTES,
    (rf"{_S}/dataflow", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})/(?P<flow>{_SEG})", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})/(?P<flow>{_SEG})/(?P<version>{_SEG})", RestDataflowHandler),
    *sdmx_rest_structure.ROUTES,
]
