"""The standard SDMX REST endpoint serves a store source like any source, with the standard's history
parameters: ``updatedAfter`` (1.x and 2.x) and 2.x ``asOf``; ``includeHistory=true`` is refused."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from tornado.httpclient import HTTPClientError

import dataops
from dataops.sdmx.readers import read_data
from tests.store.fixtures import frame, store_env  # noqa: F401

CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"


@pytest.fixture
def revised(store_env):  # noqa: F811
    dataops.write(
        "STORE",
        "NA",
        frame([("A", "DE", "GDP", "2023", 1.0), ("A", "FR", "GDP", "2023", 5.0)]),
        vintage="first",
    )
    time.sleep(0.01)
    between = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    time.sleep(0.01)
    dataops.write("STORE", "NA", frame([("A", "DE", "GDP", "2023", 1.5), ("A", "DE", "GDP", "2024", 2.0)]))
    return between


async def _csv(jp_fetch, *path, **params) -> list[tuple[str, str, float]]:
    response = await jp_fetch("dataops", "sdmx", "STORE", *path, params=params, headers={"Accept": CSV_10})
    table = read_data(response.body, dataops.structure("STORE", "NA"))
    return sorted(
        zip(
            table.column("REF_AREA").to_pylist(),
            table.column("TIME_PERIOD").to_pylist(),
            table.column("OBS_VALUE").to_pylist(),
            strict=True,
        )
    )


async def test_rest_1_serves_the_latest_and_the_changes_since(revised, jp_fetch):
    assert await _csv(jp_fetch, "data", "NA") == [
        ("DE", "2023", 1.5),
        ("DE", "2024", 2.0),
        ("FR", "2023", 5.0),
    ]
    assert await _csv(jp_fetch, "data", "TEST,NA,1.0", "A.DE.GDP", updatedAfter=revised) == [
        ("DE", "2023", 1.5),
        ("DE", "2024", 2.0),
    ]


async def test_rest_2_as_of_serves_the_data_as_they_were(revised, jp_fetch):
    assert await _csv(jp_fetch, "data", "dataflow", "TEST", "NA", "~", "*", asOf=revised) == [
        ("DE", "2023", 1.0),
        ("FR", "2023", 5.0),
    ]


@pytest.mark.parametrize(
    ("params", "code", "words"),
    [
        ({"asOf": "last week"}, 400, "asOf must be a date-time"),
        ({"asOf": "2026-01-01T00:00:00Z", "updatedAfter": "2026-02-01T00:00:00"}, 400, "is later than asOf"),
        ({"includeHistory": "true"}, 501, "includeHistory=true"),
    ],
)
async def test_history_parameters_it_cannot_honour_are_refused_with_a_reason(
    revised, jp_fetch, params, code, words
):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "dataops",
            "sdmx",
            "STORE",
            "data",
            "dataflow",
            "TEST",
            "NA",
            params=params,
            headers={"Accept": CSV_10},
        )

    assert err.value.code == code and words in json.loads(err.value.response.body)["message"]
