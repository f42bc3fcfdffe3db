"""Each data message is read by the path the table names, the table records it, and every path agrees."""

from __future__ import annotations

import gzip
import io
import logging
from pathlib import Path

import pytest

import dataops
from dataops.errors import InvalidInput, RemoteError
from dataops.sdmx.media import MessageFormat
from dataops.sdmx.readers import read_data, table_metadata
from dataops.sdmx.readers.paths import PATHS, ReadPath, Tuning, choose_path, read_message
from dataops.sdmx.readers.source import InputKind

pytestmark = pytest.mark.timeout(120)

# One message per kind the table tells apart (the CSV file is written by `_csv`).
MESSAGES = {
    "structure-specific": "ECB_EXR/ng-ts-gf-ss.xml",
    "structure-specific 3.0": "v3/xml/ECB_EXR0.xml",
    "generic": "ECB_EXR/1/M.USD.EUR.SP00.A.xml",
    "csv": None,
    "csv 2.0": None,
    "json": "ECB_EXR/ts.json",
}
STRUCTURES = {"structure-specific 3.0": "v3/xml/ECB_EXR1.xml"}
# message → input kind → (path with the compiled scanners, path without them)
EXPECTED = {
    "structure-specific": {
        "file": ("native-xml", "pyarrow-xml"),
        "bytes": ("native-xml", "pyarrow-xml"),
        "stream": ("native-xml", "pyarrow-xml"),
    },
    "generic": {
        "file": ("native-generic-xml", "pyarrow-generic-xml"),
        "bytes": ("native-generic-xml", "pyarrow-generic-xml"),
        "stream": ("native-generic-xml", "pyarrow-generic-xml"),
    },
    "csv": {
        "file": ("native-csv", "pyarrow-csv-halves"),
        "bytes": ("pyarrow-csv", "pyarrow-csv"),
        "stream": ("pyarrow-csv", "pyarrow-csv"),
    },
    "json": {
        "file": ("native-json", "json"),
        "bytes": ("native-json", "json"),
        "stream": ("native-json", "json"),
    },
}
EXPECTED["structure-specific 3.0"] = EXPECTED["structure-specific"]
EXPECTED["csv 2.0"] = EXPECTED["csv"]
CSV_HEADER = "DATAFLOW,FREQ,CURRENCY,TIME_PERIOD,OBS_VALUE,OBS_STATUS,TITLE\n"


def _csv(folder: Path) -> Path:
    path = folder / "data.csv"
    path.write_text(
        CSV_HEADER
        + "".join(
            f"ECB:EXR(1.0),M,C{i // 50:02d},{2000 + i % 50}-01,{i / 7:.4f},{'E' if i % 9 else 'A'},Rate {i // 50}\n"
            for i in range(2000)
        )
    )
    return path


def _csv_20(folder: Path) -> Path:
    """`_csv`'s rows as SDMX-CSV 2.0 (STRUCTURE, STRUCTURE_ID and ACTION first)."""
    lines = _csv(folder).read_text().splitlines()
    path = folder / "data-2.0.csv"
    rows = [line.replace("ECB:EXR(1.0),", "dataflow,ECB:EXR(1.0),I,", 1) for line in lines[1:]]
    header = CSV_HEADER.strip().replace("DATAFLOW,", "STRUCTURE,STRUCTURE_ID,ACTION,")
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def _message(samples: Path, tmp_path: Path, name: str) -> Path:
    sample = MESSAGES[name]
    if sample is None:
        return _csv_20(tmp_path) if name == "csv 2.0" else _csv(tmp_path)
    return samples / sample


def _as(kind: str, path: Path):
    if kind == "file":
        return path
    if kind == "bytes":
        return path.read_bytes()
    return io.BytesIO(path.read_bytes())


def _structure(samples: Path, name: str):
    from dataops.sdmx.readers import read_structure

    sample = STRUCTURES.get(name)
    return read_structure(samples / sample).structures[0] if sample else None


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "no-compiled"])
@pytest.mark.parametrize("kind", ["file", "bytes", "stream"])
@pytest.mark.parametrize("name", list(MESSAGES))
def test_the_recorded_path_is_the_tables_and_reads_what_lxml_or_pyarrow_reads(
    samples, tmp_path, name, kind, compiled
):
    path = _message(samples, tmp_path, name)
    structure = _structure(samples, name)
    want = EXPECTED[name][kind][0 if compiled else 1]
    # Files of any size are halved, so that the halves' row of the table is what reads.
    tuning = Tuning(halves_min_size=1)
    engine = "native" if compiled else "pyarrow"
    table = read_message(_as(kind, path), structure, engine=engine, tuning=tuning)
    assert table_metadata(table)["read_path"] == want
    # The plainest path of each format reads the same table.
    plainest = read_message(_as("stream", path), structure, engine="lxml")
    assert table_metadata(plainest)["read_path"] in ("lxml", "pyarrow-csv", "json")
    assert table.equals(plainest)


