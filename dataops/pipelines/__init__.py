"""Pipelines: notebooks as regression tests (`dataops run`), the deployment repository's GitLab CI,
and its pipelines and live job logs (``dataops.list_pipelines(env=...)``, ``dataops.pipeline(id)``).
"""
