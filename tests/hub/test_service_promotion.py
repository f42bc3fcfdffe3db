"""Through a real JupyterHub: promotion is decided and carried out by the DataOps service.

``analyst`` fails to promote to ``prod`` by every route a user controls; ``releaser`` (hub group
release-managers) succeeds and the service's audit trail names them. The service reaches the
deployment remotes (git over smart HTTP on 127.0.0.1) with its own configuration only.
"""

from __future__ import annotations

import json
import os
import pwd
import time
from pathlib import Path

import httpx
import pytest

from dataops.promotion.inputs import PlanInput
from tests.fakes.git_http import git
from tests.hub import environment as env
from tests.hub import promotion_setup
from tests.hub.hub import free_ports
from tests.hub.kernel import KernelError

pytestmark = pytest.mark.timeout(900)

REFUSED = "Forbidden: Only members of release-managers may promote to prod; analyst may not."


def notebook(name: str) -> str:
    """Kernel code writing a small notebook ``name`` into the server's folder."""
    return f"""
import nbformat, pathlib
nb = nbformat.v4.new_notebook()
nb.cells.append(nbformat.v4.new_code_cell("total = 41 + 1"))
pathlib.Path({name!r}).write_text(nbformat.writes(nb))
"""


def head(remotes, name: str) -> str:
    return git(remotes.root / f"{name}.git", "rev-parse", "main")


def promote_in_kernel(hub, user: str, name: str, env_id: str, before: str = "", args: str = "") -> str:
    """Run ``dataops.promote`` of a new notebook in ``user``'s kernel (``before`` runs first); the
    printed ``user environment commit_sha`` of the promotion."""
    code = (
        notebook(name)
        + before
        + f"""
import dataops
done = dataops.promote({name!r}, {env_id!r}, "Promote {name}"{args})
print(done.user, done.environment, done.commit_sha)
"""
    )
    return hub.run_in_kernel(user, code)


def test_analysts_own_config_file_opening_prod_changes_nothing(hub, deploy_remotes):
    home = pwd.getpwnam("analyst")
    config = Path(home.pw_dir) / ".config" / "dataops" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[[promotion.environments]]\nid = "prod"\nbranch = "main"\nremote = "{deploy_remotes.url}/prod.git"\n'
        'allowed_users = ["analyst"]\nallowed_groups = []\n'
    )
    for path in (config.parent.parent, config.parent, config):
        os.chown(path, home.pw_uid, home.pw_gid)
    before = head(deploy_remotes, "prod")
    try:
        with pytest.raises(KernelError) as refused:
            promote_in_kernel(hub, "analyst", "own-config.ipynb", "prod")
    finally:
        config.unlink()
    assert str(refused.value) == REFUSED
    assert head(deploy_remotes, "prod") == before


def test_a_kernel_whose_environment_says_releaser_is_still_analyst(hub, deploy_remotes):
    claim = 'import os\nos.environ["JUPYTERHUB_USER"] = "releaser"\nos.environ["USER"] = "releaser"\n'
    before = head(deploy_remotes, "prod")
    with pytest.raises(KernelError) as refused:
        promote_in_kernel(hub, "analyst", "claim-env.ipynb", "prod", before=claim)
    assert str(refused.value) == REFUSED
    assert head(deploy_remotes, "prod") == before


def test_a_forged_identity_argument_decides_nothing(hub, deploy_remotes):
    forged = "from dataops.promotion.access import Identity\n"
    before = head(deploy_remotes, "prod")
    with pytest.raises(KernelError) as refused:
        promote_in_kernel(
            hub,
            "analyst",
            "claim-arg.ipynb",
            "prod",
            before=forged,
            args=", user=Identity('releaser', ('release-managers',))",
        )
    assert str(refused.value) == REFUSED
    assert head(deploy_remotes, "prod") == before


def test_a_forged_user_field_sent_to_the_service_is_ignored(hub, deploy_remotes):
    given = PlanInput("forged.py", {"forged.py": b"print('hello')\n"})
    body = {
        "environment": "prod",
        "user": "releaser",
        "groups": ["release-managers"],
        "input": given.to_json(),
    }
    status, answer = hub.call_service_as(
        "analyst",
        "api/promotion/plans?user=releaser",
        method="POST",
        body=body,
        headers={"X-Forwarded-User": "releaser"},
        extra_env={"JUPYTERHUB_USER": "releaser"},
    )
    assert status == 403
    assert answer["message"] == REFUSED.removeprefix("Forbidden: ")


def test_analyst_cannot_read_the_services_credentials_configuration_or_audit_trail(hub):
    paths = [env.SECRETS, promotion_setup.SERVICE_CONFIG, promotion_setup.AUDIT_LOG]
    code = f"""
import json
out = []
for path in {[str(p) for p in paths]!r}:
    try:
        open(path).read()
        out.append("read")
    except PermissionError as exc:
        out.append(exc.strerror)
print(json.dumps(out))
"""
    assert json.loads(hub.run_in_kernel("analyst", code)) == ["Permission denied"] * 3


