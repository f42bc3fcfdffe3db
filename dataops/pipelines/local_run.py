"""The runner of one local pipeline: ``python -m dataops.pipelines.local_run ROOT ENV ID``.

Started in the background by `dataops.pipelines.local.PipelineStarter`. It checks the pipeline's
commit out on its branch (the pipeline's rules see the branch, as on GitLab), asks gitlab-ci-local
which jobs the rules keep, and runs them one by one in stage order with gitlab-ci-local's shell
executor, recording each job's state as it changes. As on GitLab, a failed job (unless it may fail)
skips the jobs of later stages; each job's log ends with the line that says how it ended. When the
pipeline cannot start at all (the commit cannot be checked out, gitlab-ci-local is missing or
refuses the file), it fails with one job whose log says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from dataops.pipelines.local import JOBS_PER_PIPELINE, LocalPipelines, now
from dataops.pipelines.models import Job, Pipeline

GITLAB_CI_LOCAL_TIMEOUT = 24 * 3600


class CannotRun(Exception):
    """The pipeline cannot start; the message is the log of its failing job."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step


@dataclass
class Spec:
    """One job as gitlab-ci-local lists it after applying the rules."""

    name: str
    stage: str
    when: str
    allow_failure: bool


def main(argv: list[str]) -> int:
    root, environment, pipeline_id = argv
    store = LocalPipelines(Path(root), environment)
    return 0 if run(store, int(pipeline_id)).status == "success" else 1


def run(store: LocalPipelines, pipeline_id: int) -> Pipeline:
    """Run the pipeline to its end; the finished pipeline."""
    pipeline = store.load(pipeline_id)
    settings = store.run_settings(pipeline_id)
    pipeline.status, pipeline.started_at = "running", now()
    store.save(pipeline)
    started = time.monotonic()
    try:
        command = _command(settings["command"])
        pipeline.sha = _checkout(settings["remote"], pipeline.ref, pipeline.sha, store.work_dir(pipeline.id))
        store.save(pipeline)
        specs = _jobs(command, store.work_dir(pipeline.id), _home(store))
    except CannotRun as exc:
        _fail_to_start(store, pipeline, exc)
    else:
        _run_jobs(store, pipeline, specs, command, settings.get("variables") or {})
    pipeline.finished_at = now()
    pipeline.duration = round(time.monotonic() - started, 1)
    store.save(pipeline)
    return pipeline


def _run_jobs(
    store: LocalPipelines, pipeline: Pipeline, specs: list[Spec], command: str, variables: dict[str, str]
) -> None:
    pipeline.jobs = [
        Job(
            id=pipeline.id * JOBS_PER_PIPELINE + i + 1,
            name=spec.name,
            stage=spec.stage,
            status="manual" if spec.when == "manual" else "created",
            pipeline_id=pipeline.id,
            ref=pipeline.ref,
            created_at=now(),
            user=pipeline.user,
        )
        for i, spec in enumerate(specs)
    ]
    store.save(pipeline)
    failed = False
    for spec, job in zip(specs, pipeline.jobs, strict=True):
        if spec.when == "manual":
            continue
        if (failed and spec.when != "always") or (spec.when == "on_failure" and not failed):
            job.status = "skipped"
            store.save(pipeline)
            continue
        job.status, job.started_at = "running", now()
        store.save(pipeline)
        code, why = _run_job(command, store.work_dir(pipeline.id), _home(store), job.name, variables)
        log = store.log_file(job)
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a") as fh:
            fh.write(why + ("\nJob succeeded\n" if code == 0 else f"\nERROR: Job failed: exit code {code}\n"))
        job.status = "success" if code == 0 else "failed"
        job.failure_reason = "" if code == 0 else "script_failure"
        job.finished_at = now()
        job.duration = _seconds(job.started_at, job.finished_at)
        failed = failed or (code != 0 and not spec.allow_failure)
        store.save(pipeline)
    pipeline.status = "failed" if failed else "success"


