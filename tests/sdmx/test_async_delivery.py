"""Eurostat's asynchronous delivery: footer with a key, status polls, then the data (or a clear timeout)."""

from __future__ import annotations

import pytest

import dataops
from dataops.errors import DataNotReady, RemoteError, TooLarge
from dataops.sdmx.async_delivery import async_status, async_ticket
from dataops.sdmx.sources import Source

USD = "M.USD.EUR.SP00.A"


def _paths(fake_provider, part):
    return [p for p, _ in fake_provider.requests if part in p]


def test_data_is_polled_until_available_then_read(sdmx_config, fake_provider):
    fake_provider.async_pending = 3
    df = dataops.read("ESTAT_ASYNC", "EXR", key=USD, start="2019-01")
    assert df.TIME_PERIOD.tolist() == [f"2019-{m:02d}" for m in range(1, 13)]
    statuses = _paths(fake_provider, "/async/status/")
    assert len(statuses) == 4  # SUBMITTED, PROCESSING, PROCESSING, AVAILABLE
    key = statuses[0].rsplit("/", 1)[1]
    assert _paths(fake_provider, "/async/data/") == [f"/estatasync/1.0/async/data/{key}"]
    assert df.attrs["sdmx"]["url"].endswith(
        "/estatasync/sdmx/2.1/data/EXR/M.USD.EUR.SP00.A?startPeriod=2019-01"
    )


def test_zipped_async_data_is_unpacked(sdmx_config, fake_provider):
    fake_provider.async_pending, fake_provider.async_zip = 0, True
    assert len(dataops.read("ESTAT_ASYNC", "EXR", key=USD, last=5)) == 5


def test_timeout_names_the_key_and_the_url(sdmx_config, dataops_config, fake_provider):
    dataops_config.write_text(dataops_config.read_text().replace("async_timeout = 10", "async_timeout = 0.4"))
    fake_provider.async_pending = 10**6
    with pytest.raises(DataNotReady) as err:
        dataops.read("ESTAT_ASYNC", "EXR", key=USD)
    key = err.value.details["async_key"]
    assert f"asynchronous key {key}" in str(err.value) and "after 0.4 s" in str(err.value)
    assert err.value.details["data_url"] == f"{fake_provider.url}/estatasync/1.0/async/data/{key}"
    assert "/estatasync/sdmx/2.1/data/EXR/" in str(err.value)
    polls = len(_paths(fake_provider, "/async/status/"))
    assert 2 <= polls <= 8  # backed off from 0.05 s, not hammered
    assert _paths(fake_provider, "/async/data/") == []


def test_expired_request_is_reported(sdmx_config, fake_provider):
    fake_provider.async_pending, fake_provider.async_outcome = 1, "EXPIRED"
    with pytest.raises(RemoteError, match="status EXPIRED.*run the query again"):
        dataops.read("ESTAT_ASYNC", "EXR", key=USD)
    assert _paths(fake_provider, "/async/data/") == []


def test_legacy_footer_with_a_file_url_stays_too_large(sdmx_config):
    with pytest.raises(TooLarge) as err:
        dataops.read("LOCAL_ESTAT", "GOV_10Q_GGNFA")
    assert err.value.details["file_url"].startswith("http://ec.europa.eu/eurostat/SDMX/diss-web/file/")


def _footer(url: str) -> bytes:
    return f"""<m:GenericData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
      xmlns:f="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer"
      xmlns:c="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"><f:Footer>
      <f:Message code="413"><c:Text>Data will be at
      {url}</c:Text></f:Message>
      </f:Footer></m:GenericData>""".encode()


def test_ticket_from_a_footer_naming_the_async_url_on_the_providers_host():
    footer = _footer("https://ec.europa.eu/eurostat/api/dissemination/1.0/async/data/a1b2-c3")
    source = Source("E", "Eurostat", "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1")
    ticket = async_ticket(footer, source)
    assert ticket.key == "a1b2-c3"
    assert ticket.status_url == "https://ec.europa.eu/eurostat/api/dissemination/1.0/async/status/a1b2-c3"


@pytest.mark.parametrize(
    "named",
    [
        "http://169.254.169.254/latest/1.0/async/data/a1b2-c3",
        "https://ec.europa.eu.evil.example/1.0/async/data/a1b2-c3",
        "http://ec.europa.eu/eurostat/api/dissemination/1.0/async/data/a1b2-c3",  # other scheme
        "https://ec.europa.eu:8443/eurostat/api/dissemination/1.0/async/data/a1b2-c3",  # other port
    ],
)
def test_a_footer_naming_another_host_is_only_followed_on_the_providers_own_host(named):
    source = Source("E", "Eurostat", "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1")
    ticket = async_ticket(_footer(named), source)
    assert ticket.key == "a1b2-c3"
    assert ticket.status_url == "https://ec.europa.eu/eurostat/api/dissemination/1.0/async/status/a1b2-c3"
    assert ticket.data_url == "https://ec.europa.eu/eurostat/api/dissemination/1.0/async/data/a1b2-c3"


def test_status_word_is_read_from_the_envelope():
    body = b"""<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>
      <ns0:asyncResponse xmlns:ns0="urn:x"><status><key>k</key><status>PROCESSING</status></status>
      </ns0:asyncResponse></env:Body></env:Envelope>"""
    assert async_status(body) == "PROCESSING"
