"""The ``dataops`` command line: one sub-command module per capability."""

from __future__ import annotations

import argparse
import importlib
import sys

from dataops.errors import DataOpsError

COMMAND_MODULES: list[str] = [
    "dataops.dashboards.publish",
    "dataops.metadata.cli",
    "dataops.pipelines.cli",
    "dataops.promotion.cli",
    "dataops.service.cli",
    "dataops.store.cli",
    "dataops.workflows.cli",
]


def build_parser() -> argparse.ArgumentParser:
    """The parser with every capability's sub-commands registered."""
    parser = argparse.ArgumentParser(prog="dataops", description="Statistical data production from Python.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; errors print their sentence and exit with status 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from dataops import __version__

        print(__version__)
        return 0
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except DataOpsError as exc:
        print(f"dataops: {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
