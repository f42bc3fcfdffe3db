"""The REST endpoint over a ``files`` source keeps parsed tables in memory, bounded, and never stale.

Answers are asked of `dataops.sdmx.rest.answers` as the server asks them, against a folder of real
messages; `TABLES` (the process's cache) tells whether a file was parsed again.
"""

from __future__ import annotations

import csv
import io
import os
import shutil

import pytest

from dataops.config import load_config
from dataops.errors import ConfigError
from dataops.sdmx.config import DataConfig
from dataops.sdmx.rest import request
from dataops.sdmx.rest.answers import answer
from dataops.sdmx.table_memo import TABLES

USD = "M.USD.EUR.SP00.A"
LAST_USD = '<generic:ObsValue value="1.111345"/>'


@pytest.fixture
def folder(shared_dir, tmp_path):
    """A files source's folder: the ECB exchange-rate structures, one EXR series and the NG flow."""
    folder = tmp_path / "messages"
    (folder / "EXR").mkdir(parents=True)
    samples = shared_dir / "sdmx-samples"
    shutil.copy(samples / "ECB_EXR/1/structure-full.xml", folder / "structures.xml")
    shutil.copy(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", folder / "EXR" / "usd.xml")
    shutil.copy(samples / "ECB_EXR/ng-structure-full.xml", folder / "ng-structure.xml")
    shutil.copy(samples / "ECB_EXR/ng-ts-gf-ss.xml", folder / "ECB_EXR_NG-ts.xml")
    TABLES.clear()
    yield folder
    TABLES.clear()


def configure(dataops_config, folder, cache_mb: float | None = None):
    data = "" if cache_mb is None else f"[data]\nfiles_cache_mb = {cache_mb!r}\n\n"
    dataops_config.write_text(
        f'{data}[[sources]]\nid = "FILES"\nname = "Messages"\nurl = "{folder}"\napi = "files"\n'
    )
    return load_config()


def rows(config, flow: str, key: str, **query: str) -> list[list[str]]:
    asked = request.data_v1(
        "FILES", flow, key, query=query, accept="application/vnd.sdmx.data+csv;version=1.0.0"
    )
    body = answer(config, asked).body
    text = (body if isinstance(body, bytes) else b"".join(body)).decode()
    return list(csv.reader(io.StringIO(text)))


def test_a_series_asked_again_is_answered_from_memory_until_its_file_changes(dataops_config, folder):
    config = configure(dataops_config, folder)
    first = rows(config, "EXR", USD, lastNObservations="1")
    parsed = TABLES.reads
    again = rows(config, "EXR", USD, lastNObservations="1")

    assert again == first and first[1][6:8] == ["2019-12", "1.111345"]
    assert TABLES.reads == parsed  # the file was not parsed again

    path = folder / "EXR" / "usd.xml"
    text = path.read_text()
    path.write_text(text.replace(LAST_USD, '<generic:ObsValue value="2.5"/>'))
    stat = path.stat()  # a later modification time, even on a coarse clock
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))

    assert rows(config, "EXR", USD, lastNObservations="1")[1][6:8] == ["2019-12", "2.5"]
    assert TABLES.reads == parsed + 1


def test_the_cache_holds_no_more_than_its_bound_and_a_dropped_table_is_read_again_alike(
    dataops_config, folder
):
    # Learn how large the two flows' tables are, then allow room for the larger one only.
    roomy = configure(dataops_config, folder)
    usd_first = rows(roomy, "EXR", USD)
    usd_bytes = TABLES.held_bytes
    ng_first = rows(roomy, "ECB_EXR_NG", "M.GBP+JPY...")
    ng_bytes = TABLES.held_bytes - usd_bytes
    bound = max(usd_bytes, ng_bytes) + min(usd_bytes, ng_bytes) // 2
    TABLES.clear()
    tight = configure(dataops_config, folder, cache_mb=bound / 2**20)

    assert rows(tight, "EXR", USD) == usd_first
    assert rows(tight, "ECB_EXR_NG", "M.GBP+JPY...") == ng_first  # the EXR table makes room
    assert len(TABLES) == 1 and TABLES.held_bytes <= bound
    before = TABLES.reads
    assert rows(tight, "EXR", USD) == usd_first  # read from its file again, the same answer
    assert TABLES.reads == before + 1 and TABLES.held_bytes <= bound


def test_a_bound_of_zero_keeps_nothing_and_answers_alike(dataops_config, folder):
    config = configure(dataops_config, folder, cache_mb=0)
    first = rows(config, "EXR", USD, startPeriod="2019-01")

    assert rows(config, "EXR", USD, startPeriod="2019-01") == first and len(first) == 13
    assert len(TABLES) == 0 and TABLES.held_bytes == 0 and TABLES.reads == 2


def test_a_negative_bound_is_a_configuration_error(dataops_config, folder):
    with pytest.raises(ConfigError, match=r"\[data\] files_cache_mb must be a non-negative number"):
        DataConfig.from_config(configure(dataops_config, folder, cache_mb=-1))
