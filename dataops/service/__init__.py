"""The DataOps hub service: the process that decides rights when JupyterLab runs under JupyterHub.

It runs as a JupyterHub-managed service under its own Unix account, so code running as a hub user
(a kernel, a single-user server) can neither read what it holds nor change what it decides. Who is
calling, and in which groups, it learns from the hub alone: the caller's hub token is checked
against the hub's API, and nothing the caller sends about itself is believed.

``settings`` and ``hub`` need only the standard library and httpx; ``app`` is the tornado server
and imports jupyterhub, so kernels never import it.
"""
