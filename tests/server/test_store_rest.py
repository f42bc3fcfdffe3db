"""The standard SDMX REST endpoint serves a store source like any source, with the standard's history
parameters: ``updatedAfter`` (1.x and 2.x), 2.x ``asOf``, and ``includeHistory=true`` (one dataset per
write, with its validity)."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime

import pytest
from tornado.httpclient import HTTPClientError

import dataops
from dataops.sdmx.readers import read_data, table_metadata
from dataops.sdmx.xml_safety import parse_tree
from tests.store.fixtures import frame, store_env  # noqa: F401

CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"
JSON_20 = "application/vnd.sdmx.data+json;version=2.0.0"
ML_30 = "application/vnd.sdmx.data+xml;version=3.0.0"


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
        ({"includeHistory": "yes"}, 400, "includeHistory must be true or false"),
        ({"includeHistory": "true"}, 406, "SDMX-CSV and SDMX-JSON 1.0 cannot carry"),
        ({"includeHistory": "true", "lastNObservations": "1"}, 400, "leave out firstNObservations"),
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


GENERIC_21 = "application/vnd.sdmx.genericdata+xml;version=2.1"


@pytest.fixture
def history(revised):
    """The ``revised`` writes, then a third that deletes FR 2023; the three vintages' times."""
    dataops.write("STORE", "NA", frame([("A", "FR", "GDP", "2023", None)]), action="delete")
    return [v["committed_at"] for v in dataops.vintages("STORE", "NA").to_dict("records")]


async def test_include_history_1x_answers_one_dataset_per_write_with_its_validity(history, jp_fetch):
    import sdmx

    response = await jp_fetch(
        "dataops",
        "sdmx",
        "STORE",
        "data",
        "NA",
        params={"includeHistory": "true"},
        headers={"Accept": GENERIC_21},
    )
    message = sdmx.read_sdmx(io.BytesIO(response.body))  # a second reader: its own parse of the datasets
    values = [
        sorted((o.key["REF_AREA"].value, o.key["TIME_PERIOD"].value, float(o.value)) for o in ds.obs)
        for ds in message.data
    ]
    assert values == [
        [("DE", "2023", 1.0), ("FR", "2023", 5.0)],
        [("DE", "2023", 1.5), ("DE", "2024", 2.0)],
        [("FR", "2023", 5.0)],
    ]
    # sdmx1 keeps no dataset action or validity: read them from the message itself.
    root = parse_tree(response.body, "the answer")
    data_sets = [el.attrib for el in root if el.tag.endswith("}DataSet")]
    assert [(d["action"], d.get("validFromDate"), d.get("validToDate")) for d in data_sets] == [
        ("Replace", history[0], None),
        ("Replace", history[1], None),
        ("Delete", None, history[2]),
    ]


async def test_include_history_2x_in_sdmx_json_20_and_sdmx_ml_30(history, jp_fetch):
    path = ("dataops", "sdmx", "STORE", "data", "dataflow", "TEST", "NA", "~", "A.DE+FR.GDP")
    response = await jp_fetch(*path, params={"includeHistory": "true"}, headers={"Accept": JSON_20})
    data = json.loads(response.body)["data"]
    assert [(d["action"], d.get("validFrom"), d.get("validTo")) for d in data["dataSets"]] == [
        ("Replace", history[0], None),
        ("Replace", history[1], None),
        ("Delete", None, history[2]),
    ]
    assert [d["structure"] for d in data["dataSets"]] == [0, 1, 2] and len(data["structures"]) == 3

    since_first = await jp_fetch(
        *path, params={"includeHistory": "true", "updatedAfter": history[0]}, headers={"Accept": ML_30}
    )
    table = read_data(since_first.body, dataops.structure("STORE", "NA"))
    assert table_metadata(table)["actions"] == ["Replace", "Delete"]
    areas, periods = table.column("REF_AREA").to_pylist(), table.column("TIME_PERIOD").to_pylist()
    assert sorted(zip(areas, periods, strict=True)) == [
        ("DE", "2023"),
        ("DE", "2024"),
        ("FR", "2023"),
    ]


async def test_include_history_of_a_source_that_keeps_none_says_so(
    history, jp_fetch, dataops_config, tmp_path
):
    folder = tmp_path / "files"
    folder.mkdir()
    with dataops_config.open("a") as config:
        config.write(f'[[sources]]\nid = "FILES"\nname = "Folder"\napi = "files"\nurl = "{folder}"\n')
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "dataops",
            "sdmx",
            "FILES",
            "data",
            "NA",
            params={"includeHistory": "true"},
            headers={"Accept": GENERIC_21},
        )

    assert err.value.code == 501
    assert "FILES is a files source, which keeps no history" in json.loads(err.value.response.body)["message"]
