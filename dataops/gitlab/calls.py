"""What a GitLab call is: a generator of request descriptions, run by a blocking or an async runner.

A call yields `Request` objects and receives each answer's decoded body (JSON, bytes or ``None``),
or `Together` to run several calls at once and receive their results in order; it returns its
result. An error GitLab answers is raised inside the call at the ``yield``, so a call may catch it
(a merge request that already exists). `dataops.gitlab.client` runs calls over ``httpx``.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote


@dataclass(frozen=True)
class Request:
    """One request to GitLab's REST API v4; ``path`` is relative to ``/api/v4``.

    ``what`` names it in error messages ("reading pipeline 12 of stats/deployment"). ``expect`` is
    ``"json"`` or ``"bytes"``. With ``missing_ok`` a 404 answers ``None`` instead of raising.
    ``conflict`` is the user's sentence when GitLab reports a conflict (``{reason}`` is replaced by
    GitLab's message); such requests also treat GitLab's stale-file refusals as conflicts.
    """

    method: str
    path: str
    what: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    expect: str = "json"
    missing_ok: bool = False
    conflict: str = ""


Call = Generator["Request | Together", Any, Any]


@dataclass(frozen=True)
class Together:
    """Several calls whose results are wanted together, in order; ``limit`` caps how many the async
    runner has in flight at once (``None``: all), the blocking runner runs them one after another."""

    calls: Sequence[Call]
    limit: int | None = None


def answer(request: Request) -> Call:
    """The call made of this one request: its decoded answer."""
    return (yield request)


def project_path(project: str) -> str:
    """``/projects/:id`` for a numeric id or a ``namespace/path``."""
    return f"/projects/{quote(project, safe='')}"


def segment(value: str) -> str:
    """A branch name or file path as one URL path segment (GitLab wants ``/`` encoded)."""
    return quote(value, safe="")
