"""The series store: versioned SDMX dataflows written and read back, one Apache Iceberg table each.

Every write is an atomic Iceberg commit (a *vintage*), so a release can be read again as it was,
compared with another, and each figure's revisions traced. Tables live in a catalog configured by
the ``[store]`` section (`dataops.store.config`); outside engines that read Iceberg (DuckDB,
Trino, Spark) read the same tables. No Jupyter imports: the kernel, the CLI and the server share it.
"""
