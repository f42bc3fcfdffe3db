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
import random
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
            "tests/server/test_promotion_identity.py",
            "tests/pipelines/test_handlers.py",
        ],
    ),
    "xml_safety": (
        ["dataops/sdmx/xml_safety.py"],
        ["tests/sdmx/test_xml_safety.py", "tests/sdmx/readers/test_bad_input.py"],
    ),
    "query": (
        ["dataops/sdmx/query.py", "dataops/sdmx/rest/key_filters.py"],
        [
            "tests/sdmx/test_query.py",
            "tests/sdmx/test_query_filters.py",
            "tests/sdmx/rest/test_key_filters.py",
        ],
    ),
    "periods": (["dataops/sdmx/periods.py"], ["tests/sdmx/test_periods.py"]),
    "logs": (
        ["dataops/workflows/logs.py", "dataops/workflows/logs_pg.py"],
        [
            "tests/workflows/test_logs.py",
            "tests/workflows/test_retention.py",
            "tests/workflows/test_logs_pg.py",
            # needs the engine (a minute to start here, for every mutant it reaches); mutates nothing else
            "--deselect=tests/workflows/test_retention.py::test_the_engine_decides_for_runs_whose_end_the_store_does_not_know",
        ],
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
        # Fork each mutant's run from a process that has only collected the tests: the default
        # forks from the process that ran them, whose leftover threads (pyarrow's pool, the tests'
        # HTTP servers) can hold a lock at the fork, and the child then hangs until its timeout.
        "process_isolation": "forkserver",
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


def results(mutmut: list[str], folder: Path) -> dict[str, str]:
    """Every mutant of the group's folder and its outcome (``not checked`` until run)."""
    listing = subprocess.run(
        [*mutmut, "results", "--all", "true"], cwd=folder, capture_output=True, text=True, check=False
    ).stdout
    pairs = (line.strip().rpartition(": ") for line in listing.splitlines() if ": " in line)
    return {name: outcome for name, _, outcome in pairs}


def module_of(mutant: str) -> str:
    """``dataops.promotion.plan`` for ``dataops.promotion.plan.x_build_plan__mutmut_3``."""
    return mutant.rsplit(".", 1)[0]


def sampled(names: list[str], size: int) -> list[str]:
    """At most ``size`` mutants of each module, drawn at random (the same draw every run)."""
    by_module: dict[str, list[str]] = {}
    for name in sorted(names):
        by_module.setdefault(module_of(name), []).append(name)
    draw = random.Random(0)  # noqa: S311 (a reproducible draw, not a secret)
    return [
        n
        for _, group in sorted(by_module.items())
        for n in (group if len(group) <= size else draw.sample(group, size))
    ]


def run(group: str, jobs: int, sample: int | None = None) -> Counter:
    """Run mutmut over ``group`` (a random ``sample`` of each module's mutants when given); the count
    of mutants per outcome, printed per module."""
    folder = prepare(group)
    t0 = time.monotonic()
    # Its console script, not ``-m mutmut``: that imports mutmut.__main__ twice (as __main__ and
    # from the mutants), and setting multiprocessing's start method on import fails the second time.
    mutmut = [sys.executable, "-c", "from mutmut.__main__ import cli; cli()"]
    chosen: list[str] = []
    if sample:
        # A run for a name no mutant has generates the mutants and maps tests to functions, then stops.
        subprocess.run(
            [*mutmut, "run", "--max-children", str(jobs), "no-such-mutant"], cwd=folder, check=False
        )
        chosen = sampled(list(results(mutmut, folder)), sample)
    subprocess.run([*mutmut, "run", "--max-children", str(jobs), *chosen], cwd=folder, check=False)
    seconds = time.monotonic() - t0
    outcomes = results(mutmut, folder)
    if chosen:
        outcomes = {name: outcomes[name] for name in chosen}
    per_module: dict[str, Counter] = {}
    for name, outcome in outcomes.items():
        per_module.setdefault(module_of(name), Counter())[outcome] += 1
    total = Counter(outcomes.values())
    for module, counts in sorted(per_module.items()):
        print(f"  {module}: {dict(counts)}")
    killed, survived = total["killed"], total["survived"]
    other = sum(total.values()) - killed - survived
    score = killed / (killed + survived) if killed + survived else 0.0
    print(
        f"{group}: {killed} killed, {survived} survived, {other} other ({dict(total)}); "
        f"{score:.0%} of the decided mutants killed; {seconds:.0f} s"
    )
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"one of {', '.join(GROUPS)}")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    parser.add_argument(
        "--sample", type=int, help="at most this many mutants of each module, drawn at random"
    )
    args = parser.parse_args()
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown:
        parser.error(f"no group {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")
    for group in args.groups or list(GROUPS):
        run(group, args.jobs, args.sample)


if __name__ == "__main__":
    main()