def test_the_chooser_follows_the_table_for_every_format_and_input_kind():
    for fmt in MessageFormat:
        if fmt in (MessageFormat.STRUCTURE_21, MessageFormat.STRUCTURE_30):
            continue
        for kind in InputKind:
            assert choose_path(fmt, kind, engine="pyarrow") in {
                p for row in PATHS.values() for p in row[kind]
            }
    assert choose_path(MessageFormat.ERROR, InputKind.BYTES) is ReadPath.LXML
    assert choose_path(MessageFormat.STRUCTURE_SPECIFIC_30, InputKind.STREAM) is ReadPath.NATIVE_XML
    assert choose_path(MessageFormat.ECB_CSVDATA, InputKind.FILE) is ReadPath.NATIVE_CSV


def test_xml_the_scanners_cannot_compare_as_bytes_is_read_by_lxml(samples):
    data = (samples / "ECB_EXR/ng-ts-gf-ss.xml").read_bytes()
    latin1 = data.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1)
    assert table_metadata(read_data(latin1))["read_path"] == "lxml"
    assert table_metadata(read_data(data, engine="lxml"))["read_path"] == "lxml"
    assert read_data(latin1).equals(read_data(data))


def test_a_quote_at_the_start_of_a_csv_file_sends_it_to_pyarrow(samples):
    path = samples / "derived/ECB_EXR-M.USD.EUR.SP00.A.sdmx-csv-1.0.csv"
    assert table_metadata(read_data(path))["read_path"] == "pyarrow-csv"


def test_a_quote_further_in_steps_down_from_the_compiled_scanner(tmp_path, caplog):
    path = _csv(tmp_path)
    with path.open("a") as fh:
        fh.write('ECB:EXR(1.0),M,C99,2000-01,1.5,A,"Rate, quoted"\n')
    with caplog.at_level(logging.DEBUG, logger="dataops.sdmx.readers.paths"):
        table = read_data(path)
    assert table_metadata(table)["read_path"] == "pyarrow-csv"
    assert "the native-csv path leaves the file to the pyarrow-csv-halves path" in caplog.text
    assert table.column("TITLE").to_pylist()[-1] == "Rate, quoted"


def test_a_small_csv_file_is_read_as_one_stream_without_the_compiled_scanner(tmp_path):
    path = _csv(tmp_path)
    assert table_metadata(read_data(path, engine="pyarrow"))["read_path"] == "pyarrow-csv"


def test_a_compressed_file_is_read_as_a_stream(samples, tmp_path):
    csv = _csv(tmp_path)
    packed = tmp_path / "data.csv.gz"
    packed.write_bytes(gzip.compress(csv.read_bytes()))
    assert table_metadata(read_data(packed))["read_path"] == "pyarrow-csv"
    assert read_data(packed).equals(read_data(csv))


def test_the_path_is_logged_and_in_the_dataframes_attrs(samples, caplog):
    with caplog.at_level(logging.DEBUG, logger="dataops.sdmx.readers.paths"):
        df = dataops.read_file(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml")
    assert df.attrs["sdmx"]["read_path"] == "native-generic-xml"
    assert "was read by the native-generic-xml path" in caplog.text
    plain = dataops.read_file(samples / "ECB_EXR/1/M.USD.EUR.SP00.A.xml", engine="lxml")
    assert plain.attrs["sdmx"]["read_path"] == "lxml"
    assert plain.equals(df)


def test_an_error_message_is_read_by_lxml_and_raised():
    error = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<message:Error xmlns:message='
        b'"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><message:ErrorMessage code="500">'
        b'<common:Text xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">'
        b"Internal error</common:Text></message:ErrorMessage></message:Error>"
    )
    with pytest.raises(RemoteError, match="Internal error"):
        read_data(error)


def test_an_unknown_engine_is_refused_with_the_choices():
    with pytest.raises(InvalidInput, match="native, pyarrow, lxml"):
        read_data(b"DATAFLOW,OBS_VALUE\nX,1\n", engine="fast")
