"""SDMX data capability: sources, structures and data as pandas/Arrow."""
