"""JUnit XML for `dataops run`: one test case per notebook, as GitLab's test report reads it."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from dataops.pipelines.runner import FAILED, SKIPPED, TIMEOUT, NotebookResult, RunReport

SUITE = "dataops run"


def junit_xml(report: RunReport) -> bytes:
    """The report as JUnit XML: failures carry the failing cell and its traceback."""
    results = report.results
    suite = etree.Element(
        "testsuite",
        name=SUITE,
        tests=str(len(results)),
        failures=str(sum(1 for r in results if r.status == FAILED or r.regressed)),
        errors=str(sum(1 for r in results if r.status == TIMEOUT)),
        skipped=str(sum(1 for r in results if r.status == SKIPPED)),
        time=f"{sum(r.seconds for r in results):.3f}",
    )
    for result in results:
        suite.append(_testcase(result, report.tolerance))
    root = etree.Element("testsuites", name=SUITE)
    root.append(suite)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_junit(report: RunReport, path: Path) -> None:
    """Write the JUnit XML report to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(junit_xml(report))


def _testcase(result: NotebookResult, tolerance: float | None) -> etree._Element:
    notebook = Path(result.notebook)
    case = etree.Element(
        "testcase",
        classname=str(notebook.parent).replace("/", ".") if str(notebook.parent) != "." else "notebooks",
        name=notebook.name,
        file=result.notebook,
        time=f"{result.seconds:.3f}",
    )
    if result.status == FAILED:
        node = etree.SubElement(case, "failure", message=result.error, type=result.error.split(":", 1)[0])
        node.text = _where(result) + result.traceback
    elif result.status == TIMEOUT:
        node = etree.SubElement(case, "error", message=result.error, type="timeout")
        node.text = _where(result) + result.traceback
    elif result.status == SKIPPED:
        etree.SubElement(case, "skipped", message=result.error)
    elif result.regressed:
        message = (
            f"performance regression: {result.seconds:.2f} s against a baseline of "
            f"{result.baseline_seconds:.2f} s (tolerance {tolerance:.0%})"
        )
        etree.SubElement(case, "failure", message=message, type="performance_regression").text = message
    etree.SubElement(case, "system-out").text = f"executed notebook: {result.output}"
    return case


def _where(result: NotebookResult) -> str:
    if result.cell is None:
        return ""
    count = f" (In [{result.execution_count}])" if result.execution_count else ""
    return f"Cell {result.cell}{count}:\n{result.source}\n\n"
