"""``dataops metadata check|diff|import``: the registry's rules from a shell or a pipeline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dataops.metadata.check import check
from dataops.metadata.registry import Registry, read_artefact_file
from dataops.metadata.save import import_message
from dataops.metadata.versioning import diff

CHECK_EPILOG = """exit codes: 0 every rule holds; 1 a rule is broken (each broken rule is printed as a
sentence naming file, artefact and rule); 2 bad usage."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``dataops metadata`` and its sub-commands."""
    p = sub.add_parser("metadata", help="check, compare and import SDMX metadata and process configurations")
    inner = p.add_subparsers(dest="metadata_command", required=True)
    c = inner.add_parser(
        "check",
        help="validate metadata/ and processes/: schemas, references, versioning",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument(
        "path", nargs="?", type=Path, default=Path("."), help="the folder holding metadata/ (default: here)"
    )
    c.add_argument(
        "--base",
        metavar="REVISION",
        help="a git revision of the same repository (e.g. origin/deploy/prod) whose released versions must not change",
    )
    c.set_defaults(func=_check)
    d = inner.add_parser(
        "diff", help="what changed between two artefact files and which version bump it needs"
    )
    d.add_argument("old", type=Path)
    d.add_argument("new", type=Path)
    d.set_defaults(func=_diff)
    i = inner.add_parser("import", help="split an SDMX-ML 2.1/3.0 structure message into metadata/ files")
    i.add_argument("message", type=Path)
    i.add_argument("--dir", type=Path, default=Path("."), help="the folder holding metadata/ (default: here)")
    i.set_defaults(func=_import)


def _check(args: argparse.Namespace) -> int:
    registry = Registry.open(args.path)
    base = Registry.at_revision(args.path, args.base) if args.base else None
    problems = check(registry, base)
    for problem in problems:
        print(problem.sentence, file=sys.stderr)
    count = len(registry.by_ref)
    if problems:
        print(
            f"dataops metadata check: {len(problems)} broken rule(s) in {args.path.resolve()}.",
            file=sys.stderr,
        )
        return 1
    print(f"dataops metadata check: {count} artefact version(s) in {args.path.resolve()}, every rule holds.")
    return 0


def _diff(args: argparse.Namespace) -> int:
    old = read_artefact_file(args.old.read_bytes(), str(args.old))
    new = read_artefact_file(args.new.read_bytes(), str(args.new))
    d = diff(old, new)
    for change in d.changes:
        print(f"{change.bump.word:>5}  {change.what}")
    print(
        f"{old.ref} → {new.version}: the change needs a {d.required.word} bump; the versions make a {d.given.word} one."
    )
    problem = d.problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


def _import(args: argparse.Namespace) -> int:
    for path in import_message(args.dir, args.message):
        print(f"wrote {path}")
    return 0
