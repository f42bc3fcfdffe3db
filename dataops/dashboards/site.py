"""A folder a dashboard server serves, with each app replaced whole on publication.

Each app's files live in a version folder ``.versions/<name>-<random>`` beside a symbolic link
``<name>`` pointing at it; publishing builds the new version folder, then swaps the link with one
rename (atomic on POSIX), so a server sees the old version or the new one, never half a copy. A
manifest in the version folder records the commit and when it was published; `read_site` reads the
links back, so what is listed is what is served.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dataops.dashboards.models import AppKind, DashboardApp
from dataops.errors import DataOpsError

MANIFEST = ".dataops-dashboard.json"
VERSIONS = ".versions"


@dataclass(frozen=True)
class SiteEntry:
    """One app a site folder serves: its name, kind, commit, publication time and folder."""

    name: str
    kind: AppKind
    commit: str
    published_at: datetime
    folder: Path


def publish_to_site(
    site_dir: Path, app: DashboardApp, *, commit: str, files: Path | None = None
) -> SiteEntry:
    """Copy ``app`` (its folder, or ``files`` when given: a folder holding what to serve) into
    ``site_dir/<name>`` whole, replacing its previous version; nothing changes when the copy fails."""
    versions = site_dir / VERSIONS
    link = site_dir / app.name
    previous = link.resolve() if link.is_symlink() else None
    if link.exists() and previous is None:
        raise DataOpsError(f"{link} is not a dashboard this site published: move it away first.")
    build: Path | None = None
    try:
        versions.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix=f"{app.name}-", dir=versions))
        source = files if files is not None else app.path
        if source.is_file():
            shutil.copy2(source, build / source.name)
        else:
            shutil.copytree(source, build, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
        published_at = datetime.now(UTC)
        manifest = {
            "name": app.name,
            "kind": app.kind,
            "commit": commit,
            "published_at": published_at.isoformat(),
        }
        (build / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        # Shiny Server restarts an app whose restart.txt is newer than its running process.
        (build / "restart.txt").write_text(published_at.isoformat(), encoding="utf-8")
        build.chmod(0o755)
        staged = site_dir / f".{app.name}.link-{build.name}"
        staged.symlink_to(Path(VERSIONS) / build.name)
        os.replace(staged, link)
    except OSError as exc:
        if build is not None:
            shutil.rmtree(build, ignore_errors=True)
        raise DataOpsError(
            f"Could not publish dashboard {app.name!r} to {site_dir}: {exc.strerror or exc}."
        ) from exc
    if previous is not None and previous.parent == versions.resolve():
        shutil.rmtree(previous, ignore_errors=True)
    return SiteEntry(app.name, app.kind, commit, published_at, build)


def read_site(site_dir: Path) -> list[SiteEntry]:
    """The apps ``site_dir`` serves now (its links and their manifests), sorted by name."""
    if not site_dir.is_dir():
        return []
    found = []
    for link in sorted(site_dir.iterdir()):
        manifest = link / MANIFEST
        if link.name.startswith(".") or not link.is_symlink() or not manifest.is_file():
            continue
        data = json.loads(manifest.read_text(encoding="utf-8"))
        found.append(
            SiteEntry(
                name=data["name"],
                kind=data["kind"],
                commit=data["commit"],
                published_at=datetime.fromisoformat(data["published_at"]),
                folder=link.resolve(),
            )
        )
    return found
