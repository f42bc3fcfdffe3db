"""The notebook API (`import dataops.workflows as wf`) against the real engine and a real worker."""

from __future__ import annotations

import io

import pytest

import dataops.workflows as wf
from dataops.errors import NotConfigured
from dataops.workflows.models import RunStatus
from tests.workflows.support import WorkerProcess, process_xml, unique, write_steps


@pytest.fixture
def configured(dataops_config, engine_url, tmp_path):
    """A dataops configuration naming the test engine and a fresh log folder."""
    dataops_config.write_text(f'[workflows]\nengine_url = "{engine_url}"\nlog_dir = "{tmp_path / "logs"}"\n')
    return tmp_path / "logs"


@pytest.fixture
def production(configured, engine_url, tmp_path):
    """A two-step process published with ``wf.publish`` and a worker serving its steps."""
    fetch, report = unique("fetch"), unique("report")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        import logging
        from pathlib import Path
        from dataops.workflows import step

        @step("{fetch}")
        def fetch(flow, period):
            for i in range(50):
                print(f"{{flow}} {{period}} row {{i}}")
            return {{"rows": 50}}

        @step("{report}")
        def report(rows):
            if Path({str(tmp_path / "fail-report")!r}).exists():
                raise RuntimeError("the report template is missing")
            logging.getLogger("report").info("reported %d rows", rows)
        """,
    )
    key = unique("production")
    bpmn = tmp_path / f"{key}.bpmn"
    bpmn.write_text(process_xml(key, [("fetch", fetch), ("report", report)]))
    deployment = wf.publish(bpmn)
    assert [d.key for d in deployment.definitions] == [key]
    with WorkerProcess(engine_url, steps, configured, unique("w"), "--retries", "0"):
        yield key


def test_start_follow_wait_gives_the_whole_log_in_order(production):
    run = wf.start(production, variables={"flow": "EXR", "period": "2026-10"}, business_key="EXR-2026-10")
    out = io.StringIO()
    offset = run.logs(follow=True, file=out)
    lines = out.getvalue().splitlines()
    rows = [line for line in lines if " row " in line]
    assert [r.split("] ", 1)[1] for r in rows] == [f"EXR 2026-10 row {i}" for i in range(50)]
    assert any("reported 50 rows" in line for line in lines)
    assert lines[-1] == "— run completed"
    assert run.wait(timeout=10) is RunStatus.COMPLETED
    assert run.status is RunStatus.COMPLETED
    assert run.incidents() == []
    assert run.variables()["rows"] == 50
    again = io.StringIO()
    assert run.logs(offset=offset, file=again) == offset
    assert again.getvalue() == ""


def test_following_stops_at_an_incident_which_carries_the_traceback(production, tmp_path):
    (tmp_path / "fail-report").write_text("")
    run = wf.start(production, variables={"flow": "EXR", "period": "2026-10"})
    out = io.StringIO()
    run.logs(follow=True, file=out)
    assert out.getvalue().splitlines()[-1] == "— run incident"
    assert run.wait(timeout=10) is RunStatus.INCIDENT
    [incident] = run.incidents()
    assert "RuntimeError: the report template is missing" in incident.message
    assert "Traceback" in incident.details
    (tmp_path / "fail-report").unlink()
    assert run.retry() == 1
    assert run.wait(timeout=30) is RunStatus.COMPLETED


def test_definitions_lists_the_latest_version(production):
    table = wf.definitions()
    row = table[table["key"] == production]
    assert len(row) == 1 and int(row["version"].iloc[0]) == 1


def test_publishing_a_changed_bpmn_makes_the_next_start_use_the_new_version(configured, engine_url, tmp_path):
    first, second = unique("fetch"), unique("publish")
    steps = write_steps(
        tmp_path / "steps",
        f"""
        from dataops.workflows import step

        @step("{first}")
        def fetch():
            print("fetching")

        @step("{second}")
        def publish():
            print("publishing")
        """,
    )
    key = unique("evolving")
    bpmn = tmp_path / f"{key}.bpmn"
    bpmn.write_text(process_xml(key, [("fetch", first)]))
    assert wf.publish(bpmn).definitions[0].version == 1
    assert wf.publish(bpmn).definitions[0].version == 1  # unchanged: no new version
    with WorkerProcess(engine_url, steps, configured, unique("w")):
        old = wf.start(key)
        assert old.wait(timeout=30) is RunStatus.COMPLETED
        bpmn.write_text(process_xml(key, [("fetch", first), ("publish", second)]))
        assert wf.publish(bpmn).definitions[0].version == 2
        new = wf.start(key)
        assert new.wait(timeout=30) is RunStatus.COMPLETED
    assert old.info.definition_version == 1 and new.info.definition_version == 2
    assert "publishing" not in [r.message for r in old.records()]
    assert [r.message for r in new.records() if r.source == "stdout"] == ["fetching", "publishing"]


def test_without_an_engine_configured_the_sentence_says_what_to_set(dataops_config):
    with pytest.raises(NotConfigured, match="set engine_url in the \\[workflows\\] section"):
        wf.start("anything")
