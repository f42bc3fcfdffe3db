"""What the hub's promotion tests need: deployment remotes, the service's configuration, hub config.

The service reads its policy from ``SERVICE_CONFIG`` (in the service's own mode-700 folder, next to
its secrets) and writes its audit trail there too: users can read neither.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from tests.fakes.git_http import GitHttpServer, make_bare_repo
from tests.fakes.gitlab.ci_model import JobPlan, configure_ci
from tests.fakes.gitlab.server import GitLabFake
from tests.fakes.gitlab.spec import Spec
from tests.fakes.gitlab.state import MAINTAINER
from tests.hub import environment as env

SERVICE_CONFIG = env.SECRETS.parent / "config.toml"
AUDIT_LOG = env.SECRETS.parent / "promotion-audit.jsonl"

# Appended to the test hub's jupyterhub_config.py (``c`` and ``s`` are defined there).
EXTRA_CONFIG = f"""
c.JupyterHub.services[1]["environment"]["DATAOPS_SERVICE_CONFIG"] = {str(SERVICE_CONFIG)!r}
c.Spawner.environment = {{"DATAOPS_SERVICE_URL": f"http://127.0.0.1:{{s['port']}}/services/dataops/"}}
"""


def start_remotes(root: Path) -> GitHttpServer:
    """``dev.git`` and ``prod.git`` (branch ``main``) served over smart HTTP."""
    for name in ("dev", "prod"):
        make_bare_repo(root, name, branch="main")
    return GitHttpServer(root)


# The token in the service's secrets file (tests/hub/environment.py writes it): the fake's bot user.
SERVICE_GITLAB_TOKEN = "hub-test-service-token"  # noqa: S105 (a test stand-in)
CI_LOG = "$ dataops run --list notebooks/regression.txt\nPASSED   notebooks/a.ipynb\n"


def start_gitlab(root: Path, spec_path: Path) -> GitLabFake:
    """The GitLab fake with ``stats/deployment`` (branch deploy/prod, one CI job) and the service's bot."""
    fake = GitLabFake(root, Spec(spec_path))
    state = fake.state
    bot = state.add_user("dataops-bot", SERVICE_GITLAB_TOKEN, "DataOps service")
    project = state.add_project("stats/deployment")
    project.members[bot.id] = MAINTAINER
    state.move_branch(project, "deploy/prod", state.head(project, "main"), None)
    configure_ci(state, project, [JobPlan("regression", "test", [CI_LOG], interval=0.2)])
    return fake


def write_service_config(remotes_url: str, gitlab_url: str) -> Path:
    """The administrator's configuration the service starts with: dev open, prod and ci-prod for
    release-managers."""
    SERVICE_CONFIG.write_text(
        f"""# written by tests/hub: the DataOps service's policy
[promotion]
audit_log = "{AUDIT_LOG}"
gitlab_url = "{gitlab_url}"

[[promotion.environments]]
id = "dev"
branch = "main"
remote = "{remotes_url}/dev.git"

[[promotion.environments]]
id = "prod"
branch = "main"
remote = "{remotes_url}/prod.git"
allowed_groups = ["release-managers"]

[[promotion.environments]]
id = "ci-prod"
branch = "deploy/prod"
gitlab_project = "stats/deployment"
allowed_groups = ["release-managers"]
"""
    )
    account = pwd.getpwnam(env.SERVICE_ACCOUNT)
    os.chown(SERVICE_CONFIG, account.pw_uid, account.pw_gid)
    SERVICE_CONFIG.chmod(0o600)
    return SERVICE_CONFIG
