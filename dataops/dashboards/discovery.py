"""The apps of a checkout's ``dashboards/`` folder.

A folder holding ``app.R``, or ``ui.R`` and ``server.R``, is an R Shiny app named after the folder; a
notebook (``*.ipynb``) directly in ``dashboards/``, or alone in a folder of its own (published with that
folder), is a Voilà dashboard named after its stem. Anything else is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from dataops.dashboards.models import DashboardApp
from dataops.errors import InvalidInput

FOLDER = "dashboards"
# An app's name becomes a URL path segment and a folder name on the server.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def is_shiny_app(folder: Path) -> bool:
    """Whether ``folder`` is a Shiny app (``app.R``, or ``ui.R`` with ``server.R``)."""
    return (folder / "app.R").is_file() or ((folder / "ui.R").is_file() and (folder / "server.R").is_file())


def discover(checkout: Path) -> list[DashboardApp]:
    """The apps of ``checkout/dashboards`` sorted by name (none when the folder is absent).

    Two apps of one name, or a name that cannot be a URL segment, is `InvalidInput` naming them.
    """
    root = checkout / FOLDER
    if not root.is_dir():
        return []
    apps: list[DashboardApp] = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and is_shiny_app(entry):
            apps.append(DashboardApp(entry.name, "shiny", entry))
        elif entry.is_file() and entry.suffix == ".ipynb":
            apps.append(DashboardApp(entry.stem, "voila", entry))
        elif entry.is_dir():
            notebooks = sorted(entry.glob("*.ipynb"))
            if len(notebooks) == 1:
                # the whole folder goes: the notebook's local modules and data files with it
                apps.append(DashboardApp(notebooks[0].stem, "voila", entry))
    names: dict[str, DashboardApp] = {}
    for app in apps:
        if not NAME.match(app.name):
            raise InvalidInput(
                f"Dashboard {app.path.relative_to(checkout)}: its name {app.name!r} must be letters, "
                "digits, '-', '_' or '.', starting with a letter or digit."
            )
        if app.name in names:
            raise InvalidInput(
                f"Dashboards {names[app.name].path.relative_to(checkout)} and "
                f"{app.path.relative_to(checkout)} have the same name {app.name!r}."
            )
        names[app.name] = app
    return apps
