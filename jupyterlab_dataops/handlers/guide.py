"""The Launcher's examples and templates, under ``dataops/api/guide/`` (the files to create; the
front end creates them in the user's folder with the contents API)."""

from __future__ import annotations

from tornado import web

from jupyterlab_dataops import guide
from jupyterlab_dataops.handlers.base import DataOpsHandler


class CatalogueHandler(DataOpsHandler):
    """``GET guide``: the examples and templates with their titles and descriptions."""

    @web.authenticated
    def get(self) -> None:
        """List them."""
        self.write_json(guide.catalogue())


class ExampleHandler(DataOpsHandler):
    """``GET guide/examples/{name}``: the example notebook as a file to create."""

    @web.authenticated
    def get(self, name: str) -> None:
        """The example's file."""
        self.write_json({"files": guide.example_files(name)})


class TemplateHandler(DataOpsHandler):
    """``GET guide/templates/{name}?key=...``: the files a template creates."""

    @web.authenticated
    def get(self, name: str) -> None:
        """The template's files (``key`` names a new process)."""
        self.write_json({"files": guide.template_files(name, self.get_query_argument("key", ""))})


ROUTES = [
    (r"guide", CatalogueHandler),
    (r"guide/examples/(?P<name>[^/]+)", ExampleHandler),
    (r"guide/templates/(?P<name>[^/]+)", TemplateHandler),
]
