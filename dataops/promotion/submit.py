"""Submit a reviewed plan: refuse on secrets, land atomically, and write the audit record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from dataops.errors import DataOpsError, InvalidInput, InvalidMetadata, SecretsFound
from dataops.promotion.audit import AuditTrail, CommitRecord, FileAuditTrail
from dataops.promotion.plan import Plan
from dataops.promotion.targets import Change, Target


@dataclass
class Promotion:
    """A promotion that landed: the commit and, for protected environments, the merge request."""

    plan_id: str
    environment: str
    branch: str
    commit_sha: str
    commit_url: str
    files: list[str]
    user: str
    merge_request: dict[str, Any] | None = None
    audit: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def submit(plan: Plan, target: Target, audit_log: Path | AuditTrail, message: str = "") -> Promotion:
    """Land ``plan`` on its environment's branch (or promotion branch + merge request) and record the
    attempt in the audit trail ``audit_log`` (a file path or a trail): a landed commit together with
    its audit record."""
    trail = audit_log if isinstance(audit_log, AuditTrail) else FileAuditTrail(audit_log)
    message = (message or plan.default_message).strip()
    record = {
        "user": plan.user.username,
        "user_name": plan.user.name,
        "environment": plan.environment.id,
        "branch": plan.environment.branch,
        "base_commit": plan.base_commit,
        "files": [f.destination for f in plan.files],
        "scan": {"clean": plan.scan.clean, "findings": [f.sentence for f in plan.scan.findings]},
        "plan_id": plan.id,
        "source": plan.source,
        "commit_message": message,
    }
    if not plan.scan.clean:
        trail.append({**record, "outcome": "blocked_by_secrets"})
        lines = "; ".join(f.sentence for f in plan.scan.findings)
        raise SecretsFound(
            f"Promotion blocked: {len(plan.scan.findings)} possible secret(s) found ({lines}). "
            "Remove them from the files (and clear the outputs that show them), then review again.",
            details=plan.scan.to_json()["findings"],
        )
    if plan.metadata_problems:
        trail.append(
            {**record, "outcome": "blocked_by_metadata", "message": " ".join(plan.metadata_problems)}
        )
        raise InvalidMetadata(
            "Promotion refused: it breaks the metadata rules (dataops metadata check): "
            + " ".join(plan.metadata_problems),
            details={"problems": plan.metadata_problems},
        )
    if not plan.changed and plan.mode == "commit":
        raise InvalidInput(f"Nothing to promote: {plan.environment.branch} already has exactly these files.")
    if not message:
        raise InvalidInput("A promotion needs a commit message.")
    user = plan.user
    change = Change(
        branch=plan.environment.branch,
        base_commit=plan.base_commit,
        files={f.destination: f.content for f in plan.files},
        last_commit_ids={f.destination: f.last_commit_id for f in plan.files},
        message=message,
        author_name=user.name or user.username,
        author_email=user.email or f"{user.username}@users.noreply",
        review_branch=plan.review_branch,
        title=message.splitlines()[0],
    )
    attempt = trail.begin(record)  # on PostgreSQL, open until its outcome is recorded
    try:
        landing = target.land(change)
    except DataOpsError as exc:
        trail.fail(attempt, {**record, "outcome": exc.code, "message": exc.message})
        raise
    commit = CommitRecord(
        commit_sha=landing.commit_sha,
        environment=plan.environment.id,
        branch=landing.branch,
        commit_url=landing.commit_url,
        merge_request=(landing.merge_request or {}).get("web_url"),
    )
    with trail.landing(record, commit, attempt) as recorded:
        pass
    entry = recorded.record
    return Promotion(
        plan.id,
        plan.environment.id,
        landing.branch,
        landing.commit_sha,
        landing.commit_url,
        [f.destination for f in plan.files],
        user.username,
        landing.merge_request,
        entry,
    )
