"""A local SDMX REST provider over the real sample files in ``../shared/sdmx-samples``.

It answers SDMX REST 1.x under ``/ecb/`` and ``/estat/`` and REST 2.x under ``/v2/``, chooses the
representation by the ``Accept`` header (q-values honoured), and reproduces providers' refusals:

- an unmatched key: 404 with a ``<message:Error>`` code 100 (as ECB does);
- ``/estat/``: a Eurostat footer-only 200 for GOV_10Q_GGNFA data, and 413 for the key ``all``;
- ``/busy/``: 429 with ``Retry-After: 1`` for the first ``busy_count`` requests, then as ``/ecb/``;
- ``/down/``: always 503; ``/noavail/``: 501 for availability queries;
- ``/gzip/``: as ``/ecb/`` but gzip-compressed; ``/etag/``: structures with ETag and 304 handling;
- ``/estatasync/sdmx/2.1/``: Eurostat's asynchronous delivery: every data query is answered with a
  footer carrying an asynchronous key; ``/estatasync/1.0/async/status/{key}`` says SUBMITTED, then
  PROCESSING for ``async_pending`` polls, then AVAILABLE (or ``async_outcome``), and ``/estatasync/1.0/async/data/{key}``
  delivers the data (zipped when ``async_zip``).

Data answers honour the query as a provider does (`fake_filtering`): key, ``startPeriod``/``endPeriod``
or ``c[TIME_PERIOD]``, ``lastNObservations``/``firstNObservations``, ``detail=serieskeysonly`` (2.x:
``attributes=none&measures=none``), and ``updatedAfter`` (404 when it is after ``updated``, the time
the samples last changed).

Every request is recorded in ``requests`` (path with query, headers) so tests can check what was sent.
"""

from __future__ import annotations

import gzip
import io
import re
import threading
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree

from tests.sdmx.fake_filtering import Selection, filter_message
from tests.sdmx.fake_periods import span

SS21 = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
GEN21 = "application/vnd.sdmx.genericdata+xml;version=2.1"
CSV10 = "application/vnd.sdmx.data+csv;version=1.0.0"
JSON10 = "application/vnd.sdmx.data+json;version=1.0.0"
STR21 = "application/vnd.sdmx.structure+xml;version=2.1"
SS30 = "application/vnd.sdmx.data+xml;version=3.0.0"
CSV20 = "application/vnd.sdmx.data+csv;version=2.0.0"
JSON20 = "application/vnd.sdmx.data+json;version=2.0.0"
STR30 = "application/vnd.sdmx.structure+xml;version=3.0.0"

EXR_DIMS = ("FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX")
# The series each sample data file holds (from the samples' README), per media type.
DATA_1 = {
    "EXR": [
        (GEN21, "ECB_EXR/1/M.USD.EUR.SP00.A.xml", ["M.USD.EUR.SP00.A"]),
        (CSV10, "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-1.0.csv", ["M.USD.EUR.SP00.A"]),
        (JSON10, "ECB_EXR/ts.json", ["D.NZD.EUR.SP00.A", "D.RUB.EUR.SP00.A"]),
    ],
}
DATA_2 = {
    "EXR": [
        (SS30, "v3/xml/ECB_EXR0.xml", [f"A.{c}.EUR.SP00.{s}" for c in ("CAD", "CHF", "LTL") for s in "AE"]),
        (CSV20, "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-2.0.csv", ["M.USD.EUR.SP00.A"]),
        (JSON20, "v3/json/data/exr-time-series.json", ["D.NZD.EUR.SP00.A", "D.RUB.EUR.SP00.A"]),
    ],
}
STRUCTURES_1 = {
    ("dataflow", "EXR"): "ECB_EXR/1/structure-full.xml",
    ("dataflow", "GOV_10Q_GGNFA"): "ESTAT/GOV_10Q_GGNFA.xml",
    ("datastructure", "ECB_EXR1"): "ECB_EXR/1/structure-full.xml",
    ("datastructure", "GOV_10Q_GGNFA"): "ESTAT/GOV_10Q_GGNFA.xml",
}
# The TWG's 3.0 dataflow sample names DSD ECB:EXR while its DSD sample is ECB:ECB_EXR; serve it for both.
STRUCTURES_2 = {
    ("dataflow", "EXR"): "v3/xml/dataflow.xml",
    ("datastructure", "EXR"): "v3/xml/ECB_EXR1.xml",
    ("datastructure", "ECB_EXR"): "v3/xml/ECB_EXR1.xml",
}
ERROR_21 = """<?xml version="1.0" encoding="UTF-8"?>
<message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
 xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
<message:ErrorMessage code="{code}"><common:Text>{text}</common:Text></message:ErrorMessage>
</message:Error>"""
ASYNC_FOOTER = """<?xml version="1.0" encoding="UTF-8"?>
<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
 xmlns:footer="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer"
 xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
<message:Header><message:ID>{key}</message:ID><message:Test>false</message:Test>
<message:Prepared>2026-11-26T10:00:00</message:Prepared><message:Sender id="ESTAT"/></message:Header>
<footer:Footer><footer:Message code="413" severity="Infomation">
<common:Text xml:lang="en">Due to the large query the response will be processed asynchronously.</common:Text>
<common:Text xml:lang="en">Asynchronous key: {key}</common:Text>
</footer:Message></footer:Footer>
</message:GenericData>"""
ASYNC_STATUS = """<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body>
<ns0:asyncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/asynchronous">
<status><key>{key}</key><status>{status}</status></status>
</ns0:asyncResponse></env:Body></env:Envelope>"""


