"""``data`` resources of the standard SDMX REST endpoint: REST 1.x ``data/{flow}/{key}`` and
REST 2.x ``data/dataflow/{agency}/{id}/{version}/{key}``.

Both answer SDMX-CSV 1.0 / 2.0 or SDMX-JSON 1.0 (the data writers there are) from the same query logic;
2.x keys take ``*`` for any code and ``c[TIME_PERIOD]=ge:...+le:...`` or ``c[DIM]=A,B`` filters.
"""

from __future__ import annotations

import asyncio
import re

from tornado import web

from dataops.errors import InvalidInput
from dataops.sdmx import service, writers
from jupyterlab_dataops.handlers.sdmx_rest_base import _S, _SEG, DATA_TYPES, RestHandler

_ANY = ("", "*", "~", "all", "latest")
_FILTER = re.compile(r"^c\[(?P<component>[^\]]+)\]$")


class RestDataHandler(RestHandler):
    """``GET {source}/data/{flow}[/{key}[/{provider}]]`` with the SDMX 2.1 REST query parameters."""

    @web.authenticated
    async def get(self, source: str, flow: str, key: str | None = None, provider: str | None = None) -> None:
        """Observations as SDMX-CSV 1.0 / 2.0 or SDMX-JSON 1.0."""
        if provider not in (None, "", "all"):
            raise InvalidInput(f"Data provider {provider!r} is not supported; use 'all'.")
        await self.serve(
            source,
            flow,
            key or "all",
            self.get_query_argument("startPeriod", None) or None,
            self.get_query_argument("endPeriod", None) or None,
        )

    async def serve(self, source: str, flow: str, key: str, start: str | None, end: str | None) -> None:
        """Answer one data query with the format negotiated and the shared query parameters."""
        fmt = self.chosen_format("data", DATA_TYPES, "csv")
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
            key,
            start=start,
            end=end,
            last=self.int_argument("lastNObservations", None, lowest=1),
            first=self.int_argument("firstNObservations", None, lowest=1),
            updated_after=self.get_query_argument("updatedAfter", None) or None,
            series_keys_only=detail == "serieskeysonly",
        )
        if fmt in ("csv", "csv20"):
            write = writers.write_csv_10 if fmt == "csv" else writers.write_csv_20
            body = await asyncio.to_thread(write, fetched.table, fetched.dataflow)
        else:
            body = await asyncio.to_thread(
                writers.write_json_10, fetched.table, fetched.dataflow, fetched.structure
            )
        self.set_header("X-DataOps-Query-Url", fetched.url)
        self.answer("data", fmt, body)


class RestDataV2Handler(RestDataHandler):
    """``GET {source}/data/dataflow/{agency}/{id}[/{version}[/{key}]]`` (SDMX REST 2.x)."""

    @web.authenticated
    async def get(
        self, source: str, agency: str, flow: str, version: str | None = None, key: str | None = None
    ) -> None:
        """Observations of one dataflow; ``*`` stands for any agency, version or code."""
        for name in ("attributes", "measures"):
            value = self.get_query_argument(name, "all")
            if value not in ("all", "dsd"):
                raise InvalidInput(f"{name} must be 'all' or 'dsd' here, not {value!r}.")
        if "," in (key or "") or "," in (version or ""):
            raise InvalidInput("Ask for one key and one version at a time; ',' lists are not supported here.")
        ref = flow if agency in _ANY else f"{agency}:{flow}"
        if version not in (None, *_ANY):
            ref = f"{ref}({version})"
        start, end, codes = self.filters()
        key = "all" if key in (None, "", "*") else key
        if codes:
            _, dsd = await asyncio.to_thread(service.structure, self.sdmx_config(), source, ref)
            key = narrowed_key(key, [d.id for d in sorted(dsd.dimensions, key=lambda d: d.position)], codes)
        else:
            key = key if key == "all" else key.replace("*", "")
        await self.serve(source, ref, key, start, end)

    def filters(self) -> tuple[str | None, str | None, dict[str, set[str]]]:
        """``c[TIME_PERIOD]`` as start and end periods, ``c[DIM]`` as the codes wanted per dimension."""
        start = end = None
        codes: dict[str, set[str]] = {}
        for name in self.request.query_arguments:
            match = _FILTER.match(name)
            if not match:
                continue
            component = match["component"]
            # ``+`` (AND) arrives as a space when the client did not percent-encode it.
            for term in re.split(r"[+ ]", self.get_query_argument(name)):
                op, _, value = term.rpartition(":")
                if component == "TIME_PERIOD":
                    if op in ("ge", "eq"):
                        start = value
                    if op in ("le", "eq"):
                        end = value
                    if op not in ("ge", "le", "eq"):
                        raise InvalidInput(
                            f"c[TIME_PERIOD] takes ge:, le: or eq: periods (ge:2020-01+le:2020-12), not {term!r}."
                        )
                elif op in ("", "eq") and value.strip(","):
                    # ``,`` is OR between codes, ``+`` AND between terms: a code must satisfy every term.
                    wanted = {v for v in value.split(",") if v}
                    codes[component] = codes[component] & wanted if component in codes else wanted
                else:
                    raise InvalidInput(f"c[{component}] takes codes (A or A,B) here, not {term!r}.")
        return start, end, codes


def narrowed_key(key: str, dims: list[str], codes: dict[str, set[str]]) -> str:
    """The 2.x ``key`` with each ``c[DIM]`` filter folded into its position: where both name codes,
    only the codes both name are kept."""
    unknown = sorted(set(codes) - set(dims))
    if unknown:
        raise InvalidInput(f"The dataflow has no dimension {', '.join(unknown)}; it has {', '.join(dims)}.")
    parts = [""] * len(dims) if key == "all" else key.split(".")
    if len(parts) != len(dims):
        raise InvalidInput(f"The key {key!r} needs {len(dims)} positions ({'.'.join(dims)}).")
    out = []
    for dim, part in zip(dims, parts, strict=True):
        have = {c for c in part.split("+") if c not in ("", "*")}
        wanted = codes.get(dim)
        if wanted is not None and not wanted:
            raise InvalidInput(f"The terms of c[{dim}] have no {dim} code in common.")
        if wanted is not None and have:
            both = have & wanted
            if not both:
                raise InvalidInput(f"The key and c[{dim}] have no {dim} code in common.")
            have = both
        elif wanted is not None:
            have = wanted
        out.append("+".join(sorted(have)))
    return ".".join(out)


ROUTES_V2 = [
    (
        rf"{_S}/data/dataflow/(?P<agency>{_SEG})/(?P<flow>{_SEG})(?:/(?P<version>{_SEG})(?:/(?P<key>[^/]*))?)?",
        RestDataV2Handler,
    ),
]
ROUTES = [
    (rf"{_S}/data/(?P<flow>{_SEG})", RestDataHandler),
    (rf"{_S}/data/(?P<flow>{_SEG})/(?P<key>[^/]*)", RestDataHandler),
    (rf"{_S}/data/(?P<flow>{_SEG})/(?P<key>[^/]*)/(?P<provider>{_SEG})", RestDataHandler),
]
