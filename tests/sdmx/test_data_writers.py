"""SDMX-ML 2.1 generic / structure-specific, SDMX-ML 3.0 and SDMX-JSON 2.0 data written from tables:
valid against the official schemas (`tests.sdmx.sdmx_schemas`) and read back as the same
observations by dataops, by sdmx1 (SDMX-ML) and by pysdmx (SDMX-ML).

Neither sdmx1 2.28 nor pysdmx 1.21 reads SDMX-JSON 2.0 *data* (sdmx1 fails on its structure list,
pysdmx says the flavour is not supported), so that format is checked against its JSON Schema and
dataops' reader only.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import sdmx
import sdmx.reader.xml.v30  # noqa: F401  (see below)
from pysdmx.io import read_sdmx as pysdmx_read

from dataops.errors import NotAcceptable
from dataops.sdmx import data_messages, series_layout
from dataops.sdmx.model import Dataflow, Structure
from dataops.sdmx.readers import read_data, read_structure
from tests.sdmx.sdmx_schemas import validate_json, validate_xml

# sdmx1 builds its SDMX-ML 3.0 reader's tables from the 2.1 reader's namespaces when first imported;
# imported after a 2.1 structure-specific message was read, it fails on that message's namespace.
# Importing it up front, as a fresh process reading 3.0 first would, keeps the tests independent.

FORMATS = ["generic21", "ss21", "ss30", "json20"]
XML_VERSION = {"generic21": "2.1", "ss21": "2.1", "ss30": "3.0"}
DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]


@functools.cache
def _exr(shared: Path) -> tuple[Dataflow, Structure]:
    message = read_structure(shared / "sdmx-samples" / "ECB_EXR" / "1" / "structure-full.xml")
    return message.dataflows[0], message.structures[0]


@pytest.fixture
def exr(shared_dir):
    return _exr(shared_dir)


@pytest.fixture
def sample(shared_dir, exr):
    """ECB's real answer for M.USD.EUR.SP00.A: 252 observations, series and observation attributes."""
    return read_data(shared_dir / "sdmx-samples" / "ECB_EXR" / "1" / "M.USD.EUR.SP00.A.xml", exr[1])


