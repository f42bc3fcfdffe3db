"""The GitLab of the Deploy UI tests: the suite's spec-checked GitLab fake on a fixed port.

It runs ``tests/fakes/gitlab`` (stateful, backed by real bare git repositories, every request and
answer validated against GitLab's OpenAPI subset in ``../shared/gitlab-openapi``) with:

- user ``ana`` (the token written to ``--token-file``, mode 0600), Developer of ``stats/deployment``;
- branches ``deploy/dev`` (open) and ``deploy/prod`` (protected: Maintainers only);
- CI: a push to ``deploy/*`` or **Run pipeline** starts ``regression`` (its coloured log grows one
  line every ``--interval`` seconds, then it publishes a real ``dataops run`` JUnit report) and
  ``publish-processes``; one pipeline has already run on ``deploy/dev``, and another whose one job,
  ``long-log``, wrote a log of 200,000 lines (the job view must stay smooth with it).

Usage: ``python ui-tests/setup/deploy_gitlab.py --port 18795 --workdir DIR --token-file FILE``.
Prints ``ready <url>`` (exits 3 when the port is taken); on SIGTERM prints ``violations <json>`` (requests or answers outside the
spec) and exits 1 if there were any.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dataops.pipelines.junit import junit_xml  # noqa: E402
from dataops.pipelines.runner import FAILED, PASSED, NotebookResult, RunReport  # noqa: E402
from tests.fakes.gitlab.ci_model import JobPlan, configure_ci, create_pipeline  # noqa: E402
from tests.fakes.gitlab.server import GitLabFake  # noqa: E402
from tests.fakes.gitlab.spec import SPEC_PATH, Spec  # noqa: E402
from tests.fakes.gitlab.state import DEVELOPER  # noqa: E402

PORT_TAKEN = 3
TOKEN_PREFIX = "glpat-"  # noqa: S105 (a token prefix, not a token)

GREEN, RED, BOLD, CYAN, RESET = "\x1b[32m", "\x1b[31m", "\x1b[1m", "\x1b[36m", "\x1b[0m"
NOTEBOOKS = [f"notebooks/{name}.ipynb" for name in ("load", "nowcast", "revisions", "publish")]


def regression_log() -> list[str]:
    """The regression job's log, one chunk per line, with GitLab's markers and ANSI colours."""
    lines = [
        "\x1b[0KRunning with gitlab-runner 17.5.0 (fake)\n",
        "section_start:1764151200:step_script\r\x1b[0K"
        f"{CYAN}{BOLD}$ dataops run --list notebooks/regression.txt --junit report.xml{RESET}\n",
    ]
    for i, nb in enumerate(NOTEBOOKS):
        lines.append(f"Executing {nb} …\n")
        verdict = f"{RED}FAILED{RESET}" if i == 2 else f"{GREEN}PASSED{RESET}"
        lines.append(f"{verdict}   {nb}  ({1.2 + i:.2f} s)\n")
    lines.append(f"{BOLD}Prüfung abgeschlossen — {len(NOTEBOOKS)} notebooks: 3 passed, 1 failed{RESET}\n")
    lines.append("section_end:1764151230:step_script\r\x1b[0K\n")
    return lines


LONG_LOG_LINES = 200_000


def long_log() -> list[str]:
    """The ``long-log`` job's log in one chunk: 200,000 numbered lines, every 1000th in colour."""
    lines = []
    for i in range(1, LONG_LOG_LINES + 1):
        text = f"line {i:06d} of {LONG_LOG_LINES}: checked block {i % 997}"
        lines.append(f"{GREEN}{text}{RESET}\n" if i % 1000 == 0 else text + "\n")
    return ["".join(lines)]


def regression_junit() -> bytes:
    """A real `dataops run` JUnit report: three notebooks passed, one failed in cell 4."""
    results = [
        NotebookResult(nb, f"executed/{nb}", FAILED if i == 2 else PASSED, 1.2 + i)
        for i, nb in enumerate(NOTEBOOKS)
    ]
    results[2].cell = 4
    results[2].error = "ValueError: revision window is empty"
    return junit_xml(RunReport(results))


def start(port: int, workdir: Path, token: str, interval: float) -> GitLabFake:
    """The fake, its project, CI definition and first pipeline, listening on ``port``."""
    try:
        fake = GitLabFake(workdir / "gitlab", Spec(SPEC_PATH), port=port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"port {port} is taken (another UI test run's fake?)", file=sys.stderr, flush=True)
            sys.exit(PORT_TAKEN)
        raise
    state = fake.state
    ana = state.add_user("ana", token, "Ana Analyst")
    project = state.add_project("stats/deployment")
    project.members[ana.id] = DEVELOPER
    head = state.head(project, "main")
    for branch in ("deploy/dev", "deploy/prod"):
        state.move_branch(project, branch, head, None)
    state.protect(project, "deploy/prod")
    configure_ci(
        state,
        project,
        [
            JobPlan(
                "regression", "regression", regression_log(), interval=interval, junit=regression_junit()
            ),
            JobPlan("publish-processes", "deploy", ["published processes/monthly.bpmn\n"], interval=interval),
        ],
    )
    create_pipeline(state, project, "deploy/dev", head, None, "push", ana, {})
    long_job = JobPlan("long-log", "test", long_log(), interval=0.01)
    create_pipeline(state, project, "deploy/dev", head, None, "web", ana, {}, plans=[long_job])
    return fake


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18795)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--token-file", type=Path, required=True)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between two log lines")
    args = parser.parse_args()
    token = TOKEN_PREFIX + os.urandom(12).hex()
    fake = start(args.port, args.workdir, token, args.interval)
    # written once the port is ours, so a run that lost the port keeps the other run's token
    args.token_file.parent.mkdir(parents=True, exist_ok=True)
    args.token_file.write_text(token + "\n")
    args.token_file.chmod(0o600)

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    print(f"ready {fake.url}", flush=True)
    while not stopping.wait(0.5):
        pass
    fake.stop()
    violations = fake.state.violations
    print(f"violations {json.dumps(violations)}", flush=True)
    sys.exit(1 if violations else 0)


if __name__ == "__main__":
    main()
