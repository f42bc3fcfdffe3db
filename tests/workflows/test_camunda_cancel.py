"""Cancelling a run that the engine reports as concurrently changed: retried, then a clear error.

Against `BusyEngine`, a real HTTP server answering like Camunda (see its docstring for why not the
real engine here).
"""

from __future__ import annotations

import asyncio

import pytest

from dataops.errors import ConcurrentUpdate, Conflict
from dataops.workflows.camunda import AsyncCamundaEngine, CamundaEngine
from dataops.workflows.camunda_http import CANCEL_PAUSES
from tests.workflows.busy_engine import BusyEngine

ATTEMPTS = len(CANCEL_PAUSES) + 1


def test_a_cancel_refused_for_a_concurrent_change_is_retried_until_the_engine_accepts():
    with BusyEngine(conflicts=2) as busy, CamundaEngine(busy.url) as engine:
        engine.cancel("run-1", "wrong period")
    assert busy.deletes == 3
    assert ("PUT", "/engine-rest/process-instance/run-1/variables/cancel_reason") in busy.requests


def test_a_cancel_refused_every_time_gives_up_with_a_sentence_after_a_bounded_number_of_tries():
    with BusyEngine(conflicts=100) as busy, CamundaEngine(busy.url) as engine:
        with pytest.raises(ConcurrentUpdate, match=r"Run run-2 could not be cancelled.*Try again") as err:
            engine.cancel("run-2")
    assert busy.deletes == ATTEMPTS
    assert isinstance(err.value, Conflict) and err.value.http_status == 409
    assert err.value.details == {"engine_type": "OptimisticLockingException"}


def test_the_server_s_async_client_retries_the_same_way():
    async def scenario() -> int:
        with BusyEngine(conflicts=ATTEMPTS - 1) as busy:
            client = AsyncCamundaEngine(busy.url)
            try:
                await client.cancel("run-3")
                with pytest.raises(ConcurrentUpdate):
                    busy.conflicts = ATTEMPTS
                    await client.cancel("run-3")
            finally:
                await client.aclose()
            return busy.deletes

    assert asyncio.run(scenario()) == 2 * ATTEMPTS
