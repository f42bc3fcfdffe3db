"""R steps against the real engine and a real ``dataops worker``: outputs, live log with levels,
R tracebacks in incidents, BPMN errors, and no line lost."""

from __future__ import annotations

import json
import os
import re

import pytest

from dataops.workflows.logs import LogStore
from dataops.workflows.models import RunStatus
from tests.workflows.support import REPO, WorkerProcess, process_xml, unique, wait_until, write_steps

GITLAB_TOKEN = "glpat-RStepToken0123456789"  # noqa: S105 (a test value)


@pytest.fixture
def publish(engine):
    """Publish a linear test process; returns its key."""

    def _publish(tasks, **kw):
        key = unique("wr")
        engine.publish({f"{key}.bpmn": process_xml(key, tasks, **kw).encode()}, name=key)
        return key

    return _publish


def _ended(engine, run_id):
    run = engine.run(run_id)
    return run if run.status.finished or run.status is RunStatus.INCIDENT else None


def _read_all(store, run_id):
    records, after = [], 0
    while page := store.read(run_id, after=after):  # the store answers 10,000 records at a time
        records.extend(page)
        after = page[-1].seq
    return records


def _step_lines(store, run_id):
    return [
        (r.level, r.source, r.message)
        for r in _read_all(store, run_id)
        if r.kind == "log" and r.source != "worker"
    ]


def test_an_r_step_gets_variables_and_config_its_log_is_live_with_levels_and_its_outputs_are_variables(
    engine, engine_url, publish, tmp_path
):
    topic = unique("summary")
    go = tmp_path / "go"
    deployment = tmp_path / "deploy"
    steps = write_steps(
        deployment / "steps",
        f"""
        dataops_step("{topic}", function(vars, config) {{
          cat("summarising", vars$flow, "\\n")
          message("threshold ", config$threshold)
          warning("2 series are provisional")
          dataops_log("error", "an error-level line")
          cat("token {GITLAB_TOKEN} for the deployment\\n")
          cat("waiting for the go\\n")
          while (!file.exists("{go}")) Sys.sleep(0.05)
          print(c(a = 1))
          list(series = 12L, flows = c(vars$flow, "YC"), summary = list(flow = vars$flow, ratio = 0.5))
        }})
        """,
        name="summary.R",
    )
    key = publish([("summarise", topic)])
    (deployment / "processes").mkdir()
    (deployment / "processes" / f"{key}.toml").write_text('version = "1.0.0"\nthreshold = 0.25\n')
    schema = {"type": "object", "properties": {"threshold": {"type": "number"}}}
    (deployment / "processes" / f"{key}.schema.json").write_text(json.dumps(schema))
    logs = tmp_path / "logs"
    store = LogStore(logs)
    with WorkerProcess(engine_url, steps, logs, "w-r-live"):
        run = engine.start(key, {"flow": "EXR"})
        wait_until(
            lambda: any(m == "waiting for the go" for _, _, m in _step_lines(store, run.id)),
            what="a line of the R step while it runs",
        )
        assert not engine.run(run.id).status.finished  # the step is still waiting for the go
        go.write_text("go")
        done = wait_until(lambda: _ended(engine, run.id), what="run to end")
    assert done.status is RunStatus.COMPLETED
    assert _step_lines(store, run.id) == [
        ("INFO", "stdout", "summarising EXR "),
        ("INFO", "message", "threshold 0.25"),
        ("WARNING", "warnings", "2 series are provisional"),
        ("ERROR", "logging", "an error-level line"),
        ("INFO", "stdout", "token [REDACTED] for the deployment"),
        ("INFO", "stdout", "waiting for the go"),
        ("INFO", "stdout", "a "),
        ("INFO", "stdout", "1 "),
    ]
    variables = {v.name: v.value for v in engine.variables(run.id)}
    assert variables["series"] == 12
    assert variables["flows"] == ["EXR", "YC"]
    assert variables["summary"] == {"flow": "EXR", "ratio": 0.5}
    records = [r for r in store.read(run.id) if r.kind == "log"]
    assert {r.step_version for r in records} == {records[0].step_version}
    assert re.fullmatch(rf"files-[0-9a-f]{{12}} config {key} 1\.0\.0", records[0].step_version)


