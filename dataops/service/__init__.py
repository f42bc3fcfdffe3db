"""The DataOps hub service: the process that decides rights when JupyterLab runs under JupyterHub.

It runs as a JupyterHub-managed service under its own Unix account, so code running as a hub user
(a kernel, a single-user server) can neither read what it holds nor change what it decides. Who is
calling, and in which groups, it learns from the hub alone: the caller's hub token is checked
against the hub's API, and nothing the caller sends about itself is believed.

``settings``, ``hub`` and ``client`` (the single-user side's way to the service) need only the
standard library and httpx; ``policy`` (the service's configuration and credentials) and ``desk``
(promotion and pipeline actions decided from the hub's caller) are tornado-free; ``app`` and
``routes`` are the tornado server and import jupyterhub, so kernels never import them.
"""