def _run_job(command: str, work: Path, home: Path, name: str, variables: dict[str, str]) -> tuple[int, str]:
    """gitlab-ci-local's exit code for one job, and what it said on stderr when the job did not run."""
    args = [command, "--home", str(home), "--color=false"]
    for key, value in variables.items():
        args += ["--variable", f"{key}={value}"]
    if name.startswith("-"):
        return 2, f"A job name may not start with '-' ({name!r}): rename the job in .gitlab-ci.yml."
    try:
        done = subprocess.run(
            [*args, name],
            cwd=work,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=GITLAB_CI_LOCAL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 124, f"The job ran longer than {GITLAB_CI_LOCAL_TIMEOUT} s and was stopped."
    ran = (work / ".gitlab-ci-local" / "output" / f"{name}.log").is_file()
    return done.returncode, "" if ran or done.returncode == 0 else done.stderr.strip()


def _fail_to_start(store: LocalPipelines, pipeline: Pipeline, exc: CannotRun) -> None:
    job = Job(
        id=pipeline.id * JOBS_PER_PIPELINE + 1,
        name=exc.step,
        stage=".pre",
        status="failed",
        pipeline_id=pipeline.id,
        ref=pipeline.ref,
        created_at=now(),
        started_at=now(),
        finished_at=now(),
        duration=0.0,
        user=pipeline.user,
        failure_reason="runner_system_failure",
    )
    log = store.log_file(job)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(f"{exc}\nERROR: Job failed: the pipeline could not start\n")
    pipeline.jobs, pipeline.status = [job], "failed"


def _command(command: str) -> str:
    found = shutil.which(command)
    if found is None:
        raise CannotRun(
            "gitlab-ci-local",
            f"gitlab-ci-local was not found ({command!r}): `make install` installs it beside the project, "
            "or set [promotion] gitlab_ci_local to its path.",
        )
    if shutil.which("rsync") is None:
        raise CannotRun(
            "gitlab-ci-local", "gitlab-ci-local copies the checkout with rsync, which is not installed."
        )
    return found


def _checkout(remote: str, branch: str, sha: str, work: Path) -> str:
    """Clone ``branch`` into ``work`` and put ``sha`` (default: the branch's head) on it; the sha."""
    shutil.rmtree(work, ignore_errors=True)
    work.parent.mkdir(parents=True, exist_ok=True)
    clone = [
        "git",
        "clone",
        "--quiet",
        "--no-tags",
        "--single-branch",
        "--branch",
        branch,
        "--",
        remote,
        str(work),
    ]
    _git(clone, f"Could not check out {branch} of the deployment repository")
    if sha:
        _git(
            ["git", "-C", str(work), "checkout", "--quiet", "-B", branch, sha],
            f"Could not check out commit {sha[:12]}",
        )
    return _git(
        ["git", "-C", str(work), "rev-parse", "HEAD"], "Could not read the checked-out commit"
    ).strip()


def _git(args: list[str], what: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, env=_env(), check=False, timeout=600)
    if done.returncode != 0:
        raise CannotRun("checkout", f"{what}: {done.stderr.strip()}")
    return done.stdout


def _jobs(command: str, work: Path, home: Path) -> list[Spec]:
    listed = subprocess.run(
        [command, "--home", str(home), "--color=false", "--list-json"],
        cwd=work,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    start = listed.stdout.find("[")
    if listed.returncode != 0 or start < 0:
        said = (listed.stderr or listed.stdout).strip()
        raise CannotRun("gitlab-ci-local", f"gitlab-ci-local could not read .gitlab-ci.yml: {said}")
    entries: list[dict[str, Any]] = json.loads(listed.stdout[start:])
    return [
        Spec(e["name"], e.get("stage", ""), e.get("when", "on_success"), bool(e.get("allow_failure")))
        for e in entries
        if e.get("when") != "never"
    ]


def _home(store: LocalPipelines) -> Path:
    return store.root / "gitlab-ci-local-home"


def _env() -> dict[str, str]:
    # the jobs call `dataops`: the one of the Python that runs this runner comes first
    bindir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "GIT_TERMINAL_PROMPT": "0",
    }


def _seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
