"""Every dataops route refuses unauthenticated requests (like the extension template's check_auth).

Each handler is asked with each HTTP method it implements, so every case reaches its own code
behind ``@web.authenticated``: a 405 (a method no handler implements) tests nothing about
authentication and is never counted. OPTIONS is Jupyter's CORS preflight, not dataops code.
"""

from __future__ import annotations

import json
import re

import pytest

from jupyterlab_dataops.handlers import sdmx_rest
from jupyterlab_dataops.handlers.base import NotFoundHandler
from jupyterlab_dataops.routes import api_routes

VERBS = ("GET", "POST", "PUT", "DELETE", "PATCH")
SAMPLE_VALUES = ("x", "1", "0" * 32)  # one of them matches each group of the routes


def implemented_verbs(handler: type) -> list[str]:
    """The verbs a dataops class of ``handler``'s hierarchy defines."""
    own = [c for c in handler.__mro__ if c.__module__.startswith("jupyterlab_dataops.")]
    return [v for v in VERBS if any(v.lower() in vars(c) for c in own)]


def sample_path(pattern: str) -> str:
    """The shortest path ``pattern`` matches: optional parts left out, each group one sample value."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "(":
            depth, j = 1, i + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(pattern[j], 0) if pattern[j - 1] != "\\" else 0
                j += 1
            if j < len(pattern) and pattern[j] == "?":  # an optional part: left out
                i = j + 1
                continue
            group = pattern[i:j]
            inner = group[re.match(r"\((?:\?P<\w+>|\?:)?", group).end() : -1]
            out.append(next(v for v in SAMPLE_VALUES if re.fullmatch(inner, v)))
            i = j
        else:
            out.append(pattern[i].replace("\\", ""))
            i += 1
    return "".join(out)


def cases(routes: list[tuple[str, type]]) -> list[tuple[str, str, str]]:
    """(method, path, handler name) for each implemented verb of each route."""
    out = []
    for pattern, handler in routes:
        path = sample_path(pattern)
        out += [
            pytest.param(v, path, id=f"{v} {path} {handler.__name__}") for v in implemented_verbs(handler)
        ]
    unknown = "no-such-route"
    return out + [pytest.param(v, unknown, id=f"{v} {unknown}") for v in implemented_verbs(NotFoundHandler)]


API_CASES = cases(api_routes())
SDMX_REST_CASES = cases(sdmx_rest.ROUTES)


@pytest.mark.parametrize("routes", [api_routes(), sdmx_rest.ROUTES], ids=["api", "sdmx-rest"])
def test_each_sample_path_reaches_its_own_handler(routes):
    for pattern, handler in routes:
        path = sample_path(pattern)
        first = next(h for p, h in routes if re.fullmatch(p, path))
        assert first is handler, f"{path} (for {handler.__name__}) is served by {first.__name__}"
        assert implemented_verbs(handler), f"{handler.__name__} implements no verb"


async def _refused(http_server_client, url: str, method: str) -> None:
    response = await http_server_client.fetch(
        url,
        method=method,
        body=b"{}" if method in ("POST", "PUT", "PATCH") else None,
        allow_nonstandard_methods=True,
        follow_redirects=False,
        raise_error=False,
    )
    assert response.code in (401, 403), f"{method} {url} answered {response.code}"
    assert json.loads(response.body)["error"] in ("unauthorized", "forbidden")


@pytest.mark.parametrize(("method", "path"), API_CASES)
async def test_route_refuses_anonymous_requests(http_server_client, jp_serverapp, jp_base_url, path, method):
    await _refused(http_server_client, f"{jp_base_url}dataops/api/{path}", method)


# The standard SDMX REST endpoint for third-party tools is mounted beside the API, under dataops/sdmx/.
@pytest.mark.parametrize(("method", "path"), SDMX_REST_CASES)
async def test_sdmx_rest_route_refuses_anonymous_requests(
    http_server_client, jp_serverapp, jp_base_url, path, method
):
    await _refused(http_server_client, f"{jp_base_url}{sdmx_rest.PREFIX}{path}", method)
