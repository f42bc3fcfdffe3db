"""A corpus of broken and hostile messages: each gives its own error with a readable sentence, fast."""

from __future__ import annotations

import gzip

import pytest

from dataops.errors import MalformedMessage, NoData, RemoteError, TooLarge, UnsupportedFormat
from dataops.sdmx.readers import read_data, read_structure
from dataops.sdmx.xml_safety import DTD_REFUSED

pytestmark = pytest.mark.timeout(30)

SS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
    ' xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">\n'
    "<message:Header><message:ID>T</message:ID></message:Header>\n"
    '<message:DataSet ss:structureRef="X">\n'
)
SS_TAIL = "</message:DataSet>\n</message:StructureSpecificData>\n"


def ss_message(body: str) -> bytes:
    return (SS_HEAD + body + SS_TAIL).encode()


GOOD = ss_message(
    '<Series FREQ="M" CURRENCY="USD" TITLE="US dollar">\n'
    '<Obs TIME_PERIOD="2024-01" OBS_VALUE="1.09"/>\n'
    '<Obs TIME_PERIOD="2024-02" OBS_VALUE="NaN"/>\n'
    "</Series>\n"
)


def test_the_good_message_of_this_corpus_reads():
    df = read_data(GOOD).to_pandas()
    assert df["OBS_VALUE"].isna().tolist() == [False, True]


def test_truncated_message_names_the_line():
    with pytest.raises(MalformedMessage, match=r"line \d+") as err:
        read_data(GOOD[: len(GOOD) - 60])
    assert "truncated" in str(err.value)


def test_wrong_namespace_is_an_unsupported_format_listing_the_supported_ones():
    bad = GOOD.replace(
        b"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message", b"http://example.org/not-sdmx"
    )
    with pytest.raises(UnsupportedFormat, match="not-sdmx") as err:
        read_data(bad)
    assert "SDMX-CSV 2.0" in str(err.value) and "SDMX-JSON 1.0" in str(err.value)


def test_sdmx_ml_2_0_is_refused_by_name():
    bad = b'<?xml version="1.0"?><CompactData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"/>'
    with pytest.raises(UnsupportedFormat, match="SDMX-ML 2.0"):
        read_data(bad)


BOMB_ENTITIES = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 12))


def test_billion_laughs_entity_bomb_is_refused_quickly():
    bomb = GOOD.replace(
        b"<message:StructureSpecificData",
        f"<!DOCTYPE m [{BOMB_ENTITIES}]>\n<message:StructureSpecificData".encode(),
        1,
    )
    bomb = bomb.replace(b'TITLE="US dollar"', b'TITLE="&a11;"')
    with pytest.raises(MalformedMessage, match="DTD"):
        read_data(bomb)
    with pytest.raises(MalformedMessage, match="DTD"):
        read_structure(bomb.replace(b"StructureSpecificData", b"Structure"))


def test_external_entity_does_not_read_the_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doctype = f'<!DOCTYPE m [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    evil = GOOD.replace(
        b"<message:StructureSpecificData", (doctype + "<message:StructureSpecificData").encode(), 1
    )
    evil = evil.replace(b'TITLE="US dollar"', b'TITLE="&xxe;"')
    with pytest.raises(MalformedMessage, match="DTD") as err:
        read_data(evil)
    assert "TOP-SECRET" not in str(err.value)
    structure = evil.replace(b"StructureSpecificData", b"Structure")
    with pytest.raises(MalformedMessage) as err:
        read_structure(structure)
    assert "TOP-SECRET" not in str(err.value)


def test_bytes_that_are_not_utf8_name_the_line():
    bad = GOOD.replace(b'TITLE="US dollar"', b'TITLE="Dollar \xe9tats-unis"')
    with pytest.raises(MalformedMessage, match=r"line 5"):
        read_data(bad)


def test_declared_latin1_encoding_is_read_correctly():
    text = GOOD.decode().replace("UTF-8", "ISO-8859-1").replace("US dollar", "Dollar des États-Unis")
    df = read_data(text.encode("latin-1")).to_pandas()
    assert df["TITLE"].iloc[0] == "Dollar des États-Unis"


def test_huge_attribute_value_is_refused_not_swallowed():
    huge = GOOD.replace(b'TITLE="US dollar"', b'TITLE="' + b"x" * 12_000_000 + b'"')
    with pytest.raises(MalformedMessage, match=r"safety limits .*line \d+"):
        read_data(huge)
    with pytest.raises(TooLarge, match="limit of 1,000,000 bytes"):
        read_data(huge, max_bytes=1_000_000)


