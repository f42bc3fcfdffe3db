"""Every dataops route refuses unauthenticated requests (like the extension template's check_auth)."""

from __future__ import annotations

import json
import re

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_dataops.routes import api_routes

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def _concrete_path(pattern: str) -> str:
    """Turn a route regex into one path it matches (each group becomes 'x')."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)|\([^)]*\)", "x", pattern)
    return path.replace("\\", "").rstrip("$").lstrip("^")


ROUTE_PATHS = sorted({_concrete_path(p) for p, _ in api_routes()} | {"no-such-route"})


@pytest.mark.parametrize("path", ROUTE_PATHS)
@pytest.mark.parametrize("method", METHODS)
async def test_route_refuses_anonymous_requests(jp_fetch, jp_serverapp, path, method):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "dataops",
            "api",
            *path.split("/"),
            method=method,
            headers={"Authorization": ""},
            body=b"{}" if method in ("POST", "PUT", "PATCH") else None,
            allow_nonstandard_methods=True,
        )
    assert err.value.code in (401, 403, 405), f"{method} {path} answered {err.value.code}"
    if err.value.code != 405:
        assert json.loads(err.value.response.body)["error"] in ("unauthorized", "forbidden")


def test_every_route_is_checked():
    assert len(ROUTE_PATHS) >= len({p for p, _ in api_routes()})
