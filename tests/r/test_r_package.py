"""The R package `dataops` (r/dataops) against a real Jupyter server with the extension: its testthat
files run in Rscript, the package installed from the worktree into a fresh R library.

The server is pytest-jupyter's, in this process; R finds it as a kernel would, from the server's
runtime file (``jpserver-<pid>.json``, the server being R's parent process), or from DATAOPS_URL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from tornado.httpclient import HTTPClientError

import dataops
from dataops.sdmx import writers
from dataops.sdmx.model import Dataflow
from tests.store.fixtures import frame, store_config, write_structures

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "r" / "dataops"
TESTS = PACKAGE / "tests" / "testthat"


@pytest.fixture(scope="session")
def r_library(tmp_path_factory) -> Path:
    """An R library holding this worktree's `dataops` package."""
    library = tmp_path_factory.mktemp("R-library")
    subprocess.run(
        ["R", "CMD", "INSTALL", "--no-multiarch", f"--library={library}", str(PACKAGE)],
        check=True,
        capture_output=True,
    )
    return library


@pytest.fixture
def r_sources(dataops_config, tmp_path):
    """STORE with vintages "first" and the latest, FILES with a data file of TEST:NA (helper-state.R)."""
    store_config(tmp_path, path=dataops_config)
    folder = tmp_path / "files"
    folder.mkdir()
    write_structures(folder / "structures.xml")
    rows = [("A", "DE", "GDP", y, v) for y, v in (("2022", 10.0), ("2023", 11.0), ("2024", 12.0))]
    table = pa.Table.from_pandas(frame([*rows, ("A", "FR", "GDP", "2024", 20.0)]), preserve_index=False)
    flow = Dataflow("NA", "TEST", "1.0", "National accounts", "DSD_NA", "TEST", "1.0")
    (folder / "NA.csv").write_bytes(writers.write_csv_10(table, flow))
    with dataops_config.open("a") as config:
        config.write(f'[[sources]]\nid = "FILES"\nname = "Files"\napi = "files"\nurl = "{folder}"\n')
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


async def run_testthat(name: str, library: Path, **env: str) -> str:
    """Run one testthat file of the package in Rscript; its output, or a failure showing it."""
    code = f"testthat::test_file({str(TESTS / name)!r}, reporter = 'summary', stop_on_failure = TRUE)"
    process = await asyncio.create_subprocess_exec(
        "Rscript",
        "-e",
        code,
        env={**os.environ, "R_LIBS": str(library), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(process.communicate(), 240)
    except TimeoutError:
        process.kill()
        raise
    text = out.decode()
    assert process.returncode == 0, text
    assert "Skipped" not in text and "Warnings" not in text, text  # every expectation ran, cleanly
    return text


def server_env(jp_serverapp, jp_http_port, jp_base_url) -> dict[str, str]:
    return {
        "DATAOPS_URL": f"http://127.0.0.1:{jp_http_port}{jp_base_url}",
        "DATAOPS_TOKEN": jp_serverapp.identity_provider.token,
    }


async def test_r_reads_a_files_source(
    r_sources, r_library, jp_serverapp, http_server_client, jp_http_port, jp_base_url
):
    await run_testthat(
        "test-read-files.R",
        r_library,
        **server_env(jp_serverapp, jp_http_port, jp_base_url),
    )


async def test_r_finds_the_server_from_its_runtime_file_and_reads_the_store_as_of(
    r_sources, r_library, jp_serverapp, http_server_client, jp_runtime_dir, monkeypatch
):
    assert (Path(jp_runtime_dir) / f"jpserver-{os.getpid()}.json").is_file()
    for name in ("DATAOPS_URL", "DATAOPS_TOKEN", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_SERVICE_URL"):
        monkeypatch.delenv(name, raising=False)
    await run_testthat(
        "test-read-store.R", r_library, JUPYTER_RUNTIME_DIR=str(jp_runtime_dir), BETWEEN=r_sources
    )


async def test_a_vintage_written_from_r_is_read_back_in_python(
    r_sources, r_library, jp_serverapp, http_server_client, jp_http_port, jp_base_url
):
    await run_testthat("test-write.R", r_library, **server_env(jp_serverapp, jp_http_port, jp_base_url))
    back = dataops.read("STORE", "NA", "A.DE.GDP", as_of="from R")
    assert back["OBS_VALUE"].tolist() == [15.0, 20.0]
    written = dataops.vintages("STORE", "NA")
    assert written["tags"].tolist()[-1] == ["from R"]
    assert written["message"].tolist()[-1] == "scaled in R"
    assert len(written) == 3  # the refused write left nothing


async def test_a_bad_key_is_an_r_error_with_the_servers_sentence(
    r_sources, r_library, jp_serverapp, jp_fetch, jp_http_port, jp_base_url
):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("dataops", "sdmx", "STORE", "data", "NA", "A.DE")
    sentence = json.loads(err.value.response.body)["message"]
    assert "A.DE" in sentence
    await run_testthat(
        "test-errors.R",
        r_library,
        SERVER_SENTENCE=sentence,
        **server_env(jp_serverapp, jp_http_port, jp_base_url),
    )


async def test_rsdmx_reads_the_same_endpoint(
    r_sources, r_library, jp_serverapp, http_server_client, jp_http_port, jp_base_url
):
    await run_testthat("test-rsdmx.R", r_library, **server_env(jp_serverapp, jp_http_port, jp_base_url))


def test_without_a_running_server_r_says_how_to_name_one(r_library, tmp_path, monkeypatch):
    for name in ("DATAOPS_URL", "DATAOPS_TOKEN", "JUPYTERHUB_API_TOKEN", "JUPYTERHUB_SERVICE_URL"):
        monkeypatch.delenv(name, raising=False)
    # A runtime file left behind by a server that is gone is not used.
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = {"pid": gone.pid, "url": "http://localhost:1/", "token": "x"}
    (tmp_path / f"jpserver-{gone.pid}.json").write_text(json.dumps(stale))
    code = 'tryCatch(dataops::dataops_read("STORE", "NA"), dataops_error = function(e) cat(e$code, conditionMessage(e)))'
    env = {**os.environ, "R_LIBS": str(r_library), "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    out = subprocess.run(["Rscript", "-e", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out == (
        f"unreachable No running Jupyter server was found (no jpserver-*.json of a running server in {tmp_path}); "
        "set DATAOPS_URL and DATAOPS_TOKEN to the server's URL and token."
    )
