"""Mutation testing of the modules that keep users safe, one bounded mutmut run per module group.

Each group mutates only its own modules and runs only the tests that exercise them, so a run
stays bounded (mutmut maps each function to the tests that reach it and runs only those for its
mutants). Every group works in its own folder under ``build/mutation/<group>/`` (a copy of the
sources, the ``setup.cfg`` with the group's mutmut settings, ``shared`` beside the copy as the
tests expect), so groups never share mutmut's state and the repository itself is never rewritten;
each run starts afresh.

    python scripts/mutation.py [GROUP ...] [--jobs N]     # no GROUP: every group

Prints, per group, killed / survived / other (timeout, suspicious, no tests) and the seconds taken;
``mutmut results`` / ``mutmut show NAME`` inside the group's folder list and show the survivors.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "build" / "mutation"
COPIED = ("dataops", "jupyterlab_dataops", "tests", "processes", "docs", "pyproject.toml")

# group: (modules to mutate, the tests that exercise them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "promotion": (
        [
            "dataops/promotion/secrets.py",
            "dataops/promotion/plan.py",
            "dataops/promotion/submit.py",
            "dataops/promotion/targets/*.py",
        ],
        ["tests/promotion", "tests/server/test_promotion_api.py", "tests/server/test_promotion_rights.py"],
    ),
    # Who may do what: the allow lists, the administrator's policy keys, the server's handlers that
    # check rights before acting, the hub service's desk and credentials, the workflow rights.
    "rights": (
        [
            "dataops/promotion/access.py",
            "dataops/workflows/access.py",
            "dataops/policy.py",
            "dataops/service/policy.py",
            "dataops/service/desk.py",
            "jupyterlab_dataops/handlers/promotion.py",
            "jupyterlab_dataops/handlers/pipelines.py",
        ],
        [
            "tests/workflows/test_access.py",
            "tests/test_config.py",
            "tests/service",
            "tests/server/test_promotion_rights.py",
            "tests/server/test_promotion_api.py",
            "tests/server/test_promotion_history_api.py",
            "tests/pipelines/test_handlers.py",
        ],
    ),
    "xml_safety": (
        ["dataops/sdmx/xml_safety.py"],
        ["tests/sdmx/test_xml_safety.py", "tests/sdmx/readers/test_bad_input.py"],
    ),
    "query": (["dataops/sdmx/query.py"], ["tests/sdmx/test_query.py", "tests/sdmx/test_query_filters.py"]),
    "periods": (["dataops/sdmx/periods.py"], ["tests/sdmx/test_periods.py"]),
    "logs": (
        ["dataops/workflows/logs.py"],
        ["tests/workflows/test_logs.py", "tests/workflows/test_retention.py"],
    ),
    "watch": (["dataops/workflows/watch.py"], ["tests/workflows/test_watch.py"]),
}


def prepare(group: str) -> Path:
    """The group's folder: fresh sources, its mutmut settings, ``shared`` beside it."""
    modules, tests = GROUPS[group]
    folder = WORK / group
    folder.mkdir(parents=True, exist_ok=True)
    # A fresh start: mutmut keeps a mutant's result while the mutated code is unchanged, even when
    # the tests that killed or missed it have changed since.
    shutil.rmtree(folder / "mutants", ignore_errors=True)
    for name in COPIED:
        source, copy = REPO / name, folder / name
        if copy.is_dir():
            shutil.rmtree(copy)
        if source.is_dir():
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy)
    for module in modules:
        for path in folder.glob(module):
            authenticate_after_class(path)
    # mutmut copies its source paths into mutants/ and mutates the matching modules there; the other
    # folders the tests import are copied beside them unchanged.
    packages = sorted({module.split("/")[0] + "/" for module in modules})
    others = [
        f"{name}/"
        for name in ("dataops", "jupyterlab_dataops", "processes", "docs")
        if f"{name}/" not in packages
    ]
    cfg = configparser.ConfigParser()
    cfg["mutmut"] = {
        "source_paths": "\n" + "\n".join(packages),
        "only_mutate": "\n" + "\n".join(modules),
        "also_copy": "\n" + "\n".join(others),
        "pytest_add_cli_args_test_selection": "\n" + "\n".join(tests),
    }
    with (folder / "setup.cfg").open("w") as fh:
        cfg.write(fh)
    # tests/conftest.py finds the shared test data beside the repository: beside mutants/ here.
    link = folder / "shared"
    if not link.exists():
        link.symlink_to((REPO.parent / "shared").resolve())
    return folder


def authenticate_after_class(path: Path) -> None:
    """Rewrite the copy at ``path`` so that mutmut mutates tornado's ``@web.authenticated`` verbs.

    mutmut leaves every decorated function alone, and a handler's verbs (where it checks rights)
    are all decorated. In the copy, each verb is wrapped after its class instead: the same
    authentication at run time, with a plain function for mutmut to mutate.
    """
    text = path.read_text()
    tree = ast.parse(text)
    wrapped: list[tuple[str, str]] = []
    drop: set[int] = set()
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        for node in cls.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if ast.unparse(decorator) == "web.authenticated" and len(node.decorator_list) == 1:
                    wrapped.append((cls.name, node.name))
                    drop.add(decorator.lineno)
    if not wrapped:
        return
    lines = [line for number, line in enumerate(text.splitlines(), start=1) if number not in drop]
    lines.append("")
    lines += [f"{cls}.{verb} = web.authenticated({cls}.{verb})" for cls, verb in wrapped]
    path.write_text("\n".join(lines) + "\n")


def run(group: str, jobs: int) -> Counter:
    """Run mutmut over ``group``; the count of mutants per outcome."""
    folder = prepare(group)
    t0 = time.monotonic()
    # Its console script, not ``-m mutmut``: that imports mutmut.__main__ twice (as __main__ and
    # from the mutants), and setting multiprocessing's start method on import fails the second time.
    mutmut = [sys.executable, "-c", "from mutmut.__main__ import cli; cli()"]
    subprocess.run([*mutmut, "run", "--max-children", str(jobs)], cwd=folder, check=False)
    listing = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=folder, capture_output=True, text=True, check=False
    ).stdout
    outcomes = Counter(line.rpartition(": ")[2].strip() for line in listing.splitlines() if ": " in line)
    seconds = time.monotonic() - t0
    killed, survived = outcomes["killed"], outcomes["survived"]
    other = sum(outcomes.values()) - killed - survived
    score = killed / (killed + survived) if killed + survived else 0.0
    print(
        f"{group}: {killed} killed, {survived} survived, {other} other ({dict(outcomes)}); "
        f"{score:.0%} of the decided mutants killed; {seconds:.0f} s"
    )
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"one of {', '.join(GROUPS)}")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    args = parser.parse_args()
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown:
        parser.error(f"no group {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")
    for group in args.groups or list(GROUPS):
        run(group, args.jobs)


if __name__ == "__main__":
    main()
