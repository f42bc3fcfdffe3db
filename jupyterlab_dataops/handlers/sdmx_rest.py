"""A standard SDMX REST 1.x endpoint under ``dataops/sdmx/{source}/``, for tools that speak SDMX.

``data/{flow}/{key}`` answers SDMX-CSV 1.0 or SDMX-JSON 1.0 and ``dataflow/...`` an SDMX-ML 2.1
or SDMX-JSON 1.0 structure message, chosen by the ``Accept`` header (or ``format=csv|json``),
so rsdmx, sdmx1 or an Excel add-in can read every configured source with Jupyter's login.
"""

from __future__ import annotations

import asyncio

from tornado import web

from dataops.errors import InvalidInput, NotAcceptable, UnknownDataflow
from dataops.sdmx import media, service, writers
from jupyterlab_dataops.handlers.sdmx import SdmxHandler

PREFIX = "dataops/sdmx/"
_S = r"(?P<source>[^/]+)"
_SEG = r"[^/]+"

DATA_TYPES = {
    media.CSV_10: "csv",
    "application/vnd.sdmx.data+csv": "csv",
    "text/csv": "csv",
    media.JSON_10: "json",
    "application/vnd.sdmx.data+json": "json",
    "application/json": "json",
}
STRUCTURE_TYPES = {
    media.STRUCTURE_21: "xml",
    "application/vnd.sdmx.structure+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    media.STRUCTURE_JSON_10: "json",
    "application/vnd.sdmx.structure+json": "json",
    "application/json": "json",
}
CONTENT_TYPES = {
    ("data", "csv"): media.CSV_10,
    ("data", "json"): media.JSON_10,
    ("structure", "xml"): media.STRUCTURE_21,
    ("structure", "json"): media.STRUCTURE_JSON_10,
}
FORMAT_PARAMS = {"csv": "csv", "csvdata": "csv", "json": "json", "jsondata": "json", "sdmx-json": "json"}


def negotiate(accept: str, offered: dict[str, str], default: str) -> str | None:
    """The offered format the Accept header ranks highest (``default`` for ``*/*`` or no header)."""
    if not accept.strip():
        return default
    ranked = []
    for order, item in enumerate(accept.split(",")):
        fields = [f.strip() for f in item.split(";") if f.strip()]
        if not fields:
            continue
        q = 1.0
        params = []
        for f in fields[1:]:
            if f.replace(" ", "").startswith("q="):
                try:
                    q = float(f.split("=", 1)[1])
                except ValueError:
                    q = 0.0
            else:
                params.append(f.replace(" ", ""))
        if q > 0:
            ranked.append((-q, order, ";".join([fields[0].lower(), *params])))
    for _, _, media_type in sorted(ranked):
        if media_type in ("*/*", "application/*") or media_type.startswith("*/*"):
            return default
        found = offered.get(media_type) or offered.get(media_type.split(";")[0])
        if found:
            return found
    return None


class RestHandler(SdmxHandler):
    """Content negotiation shared by the data and structure resources."""

    def chosen_format(self, kind: str, offered: dict[str, str], default: str) -> str:
        """``format=`` wins over ``Accept``; nothing acceptable is a 406 listing what is offered."""
        param = self.get_query_argument("format", None)
        if param:
            fmt = FORMAT_PARAMS.get(param.lower())
            if fmt is None or (kind, fmt) not in CONTENT_TYPES:
                names = sorted(p for p, f in FORMAT_PARAMS.items() if (kind, f) in CONTENT_TYPES)
                raise InvalidInput(f"format must be one of {', '.join(names)}, not {param!r}.")
            return fmt
        fmt = negotiate(self.request.headers.get("Accept", ""), offered, default)
        if fmt is None:
            available = ", ".join(sorted({CONTENT_TYPES[(kind, f)] for f in offered.values()}))
            raise NotAcceptable(
                f"This endpoint cannot answer {self.request.headers.get('Accept')!r}; it offers {available}."
            )
        return fmt

    def answer(self, kind: str, fmt: str, body: bytes) -> None:
        """Send a body with its SDMX media type."""
        self.set_header("Vary", "Accept")
        self.finish(body, set_content_type=CONTENT_TYPES[(kind, fmt)])


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
            writers.write_dataflows_ml_21(picked) if fmt == "xml" else writers.write_dataflows_json_10(picked)
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
]
