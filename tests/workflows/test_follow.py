"""A worker follows a branch of a git remote: a new commit is served from the next task on, a commit
whose steps do not import is refused while the previous one goes on serving, and every log record
names the commit that ran. Real git remotes (bare repositories), the real engine for the worker."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from dataops.errors import ConfigError
from dataops.workflows.follow import FollowConfig, FollowedSteps
from dataops.workflows.logs import LogStore
from dataops.workflows.models import RunStatus
from dataops.workflows.steps import Task
from tests.workflows.support import WorkerProcess, process_xml, unique, wait_until

STEP = """
from dataops.workflows import step

@step("{topic}")
def report():
    print("report {version}")
    return {{"version": "{version}"}}
"""


def git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


class Remote:
    """A bare repository with a deploy/dev branch, pushed to from a working copy."""

    def __init__(self, root: Path) -> None:
        self.url = str(root / "deployment.git")
        self.work = root / "work"
        git("init", "-q", "--bare", self.url)
        git("init", "-q", "-b", "deploy/dev", str(self.work))
        git("config", "user.email", "analyst@example.org", cwd=self.work)
        git("config", "user.name", "Analyst", cwd=self.work)

    def push(self, files: dict[str, str], message: str) -> str:
        """Commit ``files`` (path → text) and push; the new commit."""
        for name, text in files.items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        git("add", "-A", cwd=self.work)
        git("commit", "-qm", message, cwd=self.work)
        git("push", "-q", self.url, "deploy/dev", cwd=self.work)
        return git("rev-parse", "HEAD", cwd=self.work)


def run(steps: FollowedSteps, topic: str) -> dict:
    return steps.registry.get(topic).call(Task(id="t", topic=topic, run_id="r", variables={}))


def test_a_new_commit_is_served_and_a_broken_one_is_refused_while_the_last_good_one_serves(tmp_path):
    remote, topic = Remote(tmp_path), unique("report")
    v1 = remote.push({"steps/report.py": STEP.format(topic=topic, version="v1")}, "v1")
    steps = FollowedSteps(FollowConfig(remote.url, "deploy/dev", interval_s=0), cache=tmp_path / "cache")
    try:
        assert steps.refresh() is True
        assert (steps.version, run(steps, topic)) == (v1[:12], {"version": "v1"})
        assert steps.refresh() is False  # nothing new on the branch

        v2 = remote.push({"steps/report.py": STEP.format(topic=topic, version="v2")}, "v2")
        assert steps.refresh() is True
        assert (steps.version, run(steps, topic)) == (v2[:12], {"version": "v2"})

        broken = remote.push({"steps/report.py": "import not_a_module_anywhere\n"}, "broken")
        assert steps.refresh() is False
        assert steps.load_error is not None
        assert f"commit {broken[:12]} of deploy/dev of {remote.url} is not served" in steps.load_error
        assert "not_a_module_anywhere" in steps.load_error
        assert (steps.version, run(steps, topic)) == (v2[:12], {"version": "v2"})

        v4 = remote.push({"steps/report.py": STEP.format(topic=topic, version="v4")}, "v4")
        assert steps.refresh() is True
        assert (steps.version, run(steps, topic), steps.load_error) == (v4[:12], {"version": "v4"}, None)
        # only the commit served is kept on disk
        assert [p.name for p in (steps.root / "commits").iterdir()] == [v4]
    finally:
        steps.close()


def test_a_branch_without_its_steps_folder_or_a_remote_that_cannot_be_read_is_a_sentence(tmp_path):
    remote = Remote(tmp_path)
    remote.push({"notebooks/readme.md": "no steps here\n"}, "notebooks only")
    with pytest.raises(
        ConfigError, match=r"of deploy/dev of .*deployment.git is not served: .* has no steps/ folder"
    ):
        FollowedSteps(FollowConfig(remote.url, "deploy/dev"), cache=tmp_path / "cache").refresh()
    missing = str(tmp_path / "nowhere.git")
    with pytest.raises(ConfigError, match=rf"Could not fetch deploy/dev of {missing}"):
        FollowedSteps(FollowConfig(missing, "deploy/dev"), cache=tmp_path / "cache").refresh()
    with pytest.raises(ConfigError, match="may not start with '-'"):
        FollowedSteps(FollowConfig("--upload-pack=touch /tmp/x", "deploy/dev"), cache=tmp_path / "cache")


def test_a_remote_that_goes_away_leaves_the_served_commit_serving(tmp_path):
    remote, topic = Remote(tmp_path), unique("report")
    remote.push({"steps/report.py": STEP.format(topic=topic, version="v1")}, "v1")
    steps = FollowedSteps(FollowConfig(remote.url, "deploy/dev", interval_s=0), cache=tmp_path / "cache")
    try:
        steps.refresh()
        Path(remote.url).rename(tmp_path / "moved.git")
        assert steps.refresh() is False
        assert steps.load_error is not None and "Could not fetch deploy/dev" in steps.load_error
        assert run(steps, topic) == {"version": "v1"}
    finally:
        steps.close()


def test_the_follow_table_is_checked():
    with pytest.raises(ConfigError, match="names a remote but no branch"):
        FollowConfig.from_section({"remote": "https://git.example/deploy.git"})
    with pytest.raises(ConfigError, match="unknown settings: brnach"):
        FollowConfig.from_section({"remote": "r", "brnach": "deploy/dev"})


def test_a_worker_following_a_branch_runs_the_pushed_step_on_the_next_run_without_a_restart(
    engine, engine_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    remote, topic = Remote(tmp_path), unique("report")
    v1 = remote.push({"steps/report.py": STEP.format(topic=topic, version="v1")}, "v1")
    key = unique("follow")
    engine.publish({f"{key}.bpmn": process_xml(key, [("report", topic)]).encode()}, name=key)
    logs = tmp_path / "logs"
    config = "[workflows.follow]\ninterval_s = 0\n"
    args = ("--follow", remote.url, "--branch", "deploy/dev")
    with WorkerProcess(engine_url, None, logs, "w-follow", *args, config=config) as worker:
        one = engine.start(key)
        wait_until(lambda: engine.run(one.id).status is RunStatus.COMPLETED, what="the run on v1")
        v2 = remote.push({"steps/report.py": STEP.format(topic=topic, version="v2")}, "v2")
        two = engine.start(key)
        wait_until(lambda: engine.run(two.id).status is RunStatus.COMPLETED, what="the run on v2")
        assert worker.proc.poll() is None
        assert f"following deploy/dev of {remote.url}" in worker.stderr
    store = LogStore(logs)
    printed = [
        (r.message, r.step_version)
        for run_ in (one, two)
        for r in store.read(run_.id)
        if r.source == "stdout"
    ]
    assert printed == [("report v1", v1[:12]), ("report v2", v2[:12])]