def test_releaser_promotes_to_prod_and_the_audit_trail_names_releaser(hub, deploy_remotes):
    before = head(deploy_remotes, "prod")
    user, environment, sha = promote_in_kernel(hub, "releaser", "release.ipynb", "prod").split()
    assert (user, environment) == ("releaser", "prod")
    assert head(deploy_remotes, "prod") == sha != before
    files = git(deploy_remotes.root / "prod.git", "ls-tree", "-r", "--name-only", "main").splitlines()
    assert {"notebooks/release.ipynb", "notebooks/release.py"} <= set(files)
    record = json.loads(promotion_setup.AUDIT_LOG.read_text().splitlines()[-1])
    assert (record["user"], record["environment"], record["outcome"]) == ("releaser", "prod", "landed")
    assert record["commit_sha"] == sha
    # The history is the service's, filtered by the caller's rights.
    code = "import dataops\nprint(list(dataops.promotions(pipelines=False)['author'].unique()))"
    assert "releaser" in hub.run_in_kernel("releaser", code)
    assert hub.run_in_kernel("analyst", "import dataops\nprint(len(dataops.promotions('dev')))").strip()
    with pytest.raises(KernelError, match="may see the promotions to prod|may not"):
        hub.run_in_kernel("analyst", "import dataops\ndataops.promotions('prod')")


def test_the_promote_dialog_of_analysts_server_goes_through_the_service(hub, deploy_remotes):
    base = f"{hub.url}/user/analyst/dataops/api/"
    headers = {"Authorization": f"token {hub.token('analyst')}"}
    hub.run_in_kernel("analyst", notebook("panel.ipynb"))
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        status = client.get("status").json()
        assert status["rights"]["mode"] == "hub"
        envs = {e["id"]: e for e in client.get("promotion/environments").json()["environments"]}
        assert envs["prod"]["may_promote"] is False
        assert envs["prod"]["reason"] == REFUSED.removeprefix("Forbidden: ")
        assert envs["dev"]["may_promote"] is True
        # the Deploy panel asks only for the histories the service says the user may see
        assert (envs["prod"]["may_see_history"], envs["dev"]["may_see_history"]) == (False, True)
        refused = client.post("promotion/plans", json={"path": "panel.ipynb", "environment": "prod"})
        assert refused.status_code == 403
        assert refused.json()["message"] == REFUSED.removeprefix("Forbidden: ")
        plan = client.post("promotion/plans", json={"path": "panel.ipynb", "environment": "dev"})
        assert plan.status_code == 200, plan.text
        assert plan.json()["user"] == "analyst"
        landed = client.post(
            f"promotion/plans/{plan.json()['plan_id']}/submit", json={"message": "from the panel"}
        )
        assert landed.status_code == 201, landed.text
    assert head(deploy_remotes, "dev") == landed.json()["commit_sha"]
    assert git(deploy_remotes.root / "dev.git", "log", "-1", "--format=%an", "main") == "analyst"


def test_a_service_that_does_not_answer_gives_the_sentence_and_no_commit(hub, deploy_remotes):
    (port,) = free_ports(1)
    dead = f"http://127.0.0.1:{port}/services/dataops/"
    before = head(deploy_remotes, "dev")
    switch = f'import os\nos.environ["DATAOPS_SERVICE_URL"] = {dead!r}\n'
    with pytest.raises(KernelError) as down:
        promote_in_kernel(hub, "analyst", "down.ipynb", "dev", before=switch)
    assert str(down.value).startswith(f"ServiceUnreachable: the DataOps service at {dead} does not answer")
    assert head(deploy_remotes, "dev") == before


def test_a_stopped_service_gives_the_sentence_in_python_and_the_panel_and_no_commit(hub, deploy_remotes):
    """The service is killed and kept down (a credentials file others could read makes it refuse to
    start again) while analyst promotes; afterwards the hub starts it again."""
    before = head(deploy_remotes, "dev")
    hub.run_in_kernel("analyst", notebook("stopped.ipynb"))
    env.SECRETS.chmod(0o644)
    try:
        hub.service_process().kill()
        deadline = time.monotonic() + 30
        while httpx.get(hub.service_url + "api/health").status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        with pytest.raises(KernelError) as down:
            promote_in_kernel(hub, "analyst", "stopped.ipynb", "dev")
        assert str(down.value).startswith(
            f"ServiceUnreachable: the DataOps service at {hub.service_url} does not answer"
        )
        reply = httpx.post(
            f"{hub.url}/user/analyst/dataops/api/promotion/plans",
            headers={"Authorization": f"token {hub.token('analyst')}"},
            json={"path": "stopped.ipynb", "environment": "dev"},
            timeout=60,
        )
        assert reply.status_code == 503
        assert reply.json()["error"] == "service_unreachable"
        assert reply.json()["message"].startswith(f"the DataOps service at {hub.service_url} does not answer")
    finally:
        env.SECRETS.chmod(0o600)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(hub.service_url + "api/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
    assert head(deploy_remotes, "dev") == before
    assert httpx.get(hub.service_url + "api/health").json() == {"ok": True}
