"""``dataops run``, ``dataops init-ci`` and ``dataops publish-processes``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dataops.errors import InvalidInput, NotConfigured

if TYPE_CHECKING:
    from dataops.pipelines.runner import NotebookResult

# Kept in step with dataops.pipelines.runner.EXIT_* (papermill is imported only when a run starts).
RUN_EPILOG = """exit codes: 0 all notebooks passed in time; 3 a notebook failed;
4 a notebook timed out (and none failed); 5 all passed but one became slower
than the baseline allows; 1 bad input (a missing file, a malformed parameter); 2 bad usage."""

# What the `run` extra of the dataops distribution adds (python/dataops/pyproject.toml).
RUN_EXTRA_MODULES = ("papermill", "nbclient", "jupyter_client")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the pipeline sub-commands to the ``dataops`` parser."""
    run = sub.add_parser(
        "run",
        help="run notebooks in order as regression tests",
        description="Execute notebooks in order (papermill's 'parameters' cell convention), write the "
        "executed notebooks, a JUnit report and per-notebook wall times.",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("notebooks", nargs="*", help="notebooks to run, in this order")
    run.add_argument("--list", type=Path, help="file naming notebooks (or globs), one per line")
    run.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter for every notebook (repeatable; wins over -f)",
    )
    run.add_argument("-f", "--parameters-file", type=Path, help="YAML file of parameters")
    run.add_argument(
        "--output-dir",
        type=Path,
        default=Path("executed"),
        help="where executed notebooks are written (default: executed/)",
    )
    run.add_argument("--junit", type=Path, help="write a JUnit XML report here")
    run.add_argument(
        "--timings", type=Path, help="write per-notebook wall times here (default: OUTPUT_DIR/timings.json)"
    )
    run.add_argument("--timeout", type=float, help="seconds each notebook may run in total")
    run.add_argument("--keep-going", action="store_true", help="run the remaining notebooks after a failure")
    run.add_argument("--baseline", type=Path, help="timings file of an earlier run to compare against")
    run.add_argument("--tolerance", default="20%", help="how much slower than the baseline is allowed (20%%)")
    run.add_argument("--kernel", help="kernel to use instead of each notebook's own")
    run.add_argument("--quiet", action="store_true", help="do not echo what the notebooks print")
    run.set_defaults(func=run_command)

    from dataops.pipelines import ci, publish

    ci.register(sub)
    publish.register(sub)


def run_command(args: argparse.Namespace) -> int:
    """Run the notebooks, write the reports, print the table; returns the exit code."""
    try:
        from dataops.pipelines.junit import write_junit
        from dataops.pipelines.runner import run_notebooks
        from dataops.pipelines.timings import (
            compare,
            load_baseline,
            parse_tolerance,
            timing_table,
            write_timings,
        )
    except ModuleNotFoundError as exc:
        # Kernels and workers install dataops without the notebook executor; say how to add it.
        if (exc.name or "").partition(".")[0] not in RUN_EXTRA_MODULES:
            raise
        raise NotConfigured(
            f"`dataops run` needs {exc.name}, which this installation lacks: "
            "pip install 'dataops-core[run]' adds it and the Python kernel."
        ) from exc
    from dataops.pipelines.params import load_parameter_file, parse_assignments, read_notebook_list

    notebooks = list(args.notebooks)
    if args.list:
        notebooks += [nb for nb in read_notebook_list(args.list) if nb not in notebooks]
    if not notebooks:
        raise InvalidInput("Name at least one notebook to run, or a --list file naming them.")
    params = load_parameter_file(args.parameters_file) if args.parameters_file else {}
    params.update(parse_assignments(args.parameter))
    tolerance = parse_tolerance(args.tolerance)
    baseline = load_baseline(args.baseline) if args.baseline else None

    print(f"dataops run: {len(notebooks)} notebook(s), executed copies in {args.output_dir}/", flush=True)
    report = run_notebooks(
        notebooks,
        output_dir=args.output_dir,
        parameters=params,
        timeout=args.timeout,
        keep_going=args.keep_going,
        kernel_name=args.kernel,
        stream=None if args.quiet else sys.stdout,
        on_result=_print_result,
    )
    if baseline is not None:
        compare(report, baseline, tolerance)
    write_timings(report, args.timings or args.output_dir / "timings.json")
    if args.junit:
        write_junit(report, args.junit)
    print("\n" + timing_table(report))
    counts = {
        s: sum(1 for r in report.results if r.status == s)
        for s in dict.fromkeys(r.status for r in report.results)
    }
    slower = sum(1 for r in report.results if r.regressed)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    if slower:
        summary += f", {slower} slower than the baseline allows (+{tolerance:.0%})"
    print(f"\n{len(report.results)} notebook(s): {summary}", flush=True)
    return report.exit_code


def _print_result(result: NotebookResult) -> None:
    print(f"{result.status.upper():8} {result.notebook}  ({result.seconds:.2f} s)", flush=True)
    if result.status != "passed" and result.error:
        where = f" in cell {result.cell}" if result.cell else ""
        print(f"         {result.error}{where}", flush=True)
