"""The one GitLab client (REST API v4) of the product: promotions and pipelines both go through it.

Calls are written once as generators of request descriptions (`calls`; CI in `pipelines`,
branches, files and commits in `repository`, merge requests in `merge_requests`). `client.GitLab`
runs them blocking, `client.AsyncGitLab` awaiting; `exchange` holds the one retry loop and
`errors` the one mapping of GitLab's refusals to `dataops.errors`, every sentence redacted.
"""
