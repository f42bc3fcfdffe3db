"""Pipelines of plain git environments, run on this machine with gitlab-ci-local.

An environment that deploys to a plain git remote has no GitLab to run its ``.gitlab-ci.yml``. With
``local_pipelines = true`` in its ``[[promotion.environments]]`` entry, every promotion that lands on
its branch (and **Run pipeline** in the Deploy panel) starts a local pipeline: a background process
(`dataops.pipelines.local_run`) checks the commit out and runs the pipeline's jobs stage by stage with
gitlab-ci-local's shell executor. `LocalCI` answers what the Deploy panel and the notebook API ask of
GitLab CI (pipelines, jobs, live job logs, the JUnit summary) from what the runner records.

Layout under ``[promotion] local_pipelines_dir``: ``<env>/<id>.json`` (the pipeline and its jobs,
replaced whole on every change), ``<env>/<id>.run.json`` (what the runner needs, mode 600) and
``<env>/work/<id>/`` (the checkout; gitlab-ci-local writes each job's log and artifacts there).
Pipeline ids are unique across environments; a job's id is ``pipeline id × 1000 + its position``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from dataops.errors import NotFound
from dataops.pipelines.access import CITarget, local_target
from dataops.pipelines.models import Job, Pipeline, TestReportSummary
from dataops.promotion.config import Environment, PromotionConfig
from dataops.sdmx.xml_safety import safe_parser

JOBS_PER_PIPELINE = 1000


def now() -> str:
    """The current time as GitLab writes it (ISO 8601, UTC)."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class LocalPipelines:
    """The local pipelines of one environment, as files under ``root/<env>``."""

    def __init__(self, root: Path, environment: str) -> None:
        self.root = root
        self.environment = environment
        self.folder = root / environment

    def create(self, *, ref: str, sha: str, source: str, user: str, run: dict[str, Any]) -> Pipeline:
        """A new pipeline (status ``created``, no jobs yet) and what its runner needs."""
        self.folder.mkdir(parents=True, exist_ok=True)
        pipeline = Pipeline(
            id=self._next_id(),
            iid=0,
            ref=ref,
            sha=sha,
            status="created",
            source=source,
            created_at=now(),
            updated_at=now(),
            user=user,
            user_name=user,
            environment=self.environment,
        )
        pipeline.iid = pipeline.id
        self._write(self.run_file(pipeline.id), run, mode=0o600)
        self.save(pipeline)
        return pipeline

    def save(self, pipeline: Pipeline) -> None:
        """Record ``pipeline`` whole (readers never see a half-written file)."""
        pipeline.updated_at = now()
        self._write(self.folder / f"{pipeline.id}.json", pipeline.to_json())

    def load(self, pipeline_id: int) -> Pipeline:
        """The pipeline with this id, or `NotFound`."""
        try:
            data = json.loads((self.folder / f"{int(pipeline_id)}.json").read_text())
        except FileNotFoundError:
            raise NotFound(f"Pipeline {pipeline_id} is not a pipeline of {self.environment}.") from None
        return Pipeline.from_json(data)

    def newest(self, limit: int) -> list[Pipeline]:
        """The newest ``limit`` pipelines, newest first."""
        if not self.folder.is_dir():
            return []
        ids = sorted((int(p.stem) for p in self.folder.glob("*.json") if p.stem.isdigit()), reverse=True)
        return [self.load(i) for i in ids[:limit]]

    def run_settings(self, pipeline_id: int) -> dict[str, Any]:
        """What the runner of this pipeline needs (remote, variables, the gitlab-ci-local command)."""
        return json.loads(self.run_file(pipeline_id).read_text())

    def run_file(self, pipeline_id: int) -> Path:
        return self.folder / f"{pipeline_id}.run.json"

    def work_dir(self, pipeline_id: int) -> Path:
        """The pipeline's checkout."""
        return self.folder / "work" / str(pipeline_id)

    def log_file(self, job: Job) -> Path:
        """Where the job's log is written while it runs."""
        return self.work_dir(job.pipeline_id) / ".gitlab-ci-local" / "output" / f"{job.name}.log"

    def _next_id(self) -> int:
        counter = self.root / "last-id"
        with (self.root / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            last = int(counter.read_text()) if counter.is_file() else 0
            self._write(counter, last + 1)
        return last + 1

    @staticmethod
    def _write(path: Path, data: Any, mode: int = 0o644) -> None:
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
        partial.replace(path)


class LocalCI:
    """`GitLabCI`'s questions answered from the local pipelines of one environment."""

    def __init__(self, target: CITarget) -> None:
        self.starter = PipelineStarter(target)
        self.store = self.starter.store

    async def __aenter__(self) -> LocalCI:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Nothing to close (kept for the same use as `GitLabCI`)."""

    async def pipelines(
        self, ref: str | None = None, *, limit: int = 10, environment: str = ""
    ) -> list[Pipeline]:
        """The newest pipelines (of ``ref`` when given)."""
        return [p for p in self.store.newest(limit) if ref is None or p.ref == ref]

    async def pipeline_of_commit(self, sha: str, *, environment: str = "") -> Pipeline | None:
        """The newest pipeline that ran commit ``sha``."""
        return next((p for p in self.store.newest(JOBS_PER_PIPELINE) if p.sha == sha), None)

    async def pipelines_of_commits(
        self, shas: list[str], *, environment: str = "", concurrency: int = 6
    ) -> dict[str, Pipeline | None]:
        """`pipeline_of_commit` for each distinct sha."""
        return {sha: await self.pipeline_of_commit(sha) for sha in dict.fromkeys(shas)}

    async def pipeline(self, pipeline_id: int, *, environment: str = "") -> Pipeline:
        """One pipeline with its jobs in the order they run."""
        return self.store.load(pipeline_id)

    async def jobs(self, pipeline_id: int) -> list[Job]:
        """The pipeline's jobs, in the order they run."""
        return self.store.load(pipeline_id).jobs

    async def job(self, job_id: int) -> Job:
        """One job."""
        for job in self.store.load(int(job_id) // JOBS_PER_PIPELINE).jobs:
            if job.id == int(job_id):
                return job
        raise NotFound(f"Job {job_id} is not a job of {self.store.environment}.")

    async def trace(self, job_id: int) -> bytes:
        """The job's log as written so far (empty before it starts)."""
        job = await self.job(job_id)
        with contextlib.suppress(FileNotFoundError):
            return self.store.log_file(job).read_bytes()
        return b""

    async def test_report_summary(self, pipeline_id: int) -> TestReportSummary:
        """Counts of the JUnit reports in the pipeline's artifacts."""
        pipeline = self.store.load(pipeline_id)
        artifacts = self.store.work_dir(pipeline.id) / ".gitlab-ci-local" / "artifacts"
        reports = sorted(artifacts.glob("*/**/*.xml")) if artifacts.is_dir() else []
        ids = {job.name: job.id for job in pipeline.jobs}
        return junit_summary([(ids.get(r.relative_to(artifacts).parts[0]), r) for r in reports])

    async def trigger(
        self, ref: str, variables: dict[str, str] | None = None, *, environment: str = "", user: str = ""
    ) -> Pipeline:
        """Start a pipeline on the head of ``ref`` (``variables`` over the environment's own)."""
        return self.starter.start(ref, source="web", user=user, variables=variables or {})


def junit_summary(reports: list[tuple[int | None, Path]]) -> TestReportSummary:
    """GitLab's test report summary computed from JUnit files (job id, file); files that are not
    JUnit XML are left out."""
    counts = {"total": 0, "success": 0, "failed": 0, "skipped": 0, "error": 0}
    elapsed = 0.0
    suites = []
    for job_id, report in reports:
        try:
            root = etree.parse(str(report), safe_parser()).getroot()
        except (etree.XMLSyntaxError, OSError):
            continue
        if root.tag not in ("testsuite", "testsuites"):
            continue
        for suite in [root] if root.tag == "testsuite" else root.findall("testsuite"):
            cases = suite.findall("testcase")
            failed = sum(1 for c in cases if c.find("failure") is not None)
            errors = sum(1 for c in cases if c.find("error") is not None)
            skipped = sum(1 for c in cases if c.find("skipped") is not None)
            time = float(suite.get("time") or 0)
            row = {"total": len(cases), "failed": failed, "error": errors, "skipped": skipped}
            row["success"] = len(cases) - failed - errors - skipped
            for key in counts:
                counts[key] += row[key]
            elapsed += time
            job_ids = [job_id] if job_id is not None else []
            suites.append(
                {"name": suite.get("name", ""), **row, "time": time, "job_ids": job_ids, "suite_error": None}
            )
    return TestReportSummary(time=elapsed, suites=suites, **counts)


class PipelineStarter:
    """Starts the local pipelines of one plain git environment."""

    def __init__(self, target: CITarget) -> None:
        if target.local_root is None:
            raise ValueError(f"{target.environment} has no local pipelines")
        self.target = target
        self.store = LocalPipelines(target.local_root, target.environment)

    def start(
        self,
        ref: str,
        *,
        sha: str = "",
        source: str = "push",
        user: str = "",
        variables: dict[str, str] | None = None,
    ) -> Pipeline:
        """Record a pipeline of ``sha`` (default: the head of ``ref``) and start its runner in the
        background; ``variables`` add to (and win over) the environment's own."""
        run = {
            "remote": self.target.remote,
            "command": self.target.command,
            "variables": {**dict(self.target.variables), **(variables or {})},
        }
        pipeline = self.store.create(ref=ref, sha=sha, source=source, user=user, run=run)
        log = (self.store.folder / f"{pipeline.id}.runner.log").open("ab")
        with log:
            subprocess.Popen(  # noqa: S603 (our own module, arguments we built)
                [
                    sys.executable,
                    "-m",
                    "dataops.pipelines.local_run",
                    str(self.store.root),
                    self.store.environment,
                    str(pipeline.id),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # it outlives the request (and the server, if stopped)
                env={**os.environ, "PYTHONPATH": _import_root()},
            )
        return pipeline


def push_trigger(env: Environment, cfg: PromotionConfig) -> Callable[[str, str, str], None] | None:
    """What a promotion calls after it pushed ``(sha, branch, author)`` to ``env``'s remote: starts a
    local pipeline of that commit when the environment has them (None otherwise)."""
    if not env.local_pipelines:
        return None
    starter = PipelineStarter(local_target(cfg, env))

    def started(sha: str, branch: str, author: str) -> None:
        if branch == env.branch:  # a commit on a review branch has not landed yet
            starter.start(branch, sha=sha, source="push", user=author)

    return started


def _import_root() -> str:
    """The folder ``dataops`` is imported from, first on the runner's path (an editable or
    source checkout runs the same code as the server)."""
    root = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH", "")
    return root + (os.pathsep + rest if rest else "")
