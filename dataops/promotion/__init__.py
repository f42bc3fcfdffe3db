"""Promotion capability: notebooks and steps to deployment branches, pipelines as regression tests."""
