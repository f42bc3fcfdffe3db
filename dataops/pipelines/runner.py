"""Execute notebooks in order as regression tests (papermill's ``parameters`` cell convention)."""

from __future__ import annotations

import re
import time
import traceback as tb
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import nbformat
import papermill
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, NoSuchKernel
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError

from dataops.errors import InvalidInput, NotFound

PASSED, FAILED, TIMEOUT, SKIPPED = "passed", "failed", "timeout", "skipped"

# Exit codes of `dataops run`, worst first (documented in docs/pipelines.md).
EXIT_OK = 0
EXIT_FAILED = 3
EXIT_TIMEOUT = 4
EXIT_REGRESSION = 5

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class NotebookResult:
    """How one notebook went: status, wall time and, when it failed, where and why."""

    notebook: str
    output: str
    status: str
    seconds: float = 0.0
    cell: int | None = None  # 1-based position in the notebook as written (injected cells not counted)
    execution_count: int | None = None
    source: str = ""
    error: str = ""
    traceback: str = ""
    baseline_seconds: float | None = None
    regressed: bool = False

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON-ready dict."""
        return asdict(self)


@dataclass
class RunReport:
    """Every notebook's result, in the order they were given."""

    results: list[NotebookResult] = field(default_factory=list)
    tolerance: float | None = None

    @property
    def exit_code(self) -> int:
        """0 when all passed in time; else failure (3) before timeout (4) before regression (5)."""
        statuses = {r.status for r in self.results}
        if FAILED in statuses:
            return EXIT_FAILED
        if TIMEOUT in statuses:
            return EXIT_TIMEOUT
        if any(r.regressed for r in self.results):
            return EXIT_REGRESSION
        return EXIT_OK

    def timings(self) -> dict[str, float]:
        """Wall seconds of each notebook that ran to the end (the format ``--baseline`` reads)."""
        return {r.notebook: round(r.seconds, 3) for r in self.results if r.status == PASSED}


def output_paths(notebooks: list[str], output_dir: Path) -> list[Path]:
    """Where each executed notebook is written: its relative path under ``output_dir``.

    Absolute paths and paths leaving the current folder keep only their file name; two notebooks
    that would land on the same file are refused rather than overwriting one another.
    """
    outs: list[Path] = []
    for nb in notebooks:
        rel = Path(nb)
        if rel.is_absolute() or ".." in rel.parts:
            rel = Path(rel.name)
        out = output_dir / rel
        if out in outs:
            raise InvalidInput(
                f"Two notebooks would both be written to {out}; rename one or run them separately."
            )
        outs.append(out)
    return outs


def run_notebooks(
    notebooks: list[str],
    *,
    output_dir: Path,
    parameters: dict[str, Any] | None = None,
    timeout: float | None = None,
    keep_going: bool = False,
    kernel_name: str | None = None,
    stream: TextIO | None = None,
    on_result: Callable[[NotebookResult], None] | None = None,
) -> RunReport:
    """Run each notebook in order in its own folder, writing the executed copy under ``output_dir``.

    ``timeout`` bounds each notebook's whole execution in seconds. After a failure or a timeout the
    remaining notebooks are skipped unless ``keep_going``. ``stream`` receives the notebooks'
    printed output as it happens (CI logs), ``on_result`` each result as soon as it is known.
    """
    for nb in notebooks:
        if not Path(nb).is_file():
            raise NotFound(f"The notebook {nb} does not exist.")
        if not nb.endswith(".ipynb"):
            raise InvalidInput(f"{nb} is not a notebook (.ipynb); pair .py files with jupytext first.")
    if timeout is not None and timeout <= 0:
        raise InvalidInput("The timeout must be a positive number of seconds.")
    report = RunReport()
    stop = False
    for nb, out in zip(notebooks, output_paths(notebooks, output_dir), strict=True):
        if stop:
            result = NotebookResult(nb, str(out), SKIPPED, error="not run: an earlier notebook did not pass")
        else:
            result = run_notebook(Path(nb), out, parameters or {}, timeout, kernel_name, stream)
            result.notebook = nb
            stop = result.status != PASSED and not keep_going
        report.results.append(result)
        if on_result:
            on_result(result)
    return report