@dataclass
class FakeProvider:
    """The running server: ``url`` is its base, ``requests`` what it received."""

    samples: Path
    busy_count: int = 0
    updated: str = "2020-01-16T08:16:20+01:00"
    async_pending: int = 2
    async_zip: bool = False
    async_outcome: str = "AVAILABLE"  # or EXPIRED: the file was removed before it was fetched
    moved_to: str = ""  # the "moved" persona redirects every request here (+ the rest of the path)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    # async key -> [status polls still "not ready", media type, body]
    jobs: dict[str, list] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self, port: int = 0, thread: bool = True) -> FakeProvider:
        """Listen on ``port`` (a free one by default) in a daemon thread, or in this one if not ``thread``."""
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                provider.requests.append((self.path, dict(self.headers.items())))
                status, headers, body = provider.answer(self.path, self.headers)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        if not thread:
            print(f"ready {self.url}", flush=True)
            self.server.serve_forever()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()

    # -- routing --------------------------------------------------------------------------------

    def answer(self, raw_path: str, headers) -> tuple[int, dict[str, str], bytes]:  # noqa: ANN001
        split = urlsplit(raw_path)
        params = {k: v[0] for k, v in parse_qs(split.query).items()}
        parts = [unquote(p) for p in split.path.strip("/").split("/")]
        persona, rest = parts[0], parts[1:]
        accept = headers.get("Accept", "*/*")
        if persona == "down":
            return _error(503, 503, "Service unavailable")
        if persona == "moved":
            rest_of_path = raw_path.split("/moved", 1)[1]
            return 301, {"Location": self.moved_to + rest_of_path}, b""

        if persona == "busy":
            if self.busy_count > 0:
                self.busy_count -= 1
                return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"Too many requests"
            persona = "ecb"
        if persona == "estatasync":
            status, out_headers, body = self._estat_async(rest, params, accept)
        elif persona == "v2":
            status, out_headers, body = self._v2(rest, params, accept)
        else:
            status, out_headers, body = self._v1(persona, rest, params, accept)
        if persona == "etag" and status == 200:
            tag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            out_headers["ETag"] = tag
            if headers.get("If-None-Match") == tag:
                return 304, {"ETag": tag}, b""
        if persona == "gzip" and "gzip" in headers.get("Accept-Encoding", ""):
            out_headers["Content-Encoding"] = "gzip"
            body = gzip.compress(body)
        return status, out_headers, body

    def _v1(self, persona: str, rest: list[str], params: dict, accept: str) -> tuple[int, dict, bytes]:
        resource = rest[0] if rest else ""
        if resource in ("dataflow", "datastructure"):
            ident = rest[2] if len(rest) > 2 else "all"
            if ident == "all":
                return 200, {"Content-Type": STR21}, self._dataflow_list()
            if resource == "datastructure" and "references" not in params and ident == "ECB_EXR1":
                return self._file(STR21, "ECB_EXR/1/structure.xml")
            path = STRUCTURES_1.get((resource, ident))
            return self._file(STR21, path) if path else _error(404, 100, f"No structure {ident} found")
        if resource == "availableconstraint":
            if persona == "noavail":
                return _error(501, 501, "Availability queries are not implemented")
            flow = rest[1].split(",")[1] if "," in rest[1] else rest[1]
            return self._availability(DATA_1.get(flow, []), rest[2], "2_1")
        if resource == "data":
            flow = rest[1].split(",")[1] if "," in rest[1] else rest[1]
            key = rest[2] if len(rest) > 2 else "all"
            if persona == "estat" and key == "all":
                return (
                    413,
                    {"Content-Type": "text/html"},
                    b"<html><body>Request Entity Too Large</body></html>",
                )
            if persona == "estat" and flow == "GOV_10Q_GGNFA":
                return self._file(GEN21, "ESTAT/footer.xml")
            return self._data(DATA_1.get(flow), key, accept, params)
        return _error(404, 100, f"Unknown resource {resource}")

    def _estat_async(self, rest: list[str], params: dict, accept: str) -> tuple[int, dict, bytes]:
        if rest[:2] == ["sdmx", "2.1"] and rest[2:3] == ["data"]:
            status, headers, body = self._v1("ecb", rest[2:], params, accept)
            if status != 200:
                return status, headers, body
            key = uuid.uuid4().hex
            self.jobs[key] = [self.async_pending, headers["Content-Type"], body]
            return 200, {"Content-Type": GEN21}, ASYNC_FOOTER.format(key=key).encode()
        if rest[:2] == ["sdmx", "2.1"]:
            return self._v1("ecb", rest[2:], params, accept)
        if rest[:3] == ["1.0", "async", "status"] and len(rest) == 4:
            job = self.jobs.get(rest[3])
            if job is None:
                state = "UNKNOWN_REQUEST"
            elif job[0] > 0:
                state = "SUBMITTED" if job[0] == self.async_pending else "PROCESSING"
                job[0] -= 1
            else:
                state = self.async_outcome
            return (
                200,
                {"Content-Type": "application/xml"},
                ASYNC_STATUS.format(key=rest[3], status=state).encode(),
            )
        if rest[:3] == ["1.0", "async", "data"] and len(rest) == 4:
            job = self.jobs.get(rest[3])
            if job is None or job[0] > 0 or self.async_outcome != "AVAILABLE":
                return _error(404, 100, "The data of this request is not available")
            if not self.async_zip:
                return 200, {"Content-Type": job[1]}, job[2]
            packed = io.BytesIO()
            with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(f"{rest[3]}.xml", job[2])
            return 200, {"Content-Type": "application/zip"}, packed.getvalue()
        return _error(404, 100, "Unknown resource")

    def _v2(self, rest: list[str], params: dict, accept: str) -> tuple[int, dict, bytes]:
        if rest[:1] == ["structure"]:
            ident = rest[3] if len(rest) > 3 else "*"
            path = STRUCTURES_2.get((rest[1], "EXR" if ident == "*" else ident))
            return self._file(STR30, path) if path else _error(404, 100, f"No structure {ident} found")
        if rest[:1] == ["availability"]:
            return self._availability(DATA_2.get(rest[3], []), rest[5], "3_0")
        if rest[:1] == ["data"]:
            return self._data(DATA_2.get(rest[3]), rest[5] if len(rest) > 5 else "*", accept, params)
        return _error(404, 100, "Unknown resource")

    # -- answers --------------------------------------------------------------------------------

    def _file(self, media_type: str, path: str) -> tuple[int, dict, bytes]:
        return 200, {"Content-Type": media_type}, (self.samples / path).read_bytes()

    def _data(
        self, representations: list | None, key: str, accept: str, params: dict
    ) -> tuple[int, dict, bytes]:
        if representations is None:
            return _error(404, 100, "No Results Found: unknown dataflow")
        chosen = negotiate(accept, [media for media, _, _ in representations])
        if chosen is None:
            return _error(406, 406, f"Cannot produce any of {accept}")
        media, path, series = next(r for r in representations if r[0] == chosen)
        if not any(key_matches(key, s) for s in series):
            return _error(404, 100, "No Results Found")
        if "updatedAfter" in params and _instant(params["updatedAfter"]) >= _instant(self.updated):
            return _error(404, 100, "No Results Found: nothing changed since updatedAfter")
        body = filter_message(
            media, (self.samples / path).read_bytes(), Selection.from_params(key, params), EXR_DIMS
        )
        if body is None:
            return _error(404, 100, "No Results Found")
        return 200, {"Content-Type": media}, body

    def _availability(self, representations: list, key: str, version: str) -> tuple[int, dict, bytes]:
        series = [s for _, _, keys in representations[:1] for s in keys if key_matches(key, s)]
        if not series:
            return _error(404, 100, "No Results Found")
        ns = f"http://www.sdmx.org/resources/sdmxml/schemas/v{version}"
        values = "".join(
            f'<str:KeyValue id="{dim}">'
            + "".join(
                f"<com:Value>{code}</com:Value>" for code in dict.fromkeys(s.split(".")[i] for s in series)
            )
            + "</str:KeyValue>"
            for i, dim in enumerate(EXR_DIMS)
        )
        tag = "ContentConstraint" if version == "2_1" else "DataConstraint"
        body = (
            f'<mes:Structure xmlns:mes="{ns}/message" xmlns:str="{ns}/structure" xmlns:com="{ns}/common">'
            f'<mes:Structures><str:Constraints><str:{tag} id="AVAILABILITY" agencyID="ECB" role="Actual">'
            f"<com:Annotations><com:Annotation><com:AnnotationTitle>{len(series)}</com:AnnotationTitle>"
            f"<com:AnnotationType>series_count</com:AnnotationType></com:Annotation></com:Annotations>"
            f'<str:CubeRegion include="true">{values}</str:CubeRegion>'
            f"</str:{tag}></str:Constraints></mes:Structures></mes:Structure>"
        )
        return 200, {"Content-Type": STR21 if version == "2_1" else STR30}, body.encode()

    def _dataflow_list(self) -> bytes:
        """A structure message with the real Dataflow elements of the ECB and Eurostat samples."""
        root = etree.fromstring((self.samples / "ECB_EXR/1/structure-full.xml").read_bytes())
        flows = root.find(".//{*}Dataflows")
        for path in ("ESTAT/GOV_10Q_GGNFA.xml",):
            other = etree.fromstring((self.samples / path).read_bytes())
            flows.extend(other.iterfind(".//{*}Dataflow"))
        structures = flows.getparent()
        for child in list(structures):
            if child is not flows:
                structures.remove(child)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def negotiate(accept: str, available: list[str]) -> str | None:
    """The available media type the Accept header prefers most (ties: header order)."""
    ranked = []
    for index, item in enumerate(accept.split(",")):
        fields = [f.strip() for f in item.split(";")]
        q = 1.0
        params = []
        for f in fields[1:]:
            if f.startswith("q="):
                q = float(f[2:])
            else:
                params.append(f)
        ranked.append((-q, index, ";".join([fields[0], *params])))
    for _, _, media in sorted(ranked):
        if media in ("*/*", "application/*"):
            return available[0]
        for candidate in available:
            if candidate == media or candidate.split(";")[0] == media or _family(candidate) == media:
                return candidate
    return None


def _family(media: str) -> str:
    return {"csv": "text/csv", "json": "application/json"}.get(re.sub(r".*\+(\w+);.*", r"\1", media), "")


def key_matches(key: str, series: str) -> bool:
    """Does a REST 1.x/2.x key select the series ``series`` (dot-separated codes)?"""
    if key in ("all", "*", ""):
        return True
    wanted = key.split(".")
    codes = series.split(".")
    if len(wanted) != len(codes):
        return False
    return all(w in ("", "*") or c in re.split(r"[+,]", w) for w, c in zip(wanted, codes, strict=True))


def _instant(text: str) -> datetime:
    """An ISO date or date-time as an aware instant (UTC when no offset is given)."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        when = datetime.combine(span(text)[0], datetime.min.time())
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _error(status: int, code: int, text: str) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/xml"}, ERROR_21.format(code=code, text=text).encode()
