"""What the Deploy panel and the notebook API show of GitLab CI: pipelines, jobs, test summaries."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

RUNNING = {"created", "waiting_for_resource", "preparing", "pending", "running", "scheduled", "manual"}
FINISHED = {"success", "failed", "canceled", "skipped"}


@dataclass
class Job:
    """One job of a pipeline."""

    id: int
    name: str
    stage: str
    status: str
    pipeline_id: int
    ref: str = ""
    created_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    duration: float | None = None
    user: str = ""
    failure_reason: str = ""
    web_url: str = ""

    @property
    def finished(self) -> bool:
        """True once the job will not change any more."""
        return self.status in FINISHED

    @classmethod
    def from_gitlab(cls, data: dict[str, Any]) -> Job:
        """From GitLab's job entity."""
        return cls(
            id=data["id"],
            name=data.get("name", ""),
            stage=data.get("stage", ""),
            status=data.get("status", ""),
            pipeline_id=(data.get("pipeline") or {}).get("id", 0),
            ref=data.get("ref") or (data.get("pipeline") or {}).get("ref", ""),
            created_at=data.get("created_at"),
            started_at=data.get("started_at"),
            finished_at=data.get("finished_at"),
            duration=data.get("duration"),
            user=(data.get("user") or {}).get("username", ""),
            failure_reason=data.get("failure_reason") or "",
            web_url=data.get("web_url", ""),
        )


@dataclass
class Pipeline:
    """One pipeline of an environment's branch: status, who started it, how long it took, its jobs."""

    id: int
    iid: int
    ref: str
    sha: str
    status: str
    source: str
    created_at: str | None = None
    updated_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    duration: float | None = None
    user: str = ""
    user_name: str = ""
    web_url: str = ""
    environment: str = ""
    jobs: list[Job] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        """True once the pipeline will not change any more."""
        return self.status in FINISHED

    @classmethod
    def from_gitlab(cls, data: dict[str, Any], environment: str = "") -> Pipeline:
        """From GitLab's pipeline entity (basic or detailed)."""
        user = data.get("user") or {}
        return cls(
            id=data["id"],
            iid=data.get("iid", 0),
            ref=data.get("ref", ""),
            sha=data.get("sha", ""),
            status=data.get("status", ""),
            source=data.get("source") or "",
            created_at=data.get("created_at"),
            updated_at=data.get("updated_at"),
            started_at=data.get("started_at"),
            finished_at=data.get("finished_at"),
            duration=data.get("duration"),
            user=user.get("username", ""),
            user_name=user.get("name", ""),
            web_url=data.get("web_url", ""),
            environment=environment,
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (snake_case, jobs included)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pipeline:
        """Back from `to_json` (the DataOps service's answer)."""
        jobs = [Job(**job) for job in data.get("jobs") or []]
        return cls(**{**data, "jobs": jobs})


@dataclass
class TestReportSummary:
    """Counts of the JUnit reports the pipeline's jobs published."""

    __test__ = False  # not a pytest class

    total: int
    success: int
    failed: int
    skipped: int
    error: int
    time: float
    suites: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_gitlab(cls, data: dict[str, Any]) -> TestReportSummary:
        """From GitLab's test report summary."""
        total = data.get("total") or {}
        suites = [
            {
                "name": s.get("name", ""),
                "total": s.get("total_count", 0),
                "success": s.get("success_count", 0),
                "failed": s.get("failed_count", 0),
                "skipped": s.get("skipped_count", 0),
                "error": s.get("error_count", 0),
                "time": s.get("total_time", 0),
                "job_ids": s.get("build_ids", []),
                "suite_error": s.get("suite_error"),
            }
            for s in data.get("test_suites") or []
        ]
        return cls(
            total=total.get("count", 0),
            success=total.get("success", 0),
            failed=total.get("failed", 0),
            skipped=total.get("skipped", 0),
            error=total.get("error", 0),
            time=total.get("time", 0),
            suites=suites,
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)