def run_notebook(
    path: Path,
    output: Path,
    parameters: dict[str, Any],
    timeout: float | None,
    kernel_name: str | None,
    stream: TextIO | None = None,
) -> NotebookResult:
    """Execute one notebook with papermill; never raises for what happens in or to the notebook.

    A notebook without kernel metadata (made by nbformat, jupytext or another tool) runs in the default
    Python kernel unless ``kernel_name`` names another. Anything unexpected becomes this notebook's
    failure, with its reason, so the other notebooks and the report are not lost.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    extra: dict[str, Any] = {}
    if timeout:
        deadline = start + timeout
        # nbclient asks for each cell's timeout when the cell starts: giving it the time left
        # turns a per-cell limit into a limit on the whole notebook.
        extra["timeout_func"] = lambda cell: max(0.05, deadline - time.monotonic())
    result = NotebookResult(str(path), str(output), PASSED)
    try:
        kernel_name = kernel_name or _declared_kernel(path) or NATIVE_KERNEL_NAME
        papermill.execute_notebook(
            str(path),
            str(output),
            parameters=parameters,
            kernel_name=kernel_name,
            cwd=str(path.parent.resolve()),
            progress_bar=False,
            stdout_file=stream,
            stderr_file=stream,
            **extra,
        )
    except PapermillExecutionError as exc:
        result.status = FAILED
        _locate(result, output, exc.cell_index)
        result.execution_count = exc.exec_count
        result.source = exc.source
        result.error = _error_line(exc.ename, exc.evalue)
        result.traceback = _plain("\n".join(exc.traceback))
    except CellTimeoutError as exc:
        result.status = TIMEOUT
        result.error = f"The notebook did not finish within {timeout:g} s."
        result.traceback = _plain(str(exc))
        _locate_running_cell(result, output)
    except DeadKernelError as exc:
        result.status = FAILED
        result.error = f"The kernel died while running the notebook: {exc}"
        _locate_running_cell(result, output)
    except NoSuchKernel as exc:
        result.status = FAILED
        result.error = (
            f"{path} asks for the kernel {exc.name!r}, which is not installed here; "
            "install it or pass --kernel with one that is (jupyter kernelspec list)."
        )
    except Exception as exc:  # noqa: BLE001 - one notebook's trouble must not cost the others or the report
        result.status = FAILED
        result.error = f"The notebook could not be run: {type(exc).__name__}: {exc}"
        result.traceback = _plain("".join(tb.format_exception(exc)))
    result.seconds = time.monotonic() - start
    return result


def _declared_kernel(path: Path) -> str | None:
    """The kernel the notebook's metadata names, if any."""
    spec = nbformat.read(path, as_version=4).get("metadata", {}).get("kernelspec") or {}
    return spec.get("name") or None


# IRkernel evaluates each cell through eval(): every R error names that call instead of the user's.
_R_EVAL_CALL = re.compile(r"^Error in eval\(expr, envir, enclos\): ")


def _error_line(ename: str, evalue: str) -> str:
    """The error in one line: ``Type: message`` from Python; from R (IRkernel names every error
    ``ERROR``) R's own ``Error: message`` line."""
    if ename == "ERROR":
        return _R_EVAL_CALL.sub("Error: ", evalue.strip(), count=1)
    return f"{ename}: {evalue}"


def _plain(text: str) -> str:
    return _ANSI.sub("", text)


def _locate(result: NotebookResult, output: Path, index: int) -> None:
    """Turn papermill's cell index (which counts the injected parameters cell) into the number a user sees."""
    cells = [c for c in _saved_cells(output) if not _tagged(c, "papermill-error-cell-tag")]
    injected = sum(1 for c in cells[:index] if _tagged(c, "injected-parameters"))
    result.cell = index - injected + 1


def _locate_running_cell(result: NotebookResult, output: Path) -> None:
    """After a timeout or a dead kernel, the last cell that started is the one that was running."""
    number = 0
    for cell in _saved_cells(output):
        if _tagged(cell, "papermill-error-cell-tag") or _tagged(cell, "injected-parameters"):
            continue
        number += 1
        if cell.get("metadata", {}).get("papermill", {}).get("start_time"):
            result.cell = number
            result.source = cell.source
            result.execution_count = cell.get("execution_count")


def _saved_cells(output: Path) -> list[Any]:
    return nbformat.read(output, as_version=4).cells if output.is_file() else []


def _tagged(cell: Any, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])
