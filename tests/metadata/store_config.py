"""A dataops configuration whose store sources take their structures from metadata registries."""

from __future__ import annotations

from pathlib import Path


def store_sources(config: Path, tmp: Path, sources: dict[str, tuple[Path, str]]) -> None:
    """Write ``config``: a store on SQLite in ``tmp`` and one store source per id, each with its
    metadata (a checkout, or a repository and the revision to read it at)."""
    lines = [
        "[store]",
        f'uri = "sqlite:///{tmp / "catalog.db"}"',
        f'warehouse = "{tmp / "warehouse"}"',
        "buckets = 2",
        "[data]",
        "presets = false",
    ]
    for source_id, (metadata, revision) in sources.items():
        lines += [
            "[[sources]]",
            f'id = "{source_id}"',
            f'name = "Series store {source_id}"',
            'api = "store"',
            f'metadata = "{metadata}"',
        ]
        if revision:
            lines.append(f'metadata_revision = "{revision}"')
    config.write_text("\n".join(lines) + "\n")
