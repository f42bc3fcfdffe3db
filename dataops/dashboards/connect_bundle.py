"""The bundle Posit Connect deploys for a Shiny app folder, made with rsconnect-python.

rsconnect-python is an optional dependency (``pip install rsconnect-python``, or the
``dataops-core[connect]`` extra): `rsconnect` imports it on first use and says how to install it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import IO

from dataops.dashboards.models import DashboardApp
from dataops.errors import InvalidInput, NotConfigured

# What an app folder may hold that is no part of the app (the checkout's and R's own files).
_NOT_SHIPPED = {".git", ".Rproj.user", ".Rhistory", ".RData", "rsconnect", "rsconnect-python", "__pycache__"}


def rsconnect(module: str) -> ModuleType:
    """``rsconnect.<module>``, or a `NotConfigured` sentence naming the package to install."""
    import importlib

    try:
        return importlib.import_module(f"rsconnect.{module}")
    except ImportError:
        raise NotConfigured(
            "Publishing to Posit Connect needs its client: pip install rsconnect-python "
            "(or pip install 'dataops-core[connect]')."
        ) from None


def shiny_bundle(app: DashboardApp) -> IO[bytes]:
    """A gzip compressed tar of ``app``'s folder with a ``manifest.json`` of app mode ``shiny``.

    A ``manifest.json`` in the folder (as ``rsconnect::writeManifest()`` writes it, with the R
    packages Connect restores) is used as it is; without one, rsconnect-python writes a manifest
    listing the folder's files, with R packages from ``renv.lock`` when the folder has one.
    """
    folder = app.path
    if not (
        (folder / "app.R").is_file() or ((folder / "ui.R").is_file() and (folder / "server.R").is_file())
    ):
        raise InvalidInput(f"{folder} is not a Shiny app: it needs app.R, or ui.R and server.R.")
    bundle = rsconnect("bundle")
    if (folder / "manifest.json").is_file():
        return _from_manifest(bundle, folder / "manifest.json")
    with tempfile.TemporaryDirectory(prefix="dataops-connect-") as tmp:
        copy = Path(tmp) / app.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(*_NOT_SHIPPED))
        manifest = bundle.make_source_manifest(
            rsconnect("models").AppModes.SHINY,
            entrypoint="app.R" if (copy / "app.R").is_file() else "server.R",
            r_environment=_r_environment(copy),
        )
        for path in sorted(p for p in copy.rglob("*") if p.is_file()):
            bundle.manifest_add_file(manifest, path.relative_to(copy).as_posix(), str(copy))
        (copy / "manifest.json").write_text(json.dumps(manifest, indent=2))
        return _from_manifest(bundle, copy / "manifest.json")


def _from_manifest(bundle: ModuleType, manifest: Path) -> IO[bytes]:
    try:
        return bundle.make_manifest_bundle(str(manifest))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"Cannot bundle {manifest.parent} for Posit Connect: {exc}") from exc


def _r_environment(folder: Path) -> object | None:
    if not (folder / "renv.lock").is_file():
        return None
    exception = rsconnect("exception")
    try:
        return rsconnect("environment_r").REnvironment.create(str(folder))
    except exception.RSConnectException as exc:
        raise InvalidInput(f"{folder / 'renv.lock'} cannot be read: {exc.message}") from exc
