"""Promoting a dashboard: an R Shiny app's folder or a notebook, reviewed, scanned and landed like
any code, under ``dashboards/<name>/`` in the deployment repository.

The promotion is the ordinary one (`dataops.promotion.api`) with the files' destinations moved: a
first review proposes where each file would go, then every destination is replaced by its place under
``dashboards/<name>/``, so the rights, the secret scan and the review are exactly those of code.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from dataops.dashboards.discovery import FOLDER, NAME, is_shiny_app
from dataops.errors import InvalidInput
from dataops.promotion.api import plan, promote
from dataops.promotion.submit import Promotion

SHINY_SOURCES = ("app.R", "server.R")


def app_files(path: Path) -> tuple[Path, tuple[Path, ...], str]:
    """The file a promotion is about, the other files of the app, and the app's name.

    ``path`` is a Shiny app's folder (or a file in it) or a notebook; anything else is `InvalidInput`.
    """
    path = path.resolve()
    folder = path if path.is_dir() else path.parent
    if path.suffix == ".ipynb" and path.is_file():
        return path, (), _name(path.stem)
    if is_shiny_app(folder):
        main = next(folder / n for n in SHINY_SOURCES if (folder / n).is_file())
        others = tuple(
            p
            for p in sorted(folder.rglob("*"))
            if p.is_file()
            and p != main
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        )
        return main, others, _name(folder.name)
    raise InvalidInput(
        f"{path.name} is not a dashboard: choose a notebook or a Shiny app (a folder with app.R, "
        "or ui.R and server.R)."
    )


def _name(name: str) -> str:
    if not NAME.match(name):
        raise InvalidInput(
            f"{name!r} cannot name a dashboard: use letters, digits, '-', '_' or '.', starting with a letter or digit."
        )
    return name


def dashboard_destinations(reviewed: Any, main: Path, name: str) -> dict[str, str]:
    """``{proposed destination: dashboards/<name>/...}`` for every file of a review of ``main``.

    ``reviewed`` is a `Plan` or its JSON (the DataOps service's answer)."""
    files = reviewed["files"] if isinstance(reviewed, dict) else [vars(f) for f in reviewed.files]
    source = reviewed["source"] if isinstance(reviewed, dict) else reviewed.source
    # Sources are relative to the review's root; the app's own files are relative to main's folder.
    app_dir = PurePosixPath(source).parent
    out: dict[str, str] = {}
    for f in files:
        if f["source"]:
            inner = PurePosixPath(f["source"]).relative_to(app_dir).as_posix()
        else:  # the .py generated from a notebook
            inner = f"{main.stem}.py"
        out[f["destination"]] = f"{FOLDER}/{name}/{inner}"
    return out


def promote_dashboard(path: str | Path, env: str, message: str = "", **options: Any) -> Promotion:
    """Promote the dashboard at ``path`` (see `app_files`) to ``env`` under ``dashboards/<name>/``.

    ``options`` are `dataops.promotion.api.promote`'s (``config``, ``user``); raises what it raises."""
    main, others, name = app_files(Path(path))
    extras = tuple(str(p) for p in others)
    reviewed = plan(main, env, extra_files=extras, **options)
    destinations = dashboard_destinations(reviewed, main, name)
    return promote(
        main,
        env,
        message or f"Publish dashboard {name}",
        extra_files=extras,
        destinations=destinations,
        **options,
    )
