"""POST …/runs/{id}/cancel on a run the engine keeps reporting as concurrently changed: a 409 sentence."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from tests.workflows.busy_engine import BusyEngine


async def test_a_run_that_stays_busy_is_a_409_that_says_to_try_again(dataops_config, tmp_path, jp_fetch):
    with BusyEngine(conflicts=100) as busy:
        dataops_config.write_text(f'[workflows]\nengine_url = "{busy.url}"\nlog_dir = "{tmp_path}"\n')
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("dataops", "api", "workflows", "runs", "r9", "cancel", method="POST", body="{}")
        body = json.loads(err.value.response.body)
        assert err.value.code == 409 and body["error"] == "concurrent_update"
        assert "could not be cancelled" in body["message"] and "Try again" in body["message"]
        busy.conflicts = 1
        reply = await jp_fetch(
            "dataops", "api", "workflows", "runs", "r9", "cancel", method="POST", body="{}"
        )
        assert json.loads(reply.body) == {"run_id": "r9", "cancelled": True}
