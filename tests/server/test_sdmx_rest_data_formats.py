"""The SDMX REST endpoint's data answers in every format a third-party tool asks for, as such a tool
sees them: the media type chosen by ``Accept`` per REST version, a body valid against the official
schema that reads back as the SDMX-CSV answer, 406 naming what it can write, and large answers
streamed (chunked transfer) rather than built whole first."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pytest
import sdmx
from tornado.httpclient import HTTPClientError

from dataops.sdmx import writers
from dataops.sdmx.readers import read_data, read_structure
from tests.sdmx.sdmx_schemas import validate_json, validate_xml
from tests.server.sdmx_fixtures import sdmx_provider  # noqa: F401

GENERIC_21 = "application/vnd.sdmx.genericdata+xml;version=2.1"
SS_21 = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
SS_30 = "application/vnd.sdmx.data+xml;version=3.0.0"
JSON_20 = "application/vnd.sdmx.data+json;version=2.0.0"
CSV_10 = "application/vnd.sdmx.data+csv;version=1.0.0"
V1 = ("LOCAL", "data", "EXR", "M.USD.EUR.SP00.A")
V2 = ("LOCAL", "data", "dataflow", "ECB", "EXR", "1.0", "M.USD.EUR.SP00.A")


async def _get(jp_fetch, *path, accept=None, **kwargs):
    headers = {"Accept": accept} if accept is not None else {}
    return await jp_fetch("dataops", "sdmx", *path, headers=headers, **kwargs)


@pytest.fixture
def exr_structure(shared_dir):
    return read_structure(shared_dir / "sdmx-samples" / "ECB_EXR" / "1" / "structure-full.xml").structures[0]


def _check_valid(media_type: str, body: bytes, structure) -> None:
    if media_type == JSON_20:
        validate_json(body, "2.0")
    elif media_type == GENERIC_21:
        validate_xml(body, "2.1")
    else:
        validate_xml(body, "2.1" if media_type == SS_21 else "3.0", structure)


@pytest.mark.parametrize(
    ("path", "accept", "answered"),
    [
        (V1, GENERIC_21, GENERIC_21),
        (V1, SS_21, SS_21),
        (V1, "application/vnd.sdmx.structurespecificdata+xml;version=3.0.0", SS_30),
        (V1, SS_30, SS_30),
        (V1, JSON_20, JSON_20),
        (V1, "application/xml", GENERIC_21),
        (V1, None, GENERIC_21),
        (V1, "*/*", GENERIC_21),
        (V2, GENERIC_21, GENERIC_21),
        (V2, SS_21, SS_21),
        (V2, "application/vnd.sdmx.structurespecificdata+xml;version=3.0.0", SS_30),
        (V2, SS_30, SS_30),
        (V2, JSON_20, JSON_20),
        (V2, "application/xml", SS_30),
        (V2, None, JSON_20),
        (V2, "*/*", JSON_20),
    ],
)
async def test_each_accept_gets_its_format_valid_and_equal_to_the_csv_answer(
    sdmx_provider, jp_fetch, exr_structure, path, accept, answered
):
    response = await _get(jp_fetch, *path, accept=accept)
    assert response.headers["Content-Type"] == answered
    _check_valid(answered, response.body, exr_structure)
    csv = await _get(jp_fetch, *path, accept=CSV_10)
    mine, theirs = read_data(response.body, exr_structure), read_data(csv.body, exr_structure)
    assert mine.num_rows == 252
    assert mine.select(theirs.column_names).cast(theirs.schema).equals(theirs)


@pytest.mark.parametrize("path", [V1, V2])
async def test_a_format_it_cannot_write_is_406_listing_every_format_and_the_default(
    sdmx_provider, jp_fetch, path
):
    with pytest.raises(HTTPClientError) as err:
        await _get(jp_fetch, *path, accept="text/html, application/vnd.sdmx.data+xml;version=3.1.0")
    assert err.value.code == 406
    message = json.loads(err.value.response.body)["message"]
    for media_type in (GENERIC_21, SS_21, SS_30, CSV_10, JSON_20):
        assert media_type in message
    assert f"with no Accept header: {GENERIC_21 if path is V1 else JSON_20}" in message


@pytest.fixture
def big_files_source(dataops_config, shared_dir, tmp_path):
    """A files source holding 120,000 observations of EXR (480 series), some values and
    observation attributes missing."""
    folder = tmp_path / "messages"
    folder.mkdir()
    structures = shared_dir / "sdmx-samples" / "ECB_EXR" / "1" / "structure-full.xml"
    (folder / "structures.xml").write_bytes(structures.read_bytes())
    message = read_structure(structures)
    currencies = [f"C{i:02}" for i in range(60)]
    rows = 480 * 250
    keys = [(f, c, "EUR", "SP00", s) for f in ("M", "Q") for c in currencies for s in ("A", "E", "B", "N")]
    table = pa.table(
        {
            "FREQ": [k[0] for k in keys for _ in range(250)],
            "CURRENCY": [k[1] for k in keys for _ in range(250)],
            "CURRENCY_DENOM": ["EUR"] * rows,
            "EXR_TYPE": ["SP00"] * rows,
            "EXR_SUFFIX": [k[4] for k in keys for _ in range(250)],
            "TIME_PERIOD": [f"{1990 + t // 12}-{t % 12 + 1:02}" for _ in keys for t in range(250)],
            "OBS_VALUE": [None if i % 97 == 0 else i / 1000 for i in range(rows)],
            "OBS_STATUS": [None if i % 5 else "E" for i in range(rows)],
            "TITLE": [f"Rate of {k[1]} & co" for k in keys for _ in range(250)],
        }
    )
    (folder / "EXR.csv").write_bytes(writers.write_csv_10(table, message.dataflows[0]))
    dataops_config.write_text(f'[[sources]]\nid = "FILES"\nname = "Big"\nurl = "{folder}"\napi = "files"\n')
    return table


@pytest.mark.parametrize("accept", [GENERIC_21, SS_21, SS_30, JSON_20])
async def test_a_large_answer_is_streamed_in_chunks(big_files_source, jp_fetch, exr_structure, accept):
    received: list[bytes] = []
    response = await _get(
        jp_fetch,
        "FILES",
        "data",
        "EXR",
        "all",
        accept=accept,
        streaming_callback=received.append,
        request_timeout=120,
    )
    # Sent as it was made: chunked transfer, no length known before the end, several pieces.
    assert response.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in response.headers
    assert len(received) > 10
    body = b"".join(received)
    back = read_data(body, exr_structure)
    assert back.num_rows == big_files_source.num_rows
    assert back.column("OBS_VALUE").null_count == big_files_source.column("OBS_VALUE").null_count
    assert back.column("OBS_STATUS").null_count == big_files_source.column("OBS_STATUS").null_count
    assert set(back.column("TITLE").to_pylist()) == set(big_files_source.column("TITLE").to_pylist())


@pytest.mark.parametrize("path", [V1, V2])
async def test_all_dimensions_at_the_observation_gives_a_flat_data_set(
    sdmx_provider, jp_fetch, exr_structure, path
):
    response = await _get(
        jp_fetch, *path, accept=GENERIC_21, params={"dimensionAtObservation": "AllDimensions"}
    )
    validate_xml(response.body, "2.1")
    assert (
        b'dimensionAtObservation="AllDimensions"' in response.body
        and b"<generic:Series>" not in response.body
    )
    assert read_data(response.body, exr_structure).num_rows == 252


async def test_what_a_tool_gets_without_naming_a_format_is_read_by_sdmx1(sdmx_provider, jp_fetch):
    # requests, under sdmx1 and many scripts, sends "Accept: */*".
    response = await _get(jp_fetch, *V1, accept="*/*")
    series = sdmx.to_pandas(sdmx.read_sdmx(io.BytesIO(response.body)).data[0])
    assert len(series) == 252 and float(series.iloc[0]) == pytest.approx(1.16078)
