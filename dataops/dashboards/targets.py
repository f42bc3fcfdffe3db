"""The Shiny Server and Voilà targets: a site folder a server of this machine (or one mounting it) serves.

Shiny Server serves ``site_dir/<name>/`` at ``<url><name>/``; a Voilà server started on ``site_dir``
(``voila site_dir``) renders ``<url>voila/render/<name>/<notebook>``. Both publish through
`dataops.dashboards.site`, so an app is replaced whole and `published` reads what the folder serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dataops.dashboards.models import DashboardApp, Published
from dataops.dashboards.site import SiteEntry, publish_to_site, read_site
from dataops.errors import InvalidInput


def _base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


@dataclass
class ShinyServerTarget:
    """Shiny apps copied into a Shiny Server ``site_dir`` served at ``url``."""

    site_dir: Path
    url: str
    kind: str = "shiny-server"

    def publish(self, app: DashboardApp, *, commit: str) -> Published:
        """Copy the app's folder into the site whole (`InvalidInput` for a notebook)."""
        if app.kind != "shiny":
            raise InvalidInput(f"Shiny Server serves Shiny apps; {app.name!r} is a {app.kind} dashboard.")
        return self._published(publish_to_site(self.site_dir, app, commit=commit))

    def published(self) -> list[Published]:
        """The Shiny apps the site folder serves now."""
        return [self._published(e) for e in read_site(self.site_dir) if e.kind == "shiny"]

    def _published(self, entry: SiteEntry) -> Published:
        url = f"{_base(self.url)}{entry.name}/"
        return Published(entry.name, entry.kind, self.kind, url, entry.commit, entry.published_at)


@dataclass
class VoilaTarget:
    """Notebooks copied into the folder a Voilà server serves at ``url``."""

    site_dir: Path
    url: str
    kind: str = "voila"

    def publish(self, app: DashboardApp, *, commit: str) -> Published:
        """Copy the notebook (with its folder's files when it has a folder) into the site whole."""
        if app.kind != "voila":
            raise InvalidInput(f"Voilà shows notebooks; {app.name!r} is a {app.kind} app.")
        return self._published(publish_to_site(self.site_dir, app, commit=commit))

    def published(self) -> list[Published]:
        """The notebooks the site folder serves now."""
        return [self._published(e) for e in read_site(self.site_dir) if e.kind == "voila"]

    def _published(self, entry: SiteEntry) -> Published:
        notebook = next(iter(sorted(entry.folder.glob("*.ipynb"))), None)
        page = notebook.name if notebook is not None else f"{entry.name}.ipynb"
        url = f"{_base(self.url)}voila/render/{entry.name}/{page}"
        return Published(entry.name, entry.kind, self.kind, url, entry.commit, entry.published_at)
