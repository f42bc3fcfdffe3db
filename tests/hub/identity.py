"""A hub that keeps each user's GitLab token in ``auth_state``, as GitLab's OAuthenticator does, and a
DataOps service whose GitLab environment commits with that token (``gitlab_identity = "user"``).

The authenticator is a stand-in written into the hub's configuration: it checks the shared test
password and returns the user's GitLab token from a table instead of asking GitLab (no network).
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import re
import secrets
import textwrap
from pathlib import Path

import httpx

from tests.fakes.gitlab.server import GitLabFake
from tests.fakes.gitlab.state import DEVELOPER
from tests.hub import environment as env
from tests.hub import promotion_setup
from tests.hub.hub import SERVICE, Hub

PROJECT = "stats/deployment"
# The GitLab account (and its token) of each hub user who signs in with one; analyst signs in without.
GITLAB_ACCOUNTS = {"releaser": ("releaser-gitlab-token", "Rita Releaser")}


class IdentityHub(Hub):
    """A second hub next to the session's: its own pid file, so neither stops the other."""

    @property
    def _pid_file(self) -> Path:
        key = hashlib.sha256(f"{env.REPO}:gitlab-identity".encode()).hexdigest()[:12]
        return env.ROOT / f"hub-{key}.pid"

    def login(self, user: str) -> httpx.Response:
        """Sign ``user`` in through the hub's login form (the authenticator stores their auth_state)."""
        with httpx.Client(base_url=f"{self.url}/hub/", timeout=60) as browser:
            page = browser.get("login")
            xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
            form = {"username": user, "password": self.password, "_xsrf": xsrf.group(1) if xsrf else ""}
            return browser.post("login", data=form)


def start_gitlab(root: Path, spec_path: Path) -> GitLabFake:
    """The GitLab fake of `promotion_setup` plus a GitLab account for each of ``GITLAB_ACCOUNTS``."""
    fake = promotion_setup.start_gitlab(root, spec_path)
    project = fake.state.project(PROJECT)
    for user, (token, name) in GITLAB_ACCOUNTS.items():
        project.members[fake.state.add_user(user, token, name).id] = DEVELOPER
    return fake


def write_service_config(gitlab_url: str) -> Path:
    """The service's policy for this hub: ``ci-dev`` on the GitLab project, open to every hub user,
    committing as the user; its own file and audit trail, next to the session hub's."""
    account = pwd.getpwnam(env.SERVICE_ACCOUNT)
    folder = env.SECRETS.parent
    config, audit = folder / "config-gitlab-identity.toml", folder / "audit-gitlab-identity.jsonl"
    config.write_text(
        textwrap.dedent(
            f"""\
            [promotion]
            audit_log = "{audit}"
            gitlab_url = "{gitlab_url}"
            gitlab_identity = "user"

            [[promotion.environments]]
            id = "ci-dev"
            branch = "main"
            gitlab_project = "{PROJECT}"
            """
        )
    )
    os.chown(config, account.pw_uid, account.pw_gid)
    config.chmod(0o600)
    return config


def extra_config(config: Path) -> str:
    """Hub configuration: the auth_state authenticator, a crypt key, the service's policy file and
    the ``admin:auth_state`` scope the service reads a caller's GitLab token with."""
    tokens = {user: token for user, (token, _) in GITLAB_ACCOUNTS.items()}
    return textwrap.dedent(
        f"""\
        import os
        from jupyterhub.auth import Authenticator

        # auth_state is kept encrypted with this key; without one the hub refuses enable_auth_state.
        os.environ["JUPYTERHUB_CRYPT_KEY"] = "{secrets.token_hex(32)}"
        GITLAB_TOKENS = json.loads({json.dumps(json.dumps(tokens))})


        class GitLabStandIn(Authenticator):
            \"\"\"Signs users in as GitLab's OAuthenticator would: the access token in auth_state.\"\"\"

            async def authenticate(self, handler, data):
                if data.get("password") != s["password"]:
                    return None
                name = data["username"]
                token = GITLAB_TOKENS.get(name)
                return {{"name": name, "auth_state": {{"access_token": token}} if token else {{}}}}


        c.JupyterHub.authenticator_class = GitLabStandIn
        c.Authenticator.enable_auth_state = True
        for _service in c.JupyterHub.services:
            if _service["name"] == "{SERVICE}":
                _service["environment"]["DATAOPS_SERVICE_CONFIG"] = "{config}"
        for _role in c.JupyterHub.load_roles:
            if _role["name"] == "dataops-service":
                _role["scopes"].append("admin:auth_state")
        """
    )
