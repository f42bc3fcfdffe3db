"""Every dataops route refuses unauthenticated requests (like the extension template's check_auth)."""

from __future__ import annotations

import json
import re

import pytest

from jupyterlab_dataops.handlers import sdmx_rest
from jupyterlab_dataops.routes import api_routes

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def _concrete_path(pattern: str) -> str:
    """Turn a route regex into one path it matches (each group becomes 'x')."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)|\([^)]*\)", "x", pattern)
    return path.replace("\\", "").rstrip("$").lstrip("^")


ROUTE_PATHS = sorted({_concrete_path(p) for p, _ in api_routes()} | {"no-such-route"})


@pytest.mark.parametrize("path", ROUTE_PATHS)
@pytest.mark.parametrize("method", METHODS)
async def test_route_refuses_anonymous_requests(http_server_client, jp_serverapp, jp_base_url, path, method):
    url = f"{jp_base_url}dataops/api/{path}"
    response = await http_server_client.fetch(
        url,
        method=method,
        body=b"{}" if method in ("POST", "PUT", "PATCH") else None,
        allow_nonstandard_methods=True,
        follow_redirects=False,
        raise_error=False,
    )
    assert response.code in (401, 403, 405), f"{method} {path} answered {response.code}"
    if response.code != 405:
        assert json.loads(response.body)["error"] in ("unauthorized", "forbidden")


# The standard SDMX REST endpoint for third-party tools is mounted beside the API, under dataops/sdmx/.
SDMX_REST_PATHS = sorted({_concrete_path(p) for p, _ in sdmx_rest.ROUTES} | {"no-such-route"})


@pytest.mark.parametrize("path", SDMX_REST_PATHS)
@pytest.mark.parametrize("method", METHODS)
async def test_sdmx_rest_route_refuses_anonymous_requests(
    http_server_client, jp_serverapp, jp_base_url, path, method
):
    url = f"{jp_base_url}{sdmx_rest.PREFIX}{path}"
    response = await http_server_client.fetch(
        url,
        method=method,
        body=b"{}" if method in ("POST", "PUT", "PATCH") else None,
        allow_nonstandard_methods=True,
        follow_redirects=False,
        raise_error=False,
    )
    assert response.code in (401, 403, 405), f"{method} {path} answered {response.code}"
    if response.code != 405:
        assert json.loads(response.body)["error"] in ("unauthorized", "forbidden")
