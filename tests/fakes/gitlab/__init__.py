"""A stateful GitLab REST v4 fake, backed by real git repositories and held to GitLab's OpenAPI subset.

Layout: ``state.py`` (users, projects, faults, the request log), ``spec.py`` (the OpenAPI checks and
the README's documented differences), ``routing.py`` (``@route`` for resource modules),
``server.py`` (HTTP, auth, fault injection, dispatch), one module per resource group
(``projects.py``, ``repository.py``, ``protected_branches.py``, ``merge_requests.py``) and
``fixtures.py`` (pytest fixtures). Add a resource group as a new module using ``@route``; the server
imports every module of this package.
"""
