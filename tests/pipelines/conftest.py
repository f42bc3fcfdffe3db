"""Fixtures for the pipeline tests: the GitLab fake with a deployment project whose CI runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from dataops.pipelines.junit import junit_xml
from dataops.pipelines.runner import FAILED, PASSED, NotebookResult, RunReport
from tests.fakes.gitlab.ci_model import JobPlan, configure_ci
from tests.fakes.gitlab.fixtures import gitlab_fake, gitlab_spec  # noqa: F401
from tests.fakes.gitlab.state import DEVELOPER, REPORTER

TOKEN = "glpat-alice-secret-token"


def regression_junit() -> bytes:
    """A real `dataops run` JUnit report: two notebooks passed, one failed."""
    report = RunReport(
        [
            NotebookResult("notebooks/a.ipynb", "executed/notebooks/a.ipynb", PASSED, 1.5),
            NotebookResult("notebooks/b.ipynb", "executed/notebooks/b.ipynb", PASSED, 2.0),
            NotebookResult(
                "notebooks/c.ipynb", "executed/notebooks/c.ipynb", FAILED, 0.5, cell=2, error="ValueError: x"
            ),
        ]
    )
    return junit_xml(report)


REGRESSION_LOG = [
    "\x1b[0KRunning with gitlab-runner 17.5.0\n",
    "$ dataops run --list notebooks/regression.txt --junit report.xml\n",
    "PASSED   notebooks/a.ipynb  (1.50 s)\n",
    "PASSED   notebooks/b.ipynb  (2.00 s)\n",
    "Prüfung abgeschlossen — 2 notebook(s): 2 passed\n",  # non-ASCII: offsets are bytes
]


@dataclass
class CIProject:
    """The fake GitLab, a deployment project with deploy/test and deploy/prod, and its users."""

    fake: object
    project: object
    url: str
    token: str = TOKEN

    @property
    def state(self):
        return self.fake.state


@pytest.fixture
def ci_project(gitlab_fake) -> CIProject:  # noqa: F811
    state = gitlab_fake.state
    alice = state.add_user("alice", TOKEN, "Alice Analyst")
    viewer = state.add_user("victor", "glpat-victor", "Victor Viewer")
    project = state.add_project("stats/deployment")
    project.members[alice.id] = DEVELOPER
    project.members[viewer.id] = REPORTER
    head = state.head(project, "main")
    for branch in ("deploy/test", "deploy/prod"):
        state.move_branch(project, branch, head, None)
    configure_ci(
        state,
        project,
        [
            JobPlan("regression", "regression", REGRESSION_LOG, interval=0.3, junit=regression_junit()),
            JobPlan("publish-processes", "deploy", ["published processes/monthly.bpmn\n"], interval=0.2),
        ],
    )
    return CIProject(gitlab_fake, project, gitlab_fake.url)


@pytest.fixture
def ci_config(dataops_config: Path, ci_project: CIProject, monkeypatch) -> CIProject:
    """The dataops configuration naming the fake's project for test and prod, and the token."""
    dataops_config.write_text(
        f"""
[promotion]
gitlab_url = "{ci_project.url}"

[[promotion.environments]]
id = "test"
branch = "deploy/test"
gitlab_project = "stats/deployment"

[[promotion.environments]]
id = "prod"
branch = "deploy/prod"
gitlab_project = "stats/deployment"
protected = true

[[promotion.environments]]
id = "dev"
branch = "deploy/dev"
remote = "https://git.example.org/deploy.git"
"""
    )
    monkeypatch.setenv("DATAOPS_GITLAB_TOKEN", TOKEN)
    return ci_project