def test_an_r_error_becomes_an_incident_with_the_r_traceback(engine, engine_url, publish, tmp_path):
    topic = unique("failing")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        check_flow <- function(flow) {{
          if (!flow %in% c("EXR", "YC")) stop("the flow ", flow, " is unknown")
          flow
        }}

        dataops_step("{topic}", function(vars) {{
          cat("checking", vars$flow, "\\n")
          check_flow(vars$flow)
          list(checked = TRUE)
        }})
        """,
        name="failing.R",
    )
    key = publish([("check", topic)])
    logs = tmp_path / "logs"
    with WorkerProcess(engine_url, steps, logs, "w-r-fail", "--retries", "0"):
        run = engine.start(key, {"flow": "XYZ"})
        done = wait_until(lambda: _ended(engine, run.id), what="incident")
    assert done.status is RunStatus.INCIDENT
    [incident] = engine.incidents(run.id)
    assert incident.message == "RError: Error in check_flow(vars$flow): the flow XYZ is unknown"
    assert f"R traceback (failing.R, topic '{topic}'; most recent call last):" in incident.details
    assert f'1: dataops_step("{topic}") function defined at failing.R#7' in incident.details
    assert "2: check_flow(vars$flow) at failing.R#9" in incident.details
    assert '3: stop("the flow ", flow, " is unknown") at failing.R#3' in incident.details
    assert "INFO checking XYZ " in incident.details  # the last lines of the step's log
    assert "Traceback (most recent call last)" not in incident.details  # no Python frames
    failed = [r for r in LogStore(logs).read(run.id) if r.level == "ERROR"]
    assert len(failed) == 1 and "check_flow(vars$flow) at failing.R#9" in failed[0].message


def test_a_bpmn_error_from_r_takes_the_error_path(engine, engine_url, publish, tmp_path):
    topic = unique("fetch")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        dataops_step("{topic}", function(vars) {{
          dataops_bpmn_error("NO_DATA", paste(vars$flow, "has no data"), list(reason = "empty"))
        }})
        """,
        name="fetch.R",
    )
    key = publish([("fetch", topic)], error_on="fetch")
    logs = tmp_path / "logs"
    with WorkerProcess(engine_url, steps, logs, "w-r-bpmn"):
        run = engine.start(key, {"flow": "EXR"})
        done = wait_until(lambda: _ended(engine, run.id), what="run to end")
    assert done.status is RunStatus.COMPLETED
    assert done.end_activity_id == "end_no_data"
    assert engine.incidents(run.id) == []
    assert {v.name: v.value for v in engine.variables(run.id)}["reason"] == "empty"
    messages = [r.message for r in LogStore(logs).read(run.id)]
    assert any("BPMN error NO_DATA: EXR has no data" in m for m in messages)


def test_no_line_of_a_chatty_r_step_is_lost_and_their_order_is_kept(engine, engine_url, publish, tmp_path):
    topic = unique("chatty")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        dataops_step("{topic}", function() {{
          for (i in 1:20000) {{
            cat("line ", i, "\\n", sep = "")
            if (i %% 1000 == 0) message("checkpoint ", i)
          }}
          list(lines = 20000L)
        }})
        """,
        name="chatty.R",
    )
    key = publish([("chat", topic)])
    logs = tmp_path / "logs"
    with WorkerProcess(engine_url, steps, logs, "w-r-chatty"):
        run = engine.start(key)
        done = wait_until(lambda: _ended(engine, run.id), timeout=180, what="run to end")
    assert done.status is RunStatus.COMPLETED
    expected = []
    for i in range(1, 20001):
        expected.append(("INFO", "stdout", f"line {i}"))
        if i % 1000 == 0:
            expected.append(("INFO", "message", f"checkpoint {i}"))
    assert _step_lines(LogStore(logs), run.id) == expected


def test_r_outputs_and_variables_keep_their_json_types(engine, engine_url, publish, tmp_path):
    topic = unique("types")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        dataops_step("{topic}", function(vars, task) {{
          list(echo = vars$payload, keys = sort(names(vars$payload)), key = task$business_key, nothing = NULL)
        }})
        """,
        name="types.R",
    )
    key = publish([("echo", topic)])
    payload = {"n": 3, "x": 1.5, "ok": True, "name": "EXR", "nested": {"list": [1, 2, 3]}}
    with WorkerProcess(engine_url, steps, tmp_path / "logs", "w-r-types"):
        run = engine.start(key, {"payload": payload}, business_key="EXR-2026")
        done = wait_until(lambda: _ended(engine, run.id), what="run to end")
    assert done.status is RunStatus.COMPLETED
    variables = {v.name: v.value for v in engine.variables(run.id)}
    assert json.loads(json.dumps(variables["echo"])) == payload
    assert variables["keys"] == sorted(payload)
    assert variables["key"] == "EXR-2026"
    assert variables["nothing"] is None


