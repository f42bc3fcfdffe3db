"""What a step prints, logs or warns becomes records of its run; everything else is left alone.

Capture replaces ``sys.stdout`` for the whole process, so each test runs it in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def _run(body: str) -> tuple[list[dict], str]:
    script = (
        textwrap.dedent(
            """
        import json, logging, sys, threading, warnings
        from dataclasses import asdict
        from dataops.workflows import capture
        records = []
        capture.install()
        def task(name):
            return capture.TaskLog(records.append, run_id="run-1", activity_id="fetch", task_id=name,
                                   worker="w", step_version="v1", tail_lines=3)
        """
        )
        + textwrap.dedent(body)
        + "\nsys.__stdout__.write(json.dumps([asdict(r) for r in records]))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), out.stderr


def test_print_logging_and_warnings_of_a_step_are_recorded_in_order_with_levels():
    records, _ = _run(
        """
        def step():
            print("starting", "EXR")
            logging.getLogger("steps.fetch").info("fetched %d rows", 12)
            warnings.warn("period 2026-10 is provisional")
            print("oops", file=sys.stderr)
            logging.getLogger("steps.fetch").debug("not kept at INFO")
        capture.run_captured(task("t1"), step)
        """
    )
    assert [(r["level"], r["source"], r["message"]) for r in records] == [
        ("INFO", "stdout", "starting EXR"),
        ("INFO", "logging", "fetched 12 rows"),
        ("WARNING", "warnings", records[2]["message"]),
        ("WARNING", "stderr", "oops"),
    ]
    assert records[2]["message"].startswith("UserWarning: period 2026-10 is provisional (")
    assert records[1]["logger"] == "steps.fetch"
    assert {(r["run_id"], r["task_id"], r["activity_id"], r["step_version"]) for r in records} == {
        ("run-1", "t1", "fetch", "v1")
    }


def test_a_line_written_in_pieces_is_one_record_and_an_unterminated_last_line_is_kept():
    records, _ = _run(
        """
        def step():
            sys.stdout.write("50%")
            sys.stdout.write(" done\\nlast words")
        capture.run_captured(task("t1"), step)
        """
    )
    assert [r["message"] for r in records] == ["50% done", "last words"]


def test_logged_exceptions_carry_their_traceback():
    records, _ = _run(
        """
        def step():
            try:
                1 / 0
            except ZeroDivisionError:
                logging.getLogger("x").exception("division failed")
        capture.run_captured(task("t1"), step)
        """
    )
    assert records[0]["level"] == "ERROR"
    assert "division failed\nTraceback" in records[0]["message"]
    assert "ZeroDivisionError" in records[0]["message"]


def test_output_outside_a_step_goes_where_it_always_went():
    records, stderr = _run(
        """
        print("worker banner", file=sys.stderr)
        capture.run_captured(task("t1"), lambda: print("inside"))
        warnings.warn("outside warning")
        """
    )
    assert [r["message"] for r in records] == ["inside"]
    assert "worker banner" in stderr and "outside warning" in stderr


def test_concurrent_steps_in_threads_keep_their_own_lines():
    records, _ = _run(
        """
        def step(name):
            for i in range(200):
                print(name, i)
        threads = [threading.Thread(target=capture.run_captured, args=(task(n), step, n)) for n in ("a", "b")]
        for t in threads: t.start()
        for t in threads: t.join()
        """
    )
    for name in ("a", "b"):
        assert [r["message"] for r in records if r["task_id"] == name] == [f"{name} {i}" for i in range(200)]


def test_the_same_warning_in_the_next_task_is_recorded_again():
    records, _ = _run(
        """
        def step():
            warnings.warn("stale reference data")
        for name in ("t1", "t2"):
            capture.run_captured(task(name), step)
        """
    )
    assert [r["task_id"] for r in records] == ["t1", "t2"]


def test_the_tail_keeps_the_last_lines_for_error_details():
    _, stderr = _run(
        """
        t = task("t1")
        capture.run_captured(t, lambda: [print(i) for i in range(10)])
        sys.__stderr__.write(json.dumps(t.tail()))
        """
    )
    assert [line.rsplit(" ", 1)[1] for line in json.loads(stderr)] == ["7", "8", "9"]
