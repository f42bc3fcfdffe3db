"""``dataops worker`` (serve the steps of a folder to the engine until stopped) and
``dataops workflows prune-logs`` (apply the log retention now)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from dataops.errors import ConfigError
from dataops.metadata.processes import ProcessConfigs
from dataops.redaction import attach_filter, public_url
from dataops.settings import resolve
from dataops.workflows.follow import FollowedSteps
from dataops.workflows.logs import open_log_store
from dataops.workflows.steps import StepsFolder
from dataops.workflows.worker import Worker


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``worker`` sub-command."""
    p = subparsers.add_parser(
        "worker",
        help="run Python steps for the workflow engine",
        description="Run the steps of a folder for the engine, recording their logs.",
    )
    p.add_argument("--steps", help="folder of step modules (default: [workflows] steps_dir)")
    p.add_argument(
        "--follow",
        metavar="REMOTE",
        help="serve the steps of a branch of this git remote, fetched between tasks "
        "(default: [workflows.follow] remote)",
    )
    p.add_argument("--branch", help="the branch --follow serves, e.g. deploy/dev ([workflows.follow] branch)")
    p.add_argument(
        "--follow-path", help="the steps folder inside that branch (default: steps; [workflows.follow] path)"
    )
    p.add_argument("--engine-url", help="engine REST base URL (default: [workflows] engine_url)")
    p.add_argument("--log-dir", help="run log folder (default: [workflows] log_dir)")
    p.add_argument("--worker-id", help="id the engine knows this worker by (default: host-pid)")
    p.add_argument("--max-tasks", type=int, help="stop after handling this many tasks")
    p.add_argument("--lock-duration", type=float, help="seconds a task stays locked between extensions")
    p.add_argument("--long-poll", type=float, help="seconds to wait for work per request")
    p.add_argument("--retries", type=int, help="retries after a failure before an incident")
    p.add_argument("--retry-timeout", type=float, help="seconds between retries")
    p.add_argument("--shutdown-grace", type=float, help="seconds a running step may take to finish on stop")
    p.set_defaults(func=run_worker)

    wf = subparsers.add_parser("workflows", help="maintain the workflow run logs")
    wf_sub = wf.add_subparsers(dest="workflows_command")
    wf.set_defaults(func=lambda _args: wf.print_help() or 2)
    prune = wf_sub.add_parser(
        "prune-logs",
        help="delete the logs of runs that ended longer ago than the retention",
        description="Delete the logs of runs that ended more than [workflows] log_retention_days ago "
        "(never a running run's) and give the space back to the disk.",
    )
    prune.add_argument(
        "--days", type=float, help="retention in days (default: [workflows] log_retention_days)"
    )
    prune.add_argument("--log-dir", help="run log folder (default: [workflows] log_dir)")
    prune.add_argument("--engine-url", help="engine REST base URL (default: [workflows] engine_url)")
    prune.set_defaults(func=run_prune_logs)


def deployment_folder(steps: Path) -> Path:
    """The folder whose ``processes/`` holds the process configurations: the steps folder when it
    has one, else its parent (``/srv/deploy/prod/steps`` → ``/srv/deploy/prod``)."""
    return steps if (steps / "processes").is_dir() else steps.parent


def run_worker(args: argparse.Namespace) -> int:
    """Build the worker from configuration and arguments and serve until SIGTERM/SIGINT."""
    from dataops.workflows.api import engine

    cfg = resolve(
        {
            "workflows.engine_url": args.engine_url,
            "workflows.log_dir": args.log_dir,
            "workflows.steps_dir": args.steps,
            "workflows.follow.remote": args.follow,
            "workflows.follow.branch": args.branch,
            "workflows.follow.path": args.follow_path,
            "workflows.worker.lock_duration_s": args.lock_duration,
            "workflows.worker.long_poll_s": args.long_poll,
            "workflows.worker.retries": args.retries,
            "workflows.worker.retry_timeout_s": args.retry_timeout,
            "workflows.worker.shutdown_grace_s": args.shutdown_grace,
        }
    ).workflows
    if not cfg.engine_url:
        raise ConfigError(
            "The worker needs the engine's URL: set [workflows] engine_url or pass --engine-url."
        )
    if args.follow and args.steps:
        raise ConfigError("Pass either --steps (a folder) or --follow (a branch of a remote), not both.")
    if not cfg.steps_dir and not cfg.follow.configured:
        raise ConfigError(
            "The worker needs steps: set [workflows] steps_dir or pass --steps, or follow a branch with "
            "--follow REMOTE --branch BRANCH ([workflows.follow])."
        )
    # httpx logs every request's URL; the root logger carries what steps and libraries log
    attach_filter(logging.getLogger(), "httpx", "httpcore")
    steps: StepsFolder | FollowedSteps
    if cfg.follow.configured and not args.steps:
        steps = FollowedSteps(cfg.follow, cfg.topics)
        print(f"dataops worker: following {steps.where}", file=sys.__stderr__)
    else:
        steps = StepsFolder(cfg.steps_dir, cfg.topics)
    worker = Worker(
        engine(cfg),
        open_log_store(cfg.log_location),
        steps,
        cfg.worker,
        worker_id=args.worker_id,
        log_retention_days=cfg.log_retention_days,
        processes=ProcessConfigs(
            (lambda: steps.deployment_root)
            if isinstance(steps, FollowedSteps)
            else deployment_folder(steps.path)
        ),
    )

    def stop(signum: int, _frame: object) -> None:
        if worker.stop_event.is_set():
            return
        print(f"dataops worker {worker.worker_id}: stopping after the current task", file=sys.__stderr__)
        worker.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"dataops worker {worker.worker_id}: engine {public_url(cfg.engine_url)}", file=sys.__stderr__)
    worker.run(max_tasks=args.max_tasks)
    worker.engine.close()
    print(f"dataops worker {worker.worker_id}: stopped", file=sys.__stderr__, flush=True)
    return 0


def run_prune_logs(args: argparse.Namespace) -> int:
    """Prune the run log store once and say what was done."""
    from dataops.workflows.api import engine
    from dataops.workflows.retention import prune_logs

    cfg = resolve({"workflows.engine_url": args.engine_url, "workflows.log_dir": args.log_dir}).workflows
    days = cfg.log_retention_days if args.days is None else args.days
    if days <= 0:
        raise ConfigError(
            "Log retention is off ([workflows] log_retention_days = 0); pass --days N to prune anyway."
        )
    client = engine(cfg) if cfg.engine_url else None
    try:
        report = prune_logs(open_log_store(cfg.log_location), days, client)
    finally:
        if client is not None:
            client.close()
    print(f"dataops workflows prune-logs: {report.summary()}")
    return 0