def test_the_sample_r_process_summarises_a_flow_and_fails_with_the_r_traceback_for_an_unknown_one(
    engine, engine_url, tmp_path
):
    topic, key = unique("r_summarise"), unique("sdmx_r_summary")
    xml = (REPO / "processes" / "sdmx_r_summary.bpmn").read_text()
    xml = xml.replace('"sdmx_r_summary"', f'"{key}"').replace('"r_summarise"', f'"{topic}"')
    engine.publish({f"{key}.bpmn": xml.encode()}, name=key)
    sample = (REPO / "examples" / "steps" / "summary.R").read_text()
    steps = write_steps(tmp_path / "steps", sample.replace('"r_summarise"', f'"{topic}"'), name="summary.R")
    logs = tmp_path / "logs"
    with WorkerProcess(engine_url, steps, logs, "w-r-sample", "--retries", "0"):
        good = engine.start(key, {"flow": "EXR"})
        bad = engine.start(key, {"flow": "XYZ"})
        assert wait_until(lambda: _ended(engine, good.id), what="summary").status is RunStatus.COMPLETED
        assert wait_until(lambda: _ended(engine, bad.id), what="incident").status is RunStatus.INCIDENT
    variables = {v.name: v.value for v in engine.variables(good.id)}
    assert variables["observations"] == 12 and set(variables["summary"]) >= {"Min.", "Median", "Max."}
    lines = _step_lines(LogStore(logs), good.id)
    assert lines[0][:2] == ("INFO", "message") and lines[0][2].startswith("summarising EXR in R ")
    assert [m for _, s, m in lines if s == "stdout"][-1].startswith("observation 12 of 12: ")
    [incident] = engine.incidents(bad.id)
    assert "unknown dataflow 'XYZ'" in incident.message
    assert "2: check_flow(vars$flow) at summary.R#" in incident.details


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_worker_stopped_mid_step_ends_its_r_process_and_another_worker_runs_the_task(
    engine, engine_url, publish, tmp_path
):
    topic = unique("held")
    pid_file, hold = tmp_path / "r.pid", tmp_path / "hold"
    hold.write_text("wait")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        dataops_step("{topic}", function() {{
          writeLines(as.character(Sys.getpid()), "{pid_file}")
          while (file.exists("{hold}")) Sys.sleep(0.05)
          list(done = TRUE)
        }})
        """,
        name="held.R",
    )
    key = publish([("hold", topic)])
    logs = tmp_path / "logs"
    first = WorkerProcess(engine_url, steps, logs, "w-r-stopped", "--shutdown-grace", "1")
    run = engine.start(key)
    pid = int(wait_until(lambda: pid_file.exists() and pid_file.read_text().strip(), what="the R process"))
    assert first.stop() == 0
    wait_until(lambda: not _alive(pid), timeout=10, what="the R process to end with its worker")
    assert not engine.run(run.id).status.finished
    hold.unlink()
    with WorkerProcess(engine_url, steps, logs, "w-r-next"):
        done = wait_until(lambda: _ended(engine, run.id), what="run to end")
    assert done.status is RunStatus.COMPLETED
    messages = [r.message for r in LogStore(logs).read(run.id)]
    assert any("stopped before the step finished; task released" in m for m in messages)
