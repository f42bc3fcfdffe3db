"""The ``hub`` fixture: one real JupyterHub for the session, both users' servers spawned.

Needs root (it creates Unix accounts and the hub starts servers as them), npm and Debian's
/usr/bin/python3 with venv; the first run builds /opt/dataops-hub-test (a few minutes), later runs
reuse it. The hub's log is added to the report of every failing test that used the hub.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import SHARED
from tests.fakes.git_http import GitHttpServer
from tests.fakes.gitlab.server import GitLabFake
from tests.fakes.gitlab.spec import SPEC_PATH
from tests.hub import environment as env
from tests.hub import promotion_setup
from tests.hub.hub import Hub


@pytest.fixture(scope="session")
def deploy_remotes(tmp_path_factory) -> GitHttpServer:
    """The deployment repositories (``dev.git``, ``prod.git``) over git's smart HTTP on 127.0.0.1."""
    server = promotion_setup.start_remotes(tmp_path_factory.mktemp("remotes"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def deploy_gitlab(tmp_path_factory) -> GitLabFake:
    """The GitLab fake (spec-checked) with the deployment project whose pipelines the service reads."""
    spec = SHARED / SPEC_PATH.relative_to(SPEC_PATH.parents[1])
    if not spec.is_file():
        pytest.fail(f"{spec} is missing: the GitLab fake checks every call against it")
    fake = promotion_setup.start_gitlab(tmp_path_factory.mktemp("gitlab"), spec)
    yield fake
    fake.stop()
    assert fake.state.violations == [], f"outside GitLab's spec: {fake.state.violations}"


@pytest.fixture(scope="session")
def hub(tmp_path_factory, deploy_remotes, deploy_gitlab) -> Hub:
    """A running JupyterHub with the DataOps service; ``analyst`` and ``releaser`` have servers.

    The service is configured with the environments of `promotion_setup` (``prod`` for
    release-managers only) over ``deploy_remotes``; each user's server has DATAOPS_SERVICE_URL.
    """
    if os.geteuid() != 0:
        pytest.fail("the JupyterHub tests run as root: they create Unix accounts and the hub setuids to them")
    with env.machine_lock():
        env.ensure_unix_accounts()
        env.ensure_service_secrets()
        env.ensure_proxy()
        bin_dir = env.ensure_venv()
        promotion_setup.write_service_config(deploy_remotes.url, deploy_gitlab.url)
    state = tmp_path_factory.mktemp("jupyterhub")
    running = Hub(state, bin_dir, extra_config=promotion_setup.EXTRA_CONFIG)
    try:
        running.start()
        for user in env.USERS:
            running.spawn(user)
    except Exception as exc:
        log = running.log()
        running.stop()
        pytest.fail(f"the test JupyterHub did not come up: {exc}\n--- jupyterhub log ---\n{log[-20000:]}")
    yield running
    running.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    running = item.funcargs.get("hub") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(running, Hub):
        report.sections.append(("jupyterhub log", running.log()[-20000:]))