def _random_table(seed: int, series: int, length: int) -> pa.Table:
    """EXR-shaped observations in shuffled row order: missing and NaN values, a series attribute
    with characters XML and JSON must escape, observation attributes partly missing."""
    rng = np.random.default_rng(seed)
    currencies = ["USD", "JPY", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN"]
    keys = [(f, c, "EUR", "SP00", s) for f in ("M", "Q") for c in currencies for s in ("A", "E")]
    keys = [keys[i] for i in rng.choice(len(keys), size=series, replace=False)]
    rows: dict[str, list] = {
        name: [] for name in [*DIMS, "TIME_PERIOD", "OBS_VALUE", "TITLE", "OBS_STATUS", "OBS_COM"]
    }
    for n, key in enumerate(keys):
        for t in range(length):
            for name, value in zip(DIMS, key, strict=True):
                rows[name].append(value)
            rows["TIME_PERIOD"].append(f"{2000 + t // 12}-{t % 12 + 1:02}")
            value = float(np.round(rng.normal(1, 0.3), 6))
            rows["OBS_VALUE"].append(
                None if rng.random() < 0.05 else float("nan") if rng.random() < 0.05 else value
            )
            rows["TITLE"].append(f'Rate #{n} <{key[1]}> & "co" / it\'s\ttab')
            rows["OBS_STATUS"].append(None if rng.random() < 0.3 else str(rng.choice(["A", "E", "P"])))
            rows["OBS_COM"].append(None if rng.random() < 0.8 else "revised: <a&b>\nsecond line")
    table = pa.table(rows)
    order = rng.permutation(table.num_rows)
    return table.take(pa.array(order))


def _rows(table: pa.Table) -> pd.DataFrame:
    """Observations as plain strings (NaN and null alike as missing), in key order, for comparing."""
    frame = table.to_pandas()
    columns = [c for c in frame.columns if frame[c].notna().any()]
    frame = frame[sorted(columns)].astype(object)
    frame["OBS_VALUE"] = [None if v is None or v != v else round(float(v), 9) for v in frame["OBS_VALUE"]]
    frame = frame.where(frame.notna(), None)
    for c in frame.columns:
        if c != "OBS_VALUE":
            frame[c] = [None if v is None else str(v) for v in frame[c]]
    return frame.sort_values([*DIMS, "TIME_PERIOD"]).reset_index(drop=True)


def _write(fmt: str, table: pa.Table, exr) -> bytes:
    flow, dsd = exr
    body = data_messages.write(fmt, table, flow, dsd)
    return body if isinstance(body, bytes) else b"".join(body)


def _valid(fmt: str, body: bytes, dsd: Structure) -> None:
    if fmt == "json20":
        validate_json(body, "2.0")
    else:
        validate_xml(body, XML_VERSION[fmt], dsd if fmt.startswith("ss") else None)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_real_answer_is_valid_and_reads_back_the_same(fmt, exr, sample):
    body = _write(fmt, sample, exr)
    _valid(fmt, body, exr[1])
    back = read_data(body, exr[1])
    assert back.num_rows == 252
    pd.testing.assert_frame_equal(_rows(back), _rows(sample))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_observations_with_gaps_and_escapes_are_valid_and_read_back(fmt, seed, exr):
    table = _random_table(seed, series=5, length=40)
    body = _write(fmt, table, exr)
    _valid(fmt, body, exr[1])
    pd.testing.assert_frame_equal(_rows(read_data(body, exr[1])), _rows(table))


@pytest.mark.parametrize("fmt", ["generic21", "ss21", "ss30"])
def test_sdmx1_and_pysdmx_read_the_same_observations(fmt, exr, shared_dir):
    table = _random_table(7, series=4, length=30)
    body = _write(fmt, table, exr)
    expected = _rows(table).set_index([*DIMS, "TIME_PERIOD"])["OBS_VALUE"]
    dsd = sdmx.read_sdmx(shared_dir / "sdmx-samples" / "ECB_EXR" / "1" / "structure-full.xml").structure[
        "ECB_EXR1"
    ]
    series = sdmx.to_pandas(sdmx.read_sdmx(io.BytesIO(body), structure=dsd).data[0])

    def plain(values):
        return {k: (None if v is None or v != v else round(float(v), 9)) for k, v in values.items()}

    assert plain(series) == plain(expected)
    frame = pysdmx_read(body.decode()).data[0].data
    assert len(frame) == table.num_rows
    assert set(zip(frame["CURRENCY"], frame["TIME_PERIOD"], strict=True)) == set(
        zip(
            expected.index.get_level_values("CURRENCY"),
            expected.index.get_level_values("TIME_PERIOD"),
            strict=True,
        )
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_answer_is_a_valid_message_without_series(fmt, exr, sample):
    body = _write(fmt, sample.slice(0, 0), exr)
    _valid(fmt, body, exr[1])
    assert b"<Obs" not in body and b"generic:Obs" not in body and b'"observations"' not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_large_table_is_written_in_several_chunks_that_make_one_valid_message(fmt, exr, monkeypatch):
    monkeypatch.setattr(series_layout, "BLOCK_ROWS", 97)  # blocks that cut series anywhere
    table = _random_table(11, series=6, length=50)
    chunks = list(data_messages.write(fmt, table, *exr))
    assert len(chunks) >= 300 // 97 + 2  # the opening, every block, the closing
    body = b"".join(chunks)
    assert max(len(c) for c in chunks[1:]) < len(body) / 3  # after the header, never the whole at once
    _valid(fmt, body, exr[1])
    pd.testing.assert_frame_equal(_rows(read_data(body, exr[1])), _rows(table))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_series_attribute_that_changes_inside_a_series_is_kept_per_observation(fmt, exr, sample):
    # Off the structure (TITLE belongs to the series), but no value is lost writing it.
    titles = ["first half"] * 126 + ["second half"] * 126
    table = sample.set_column(sample.column_names.index("TITLE"), "TITLE", pa.array(titles))
    assert read_data(_write(fmt, table, exr), exr[1]).column("TITLE").to_pylist() == titles


@pytest.mark.parametrize("fmt", FORMATS)
def test_series_keys_only_are_series_without_observations(fmt, exr):
    key = dict(zip(DIMS, ["M", "USD", "EUR", "SP00", "A"], strict=True))
    keys = pa.table({d: ["M", "Q"] if d == "FREQ" else [v, v] for d, v in key.items()})
    body = _write(fmt, keys, exr)
    _valid(fmt, body, exr[1])
    opened = {
        "generic21": b"<generic:Series>",
        "ss21": b"<Series ",
        "ss30": b"<Series ",
        "json20": b'"observations":{}',
    }
    assert body.count(opened[fmt]) == 2
    assert b"<Obs " not in body and b"<generic:Obs>" not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_time_dimension_observations_are_flat(fmt, exr, sample):
    flow, dsd = exr
    timeless = dataclasses.replace(dsd, time_dimension=None)
    flat = sample.drop_columns(["TIME_PERIOD"]).slice(0, 1)  # without time, one key holds one observation
    body = _write(fmt, flat, (flow, timeless))
    if fmt in ("generic21", "json20"):  # the structure-specific schema derived here is the series-wise one
        _valid(fmt, body, exr[1])
    assert b"AllDimensions" in body or b'"observations":{"0:0:0:0:0":' in body
    back = read_data(body, timeless)
    assert back.column("OBS_VALUE").to_pylist() == flat.column("OBS_VALUE").to_pylist()


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_dimensions_at_the_observation_writes_a_flat_data_set_that_reads_back(fmt, exr, sample):
    flow, dsd = exr
    body = data_messages.write(fmt, sample, flow, dsd, flat=True)
    body = body if isinstance(body, bytes) else b"".join(body)
    if fmt in ("generic21", "json20"):  # the structure-specific schema derived here is the series-wise one
        _valid(fmt, body, dsd)
    assert b"<Series" not in body and b"<generic:Series>" not in body
    assert b'"series"' not in body.split(b'"dataSets":[{')[-1]
    pd.testing.assert_frame_equal(_rows(read_data(body, dsd)), _rows(sample))


def test_the_schemas_used_here_refuse_what_the_standard_refuses(exr, sample):
    flow, dsd = exr
    ss = _write("ss21", sample, exr)
    with pytest.raises(AssertionError, match="BOGUS"):
        validate_xml(ss.replace(b'OBS_STATUS="A"', b'OBS_STATUS="A" BOGUS="1"', 1), "2.1", dsd)
    with pytest.raises(AssertionError, match="TIME_PERIOD"):
        validate_xml(ss.replace(b'<Obs TIME_PERIOD="1999-01"', b"<Obs", 1), "2.1", dsd)
    generic = _write("generic21", sample, exr)
    with pytest.raises(AssertionError, match="ObsValue"):
        validate_xml(generic.replace(b"<generic:ObsDimension", b"<generic:ObsValue", 1), "2.1")
    json20 = _write("json20", sample, exr)
    with pytest.raises(AssertionError, match="keyPosition"):
        validate_json(json20.replace(b'"keyPosition":0', b'"keyPosition":-1', 1), "2.0")


@pytest.mark.parametrize("fmt", ["generic21", "ss21", "ss30"])
def test_a_column_name_that_is_no_sdmx_id_is_refused_before_anything_is_written(fmt, exr, sample):
    odd = sample.rename_columns([*sample.column_names[:-1], 'X"><evil a="'])
    chunks = data_messages.write(fmt, odd, *exr)
    with pytest.raises(NotAcceptable, match="not SDMX component ids"):
        next(iter(chunks))


def test_a_dictionary_that_repeats_a_value_is_written_with_each_value_once(exr, sample):
    repeated = pa.DictionaryArray.from_arrays(pa.array([0, 1] * 126, pa.int32()), pa.array(["A", "A"]))
    table = sample.set_column(sample.column_names.index("OBS_STATUS"), "OBS_STATUS", repeated)
    body = _write("json20", table, exr)
    _valid("json20", body, exr[1])
    assert set(read_data(body, exr[1]).column("OBS_STATUS").to_pylist()) == {"A"}
