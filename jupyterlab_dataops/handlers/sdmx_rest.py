"""A standard SDMX REST 1.x endpoint under ``dataops/sdmx/{source}/``, for tools that speak SDMX.

``data/{flow}/{key}`` answers SDMX-CSV 1.0 or SDMX-JSON 1.0 and ``dataflow/...`` an SDMX-ML 2.1
or SDMX-JSON 1.0 structure message, chosen by the ``Accept`` header (or ``format=csv|json``);
``datastructure``, ``codelist`` and availability (SDMX-ML or SDMX-JSON too) live in `sdmx_rest_structure`;
so rsdmx, sdmx1 or an Excel add-in can read every configured source with Jupyter's login.
"""

from __future__ import annotations

import asyncio

from tornado import web

from dataops.errors import InvalidInput, UnknownDataflow
from dataops.sdmx import service, structure_json_writers, structure_writers, writers
from jupyterlab_dataops.handlers import sdmx_rest_structure
from jupyterlab_dataops.handlers.sdmx_rest_base import (  # noqa: F401 (PREFIX is read by the app)
    _S,
    _SEG,
    DATA_TYPES,
    PREFIX,
    STRUCTURE_TYPES,
    RestHandler,
)


class RestDataHandler(RestHandler):
    """``GET {source}/data/{flow}[/{key}[/{provider}]]`` with the SDMX 2.1 REST query parameters."""

    @web.authenticated
    async def get(self, source: str, flow: str, key: str | None = None, provider: str | None = None) -> None:
        """Observations as SDMX-CSV 1.0 or SDMX-JSON 1.0."""
        fmt = self.chosen_format("data", DATA_TYPES, "csv")
        if provider not in (None, "", "all"):
            raise InvalidInput(f"Data provider {provider!r} is not supported; use 'all'.")
        detail = self.get_query_argument("detail", "full")
        if detail not in ("full", "serieskeysonly"):
            raise InvalidInput(f"detail must be 'full' or 'serieskeysonly', not {detail!r}.")
        at_obs = self.get_query_argument("dimensionAtObservation", "TIME_PERIOD")
        if at_obs not in ("TIME_PERIOD", "AllDimensions"):
            raise InvalidInput("dimensionAtObservation must be TIME_PERIOD or AllDimensions here.")
        fetched = await asyncio.to_thread(
            service.fetch,
            self.sdmx_config(),
            source,
            flow,
            key or "all",
            start=self.get_query_argument("startPeriod", None) or None,
            end=self.get_query_argument("endPeriod", None) or None,
            last=self.int_argument("lastNObservations", None, lowest=1),
            first=self.int_argument("firstNObservations", None, lowest=1),
            updated_after=self.get_query_argument("updatedAfter", None) or None,
            series_keys_only=detail == "serieskeysonly",
        )
        if fmt == "csv":
            body = await asyncio.to_thread(writers.write_csv_10, fetched.table, fetched.dataflow)
        else:
            body = await asyncio.to_thread(
                writers.write_json_10, fetched.table, fetched.dataflow, fetched.structure
            )
        self.set_header("X-DataOps-Query-Url", fetched.url)
        self.answer("data", fmt, body)


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
            structure_writers.write_dataflows_ml_21(picked)
            if fmt == "xml"
            else structure_json_writers.write_dataflows_json(picked)
        )
        self.answer("structure", fmt, body)


ROUTES = [
    (rf"{_S}/data/(?P<flow>{_SEG})", RestDataHandler),
    (rf"{_S}/data/(?P<flow>{_SEG})/(?P<key>[^/]*)", RestDataHandler),
    (rf"{_S}/data/(?P<flow>{_SEG})/(?P<key>[^/]*)/(?P<provider>{_SEG})", RestDataHandler),
    (rf"{_S}/dataflow", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})/(?P<flow>{_SEG})", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})/(?P<flow>{_SEG})/(?P<version>{_SEG})", RestDataflowHandler),
    *sdmx_rest_structure.ROUTES,
]
