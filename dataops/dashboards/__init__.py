"""Dashboards: apps of a deployment repository's ``dashboards/`` folder, published per environment."""
