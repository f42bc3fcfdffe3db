"""The store's history for the Data panel, under ``dataops/api/sdmx/sources/{id}/dataflows/{flow}/``:
``vintages`` and ``revisions`` (JSON, `dataops.store.answers`); a POST to ``vintages`` writes one (R's
``dataops_write``). Reading at a vintage is the data route's ``as_of`` parameter."""

from __future__ import annotations

import asyncio

from tornado import web

from dataops.errors import InvalidInput
from dataops.store import answers, service
from jupyterlab_dataops.handlers.sdmx import SdmxHandler

_SOURCE = r"(?P<source>[^/]+)"
_FLOW = r"(?P<flow>[^/]+)"


class VintagesHandler(SdmxHandler):
    """``GET`` (list) and ``POST`` (write) ``sdmx/sources/{id}/dataflows/{flow}/vintages``."""

    @web.authenticated
    async def get(self, source: str, flow: str) -> None:
        """The dataflow's vintages, oldest first."""
        self.write_json(await asyncio.to_thread(answers.vintages, self.sdmx_config(), source, flow))

    @web.authenticated
    async def post(self, source: str, flow: str) -> None:
        """Write the SDMX data message in the body (SDMX-CSV 2.0, or any data format `dataops.read`
        reads) as one new vintage: ``?action=merge|replace|delete&vintage=&message=``."""
        if not self.request.body:
            raise InvalidInput(
                "The request carries no data: send an SDMX data message (SDMX-CSV 2.0) as the body."
            )
        result = await asyncio.to_thread(
            service.write,
            self.sdmx_config(),
            source,
            flow,
            self.request.body,
            action=self.get_query_argument("action", "merge"),
            vintage=self.get_query_argument("vintage", None) or None,
            message=self.get_query_argument("message", ""),
        )
        self.write_json(result.to_json(), status=201)


class RevisionsHandler(SdmxHandler):
    """``GET sdmx/sources/{id}/dataflows/{flow}/revisions?key=&start=&end=``."""

    @web.authenticated
    async def get(self, source: str, flow: str) -> None:
        """The revision triangle of the series ``key`` selects."""
        key = self.get_query_argument("key", "")
        if not key:
            raise InvalidInput("revisions needs the series key of the series to trace (key=...).")
        body = await asyncio.to_thread(
            answers.revisions,
            self.sdmx_config(),
            source,
            flow,
            key,
            self.get_query_argument("start", None) or None,
            self.get_query_argument("end", None) or None,
        )
        self.write_json(body)


ROUTES = [
    (rf"sdmx/sources/{_SOURCE}/dataflows/{_FLOW}/vintages", VintagesHandler),
    (rf"sdmx/sources/{_SOURCE}/dataflows/{_FLOW}/revisions", RevisionsHandler),
]