def test_a_file_over_the_size_limit_is_refused_before_reading_and_one_at_the_limit_reads(tmp_path):
    path = tmp_path / "message.xml"
    path.write_bytes(GOOD)
    assert read_data(path, max_bytes=len(GOOD)).num_rows == 2
    with pytest.raises(TooLarge) as err:
        read_data(path, max_bytes=len(GOOD) - 1)
    assert err.value.message.startswith(f"{path} is larger than the limit of {len(GOOD) - 1:,} bytes")
    assert err.value.details == {"max_bytes": len(GOOD) - 1}


def test_a_stream_at_the_size_limit_reads_and_one_byte_more_is_refused():
    assert read_data(iter([GOOD[:100], GOOD[100:]]), max_bytes=len(GOOD)).num_rows == 2
    with pytest.raises(
        TooLarge, match=f"The message is larger than the limit of {len(GOOD) - 1:,} bytes"
    ) as err:
        read_data(iter([GOOD[:100], GOOD[100:]]), max_bytes=len(GOOD) - 1)
    assert err.value.details == {"max_bytes": len(GOOD) - 1}


def test_size_limit_applies_to_streams_and_to_decompressed_bytes():
    chunks = (GOOD for _ in range(1000))
    with pytest.raises(TooLarge):
        read_data(chunks, max_bytes=50_000)
    bomb = gzip.compress(b" " * 20_000_000)
    with pytest.raises(TooLarge):
        read_data(bomb, max_bytes=1_000_000)
    assert read_data(gzip.compress(GOOD)).num_rows == 2


def test_empty_dataset_is_no_data():
    with pytest.raises(NoData, match="no observations"):
        read_data(ss_message(""))
    with pytest.raises(NoData):
        read_data(b"STRUCTURE,STRUCTURE_ID,ACTION,FREQ,TIME_PERIOD,OBS_VALUE\n")


def test_error_message_body_carries_the_providers_text():
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
        b' xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">'
        b'<message:ErrorMessage code="500"><common:Text>Service temporarily unavailable</common:Text>'
        b"</message:ErrorMessage></message:Error>"
    )
    with pytest.raises(RemoteError, match="Service temporarily unavailable"):
        read_data(body)
    with pytest.raises(NoData, match="No Results Found"):
        read_data(
            body.replace(b'code="500"', b'code="100"').replace(
                b"Service temporarily unavailable", b"No Results Found"
            )
        )


def test_footer_without_data_is_too_large_with_the_url(samples):
    with pytest.raises(TooLarge, match="diss-web/file"):
        read_data((samples / "ESTAT/footer.xml").read_bytes())


def test_non_numeric_observation_value_names_it():
    with pytest.raises(MalformedMessage, match="'abc'"):
        read_data(GOOD.replace(b'OBS_VALUE="1.09"', b'OBS_VALUE="abc"'))


def test_html_page_and_empty_input_are_unsupported():
    with pytest.raises(UnsupportedFormat, match="HTML"):
        read_data(b"<!DOCTYPE html><html><body>Maintenance</body></html>")
    with pytest.raises(UnsupportedFormat, match="empty"):
        read_data(b"")


def test_broken_json_names_line_and_column():
    with pytest.raises(MalformedMessage, match="line 2"):
        read_data(b'{"dataSets": [\n {"series": }]}')


def test_structure_message_given_to_read_data_says_so(samples):
    with pytest.raises(UnsupportedFormat, match="read_structure"):
        read_data(samples / "v3/xml/dataflow.xml")


@pytest.mark.parametrize(
    "doctype",
    [
        "<!DOCTYPE message:StructureSpecificData>",  # no entity at all: only the reader's own check stops it
        '<!DOCTYPE m SYSTEM "http://127.0.0.1:9/sdmx.dtd">',
        "<!DOCTYPE m [<!ELEMENT m ANY>]>",
    ],
)
@pytest.mark.parametrize(
    "engine", ["native", "pyarrow", "lxml"]
)  # every read path ends in the streaming reader
def test_the_streaming_reader_refuses_a_data_message_with_a_doctype(doctype, engine):
    message = GOOD.replace(
        b"<message:StructureSpecificData", f"{doctype}\n<message:StructureSpecificData".encode(), 1
    )
    with pytest.raises(MalformedMessage) as err:
        read_data(message, engine=engine)
    # The reader's own sentence, not libxml2's complaint about an entity reworded by xml_safety.
    assert err.value.message.endswith(f" {DTD_REFUSED}")
    assert "(line" not in err.value.message
