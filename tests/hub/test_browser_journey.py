"""Issue #14's browser journey through the real JupyterHub: Debian's chromium, driven by Playwright
(ui-tests/hub/promote.spec.ts, config ui-tests/hub.config.js), logs in on the hub's login page as
``analyst`` and as ``releaser`` and shows the Promote dialog's ``prod`` disabled for one and enabled
for the other.

The hub, the DataOps service and both users' servers are the ``hub`` fixture's; this test writes a
notebook into each user's home through the hub, reads what the service answers about each user's
environments (the spec checks the dialog shows exactly that) and runs the spec with Playwright's JSON
reporter, whose failures it names.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import nbformat
import pytest

from tests.hub import environment as env

pytestmark = pytest.mark.timeout(900)

UI_TESTS = env.REPO / "ui-tests"
PLAYWRIGHT = UI_TESTS / "node_modules" / ".bin" / "playwright"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
REFUSED = "Only members of release-managers may promote to prod; analyst may not."


def write_notebook(hub, user: str, name: str) -> None:
    """A small notebook ``name`` in ``user``'s home, written through the hub with the user's token."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("total = 41 + 1"))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    reply = httpx.put(
        f"{hub.url}/user/{user}/api/contents/{name}",
        headers={"Authorization": f"token {hub.token(user)}"},
        json={"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))},
        timeout=60,
    )
    assert reply.status_code in (200, 201), reply.text


def environments(hub, user: str) -> list[dict[str, object]]:
    """What ``user``'s server (from the service) says about each promotion environment."""
    reply = httpx.get(
        f"{hub.url}/user/{user}/dataops/api/promotion/environments",
        headers={"Authorization": f"token {hub.token(user)}"},
        timeout=60,
    )
    reply.raise_for_status()
    return [
        {"id": e["id"], "may_promote": e["may_promote"], "reason": e.get("reason") or ""}
        for e in reply.json()["environments"]
    ]


def failures(report: dict) -> list[str]:
    """Each failed test of a Playwright JSON report as ``title: first error line``."""
    found = []

    def walk(suite: dict) -> None:
        for spec in suite.get("specs", []):
            for test in spec.get("tests", []):
                for result in test.get("results", []):
                    if result.get("status") not in ("passed", "skipped"):
                        errors = result.get("errors") or [{}]
                        message = ANSI.sub("", errors[0].get("message") or result["status"]).strip()
                        found.append(f"{spec['title']}: {message.splitlines()[0] if message else ''}")
        for child in suite.get("suites", []):
            walk(child)

    for suite in report.get("suites", []):
        walk(suite)
    return found


def test_each_account_logs_in_and_sees_prod_as_the_service_allows(hub, tmp_path: Path):
    if not PLAYWRIGHT.exists():
        pytest.fail(f"{PLAYWRIGHT} is missing: `cd ui-tests && npm install` (make test does it)")
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(chromium):
        pytest.fail(f"{chromium} is missing: `make system-deps` installs Debian's chromium")
    expected = {}
    for user in env.USERS:
        name = f"journey-{user}.ipynb"
        write_notebook(hub, user, name)
        expected[user] = {"notebook": name, "environments": environments(hub, user)}
    by_id = {u: {e["id"]: e for e in expected[u]["environments"]} for u in env.USERS}
    assert by_id["analyst"]["prod"] == {"id": "prod", "may_promote": False, "reason": REFUSED}
    assert by_id["analyst"]["dev"]["may_promote"] is True
    assert by_id["releaser"]["prod"]["may_promote"] is True

    report_path = tmp_path / "playwright-report.json"
    screenshots = [UI_TESTS / "screenshots" / f"hub-promote-{user}.png" for user in env.USERS]
    (UI_TESTS / "screenshots").mkdir(exist_ok=True)
    for shot in screenshots:
        shot.unlink(missing_ok=True)
    started = time.monotonic()
    proc = subprocess.run(
        [str(PLAYWRIGHT), "test", "--config", "hub.config.js", "--reporter", "line,json"],
        cwd=UI_TESTS,
        env={
            **os.environ,
            "DATAOPS_HUB_URL": hub.url,
            "DATAOPS_HUB_PASSWORD": hub.password,
            "DATAOPS_HUB_EXPECT": json.dumps(expected),
            "PLAYWRIGHT_JSON_OUTPUT_NAME": str(report_path),
            "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        },
        capture_output=True,
        text=True,
        timeout=800,
    )
    took = time.monotonic() - started
    output = f"--- playwright ({took:.0f} s) ---\n{proc.stdout[-8000:]}\n{proc.stderr[-4000:]}"
    assert report_path.exists(), f"Playwright wrote no report (exit {proc.returncode})\n{output}"
    report = json.loads(report_path.read_text())
    assert failures(report) == [], output
    assert proc.returncode == 0, output
    stats = report["stats"]
    assert (stats["expected"], stats["unexpected"], stats["skipped"]) == (len(env.USERS), 0, 0), output
    for shot in screenshots:
        assert shot.stat().st_size > 0, f"the spec took no screenshot {shot.name}"
