"""Content negotiation shared by the resources of the standard SDMX REST endpoint (``dataops/sdmx/``)."""

from __future__ import annotations

from dataops.errors import InvalidInput, NotAcceptable
from dataops.sdmx import media
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
# Data structures, codelists and availability are written as SDMX-ML only.
STRUCTURE_XML_TYPES = {k: v for k, v in STRUCTURE_TYPES.items() if v == "xml"}
STRUCTURE_30_TYPES = {
    media.STRUCTURE_30: "xml30",
    "application/vnd.sdmx.structure+xml": "xml30",
    "application/xml": "xml30",
    "text/xml": "xml30",
}
CONTENT_TYPES = {
    ("data", "csv"): media.CSV_10,
    ("data", "json"): media.JSON_10,
    ("structure", "xml"): media.STRUCTURE_21,
    ("structure", "json"): media.STRUCTURE_JSON_10,
    ("structure", "xml30"): media.STRUCTURE_30,
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
            if fmt is None or fmt not in offered.values():
                names = sorted(p for p, f in FORMAT_PARAMS.items() if f in offered.values())
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
