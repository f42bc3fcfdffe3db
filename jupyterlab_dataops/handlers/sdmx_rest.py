"""The standard SDMX REST endpoint (1.x and 2.x paths) under ``dataops/sdmx/{source}/``.

So rsdmx, sdmx1, pysdmx or an Excel add-in can read every configured source with Jupyter's login.
What the paths, parameters and ``Accept`` mean is `dataops.sdmx.rest`'s business: each handler here
names the function of `dataops.sdmx.rest.request` that reads its route, and `RestHandler` hands it
the path segments, the query and ``Accept``, then writes the answer of `dataops.sdmx.rest.answers`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ClassVar

from tornado import web
from tornado.iostream import StreamClosedError

from dataops.redaction import public_url
from dataops.sdmx.rest import answers, request
from jupyterlab_dataops.handlers.sdmx import SdmxHandler

PREFIX = "dataops/sdmx/"


class RestHandler(SdmxHandler):
    """One route of the endpoint: ``parse`` turns its segments, query and ``Accept`` into a request."""

    parse: ClassVar[
        Callable[..., request.DataRequest | request.StructureRequest | request.AvailabilityRequest]
    ]

    @web.authenticated
    async def get(self, **segments: str | None) -> None:
        """The answer as the SDMX message the request asked for, with its media type."""
        query = {name: self.get_query_argument(name) for name in self.request.query_arguments}
        asked = self.parse(**segments, query=query, accept=self.request.headers.get("Accept", ""))
        answer = await asyncio.to_thread(answers.answer, self.sdmx_config(), asked)
        self.set_header("Vary", "Accept")
        if answer.query_url:
            self.set_header("X-DataOps-Query-Url", public_url(answer.query_url))
        if isinstance(answer.body, bytes):
            self.finish(answer.body, set_content_type=answer.media_type)
            return
        # Streamed: each chunk is made in a worker thread and sent before the next is made. The
        # first chunk is made before anything is sent, so an error there still gets its status.
        self.set_header("Content-Type", answer.media_type)
        chunks = answer.body
        try:
            while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
                self.write(chunk)
                await self.flush()
        except StreamClosedError:
            return  # the client went away: make no more chunks
        self.finish()


class RestDataHandler(RestHandler):
    """``GET {source}/data/{flow}[/{key}[/{provider}]]`` (REST 1.x)."""

    parse = staticmethod(request.data_v1)


class RestDataV2Handler(RestHandler):
    """``GET {source}/data/dataflow/{agency}/{id}[/{version}[/{key}]]`` (REST 2.x)."""

    parse = staticmethod(request.data_v2)


class RestDataflowHandler(RestHandler):
    """``GET {source}/dataflow[/{agency}[/{id}[/{version}]]]`` (REST 1.x)."""

    parse = staticmethod(request.dataflow_v1)


class RestDataStructureHandler(RestHandler):
    """``GET {source}/datastructure/{agency}/{id}[/{version}]?references=`` (REST 1.x)."""

    parse = staticmethod(request.datastructure_v1)


class RestCodelistHandler(RestHandler):
    """``GET {source}/codelist/{agency}/{id}[/{version}]`` (REST 1.x)."""

    parse = staticmethod(request.codelist_v1)


class RestStructureHandler(RestHandler):
    """``GET {source}/structure/{type}[/{agency}[/{id}[/{version}]]]?references=`` (REST 2.x)."""

    parse = staticmethod(request.structure_v2)


class RestAvailableConstraintHandler(RestHandler):
    """``GET {source}/availableconstraint/{flow}[/{key}[/{provider}[/{component}]]]`` (REST 1.x)."""

    parse = staticmethod(request.availableconstraint_v1)


class RestAvailabilityHandler(RestHandler):
    """``GET {source}/availability/dataflow/{agency}/{id}/{version}[/{key}[/{component}]]`` (REST 2.x)."""

    parse = staticmethod(request.availability_v2)


_S = r"(?P<source>[^/]+)"
_SEG = r"[^/]+"
_ARTEFACT = rf"(?P<agency>{_SEG})/(?P<resource>{_SEG})(?:/(?P<version>{_SEG}))?"
# REST 2.x paths first: ``data/dataflow/{agency}/{id}/...`` would otherwise match a 1.x data route.
ROUTES = [
    (
        rf"{_S}/data/dataflow/(?P<agency>{_SEG})/(?P<resource>{_SEG})"
        rf"(?:/(?P<version>{_SEG})(?:/(?P<key>[^/]*))?)?",
        RestDataV2Handler,
    ),
    (
        rf"{_S}/structure/(?P<kind>{_SEG})"
        rf"(?:/(?P<agency>{_SEG})(?:/(?P<resource>{_SEG})(?:/(?P<version>{_SEG}))?)?)?",
        RestStructureHandler,
    ),
    (rf"{_S}/data/(?P<flow>{_SEG})", RestDataHandler),
    (rf"{_S}/data/(?P<flow>{_SEG})/(?P<key>[^/]*)", RestDataHandler),
    (rf"{_S}/data/(?P<flow>{_SEG})/(?P<key>[^/]*)/(?P<provider>{_SEG})", RestDataHandler),
    (rf"{_S}/dataflow", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})/(?P<resource>{_SEG})", RestDataflowHandler),
    (rf"{_S}/dataflow/(?P<agency>{_SEG})/(?P<resource>{_SEG})/(?P<version>{_SEG})", RestDataflowHandler),
    (rf"{_S}/datastructure/{_ARTEFACT}", RestDataStructureHandler),
    (rf"{_S}/codelist/{_ARTEFACT}", RestCodelistHandler),
    (
        rf"{_S}/availableconstraint/(?P<flow>{_SEG})(?:/(?P<key>[^/]*)(?:/(?P<provider>[^/]+)(?:/[^/]+)?)?)?",
        RestAvailableConstraintHandler,
    ),
    (
        rf"{_S}/availability/dataflow/(?P<agency>{_SEG})/(?P<resource>{_SEG})/(?P<version>{_SEG})"
        r"(?:/(?P<key>[^/]*)(?:/[^/]+)?)?",
        RestAvailabilityHandler,
    ),
]
