"""HTTP against the local provider: Accept headers, gzip, retries, and each refusal as its own error."""

from __future__ import annotations

import pytest

import dataops
from dataops.errors import (
    InvalidInput,
    NoData,
    NotImplementedByProvider,
    ProviderDown,
    RateLimited,
    RemoteError,
    TooLarge,
)
from dataops.sdmx import media
from dataops.sdmx.client import SdmxClient
from dataops.sdmx.config import DataConfig
from dataops.sdmx.keys import SeriesKey
from dataops.sdmx.provider_errors import error_for, provider_message
from dataops.sdmx.query import DataQuery, FlowRef
from dataops.sdmx.sources import get_source
from dataops.sdmx.transport import Transport


def _transport(sdmx_config, data_config, source_id, **overrides):
    config = DataConfig(**{**data_config.__dict__, **overrides})
    sleeps: list[float] = []
    transport = Transport(get_source(sdmx_config, source_id), config, sleep=sleeps.append)
    return transport, sleeps


def _data_url(fake_provider, persona, flow="EXR", key="M.USD.EUR.SP00.A"):
    return f"{fake_provider.url}/{persona}/data/{flow}/{key}"


def test_data_request_sends_an_explicit_accept_and_gets_the_preferred_format(
    sdmx_config, data_config, fake_provider
):
    transport, _ = _transport(sdmx_config, data_config, "LOCAL_ECB")
    accept = media.data_accept(1, ("csv", "xml"))
    reply = transport.get(_data_url(fake_provider, "ecb"), accept, "data")
    assert reply.headers["Content-Type"] == media.CSV_10
    assert reply.content.startswith(b"DATAFLOW,FREQ,CURRENCY")
    assert fake_provider.requests[-1][1]["Accept"] == accept


def test_gzip_answers_are_decompressed(sdmx_config, data_config, fake_provider):
    transport, _ = _transport(sdmx_config, data_config, "GZIP")
    reply = transport.get(_data_url(fake_provider, "gzip"), media.CSV_10, "data")
    assert "gzip" in fake_provider.requests[-1][1]["Accept-Encoding"]
    assert reply.headers["Content-Encoding"] == "gzip"
    assert reply.content.count(b"\n") == 253  # header + 252 observations


def test_429_is_retried_after_the_delay_the_provider_asked_for(sdmx_config, data_config, fake_provider):
    fake_provider.busy_count = 2
    transport, sleeps = _transport(sdmx_config, data_config, "BUSY")
    reply = transport.get(_data_url(fake_provider, "busy"), media.CSV_10, "data")
    assert reply.status == 200
    assert sleeps == [1.0, 1.0]
    assert len(fake_provider.requests) == 3


def test_429_beyond_the_retries_is_rate_limited(sdmx_config, data_config, fake_provider):
    fake_provider.busy_count = 10
    transport, sleeps = _transport(sdmx_config, data_config, "BUSY")
    with pytest.raises(RateLimited, match="limiting requests \\(it asked to wait 1 s\\)") as err:
        transport.get(_data_url(fake_provider, "busy"), media.CSV_10, "data")
    assert len(sleeps) == data_config.retries
    assert err.value.details["url"].endswith("/busy/data/EXR/M.USD.EUR.SP00.A")


def test_a_wait_longer_than_allowed_is_not_slept(sdmx_config, data_config, fake_provider):
    fake_provider.busy_count = 1
    transport, sleeps = _transport(sdmx_config, data_config, "BUSY", max_retry_wait=0.5)
    with pytest.raises(RateLimited):
        transport.get(_data_url(fake_provider, "busy"), media.CSV_10, "data")
    assert sleeps == []


def test_503_is_retried_with_backoff_then_reported_as_provider_down(sdmx_config, data_config, fake_provider):
    transport, sleeps = _transport(sdmx_config, data_config, "DOWN")
    with pytest.raises(ProviderDown, match="is not working right now \\(HTTP 503\\).*Service unavailable"):
        transport.get(_data_url(fake_provider, "down"), media.CSV_10, "data")
    assert sleeps == [0.5, 1.0]


def test_unreachable_provider_is_provider_down(data_config):
    from dataops.sdmx.sources import Source

    source = Source("GONE", "Gone provider", "http://127.0.0.1:9")
    transport = Transport(source, data_config, sleep=lambda s: None)
    with pytest.raises(ProviderDown, match="Gone provider could not be reached"):
        transport.get("http://127.0.0.1:9/data/EXR/all", media.CSV_10, "data")


def test_error_message_body_becomes_no_data_with_the_providers_words(sdmx_config, data_config, fake_provider):
    transport, _ = _transport(sdmx_config, data_config, "LOCAL_ECB")
    url = _data_url(fake_provider, "ecb", key="D.USD.EUR.SP00.A")
    with pytest.raises(NoData, match="has no data for this query. It said: No Results Found") as err:
        transport.get(url, media.CSV_10, "data")
    assert url in err.value.message
    assert err.value.details["sdmx_code"] == 100


def test_413_is_too_large(sdmx_config, data_config, fake_provider):
    transport, _ = _transport(sdmx_config, data_config, "LOCAL_ESTAT")
    with pytest.raises(TooLarge, match="too large; narrow the key or the period"):
        transport.get(_data_url(fake_provider, "estat", key="all"), media.CSV_10, "data")


def test_answer_above_the_size_limit_is_refused(sdmx_config, data_config, fake_provider):
    transport, _ = _transport(sdmx_config, data_config, "LOCAL_ECB", max_response_mb=0)
    with pytest.raises(TooLarge, match="above the limit of 0 MiB"):
        transport.get(_data_url(fake_provider, "ecb"), media.CSV_10, "data")


def test_compressed_answer_above_the_size_limit_is_refused_while_reading(
    sdmx_config, data_config, fake_provider
):
    transport, _ = _transport(sdmx_config, data_config, "GZIP", max_response_mb=0)
    with pytest.raises(TooLarge, match="exceeds the limit of 0 MiB"):
        transport.get(_data_url(fake_provider, "gzip"), media.CSV_10, "data")


def test_eurostat_footer_is_too_large_with_the_file_url(sdmx_config, data_config, fake_provider):
    with SdmxClient(get_source(sdmx_config, "LOCAL_ESTAT"), data_config) as client:
        with pytest.raises(
            TooLarge,
            match="Local estat provider will not deliver this query directly because it is too large",
        ) as err:
            client.data(DataQuery(FlowRef("GOV_10Q_GGNFA"), SeriesKey.parse("Q.MIO_EUR")))
    assert err.value.details["file_url"] == "http://ec.europa.eu/eurostat/SDMX/diss-web/file/wHsvjs7hQCy7Dqf4"
    assert "Narrow the key or the period, or fetch the file later" in err.value.message


def test_availability_not_supported_is_not_implemented(sdmx_config, data_config, fake_provider):
    with SdmxClient(get_source(sdmx_config, "NOAVAIL"), data_config) as client:
        with pytest.raises(
            NotImplementedByProvider, match="does not support this kind of availability query"
        ):
            client.availability(FlowRef("EXR"), SeriesKey.parse("M...."))


def test_availability_lists_codes_with_data_per_dimension(sdmx_config, data_config, fake_provider):
    with SdmxClient(get_source(sdmx_config, "LOCAL_ECB"), data_config) as client:
        answer = client.availability("EXR", SeriesKey.parse("M.USD+JPY..."))
    assert answer.codes["CURRENCY"] == ["USD"]
    assert answer.codes["FREQ"] == ["M"]
    assert answer.series_count == 1
    assert "/availableconstraint/EXR/M.USD+JPY.../all/all?mode=available" in answer.url


def test_availability_on_rest_2(sdmx_config, data_config, fake_provider):
    with SdmxClient(get_source(sdmx_config, "LOCAL_V2"), data_config) as client:
        answer = client.availability("EXR", SeriesKey.parse("A.CAD+CHF..SP00."))
    assert answer.codes["CURRENCY"] == ["CAD", "CHF"] and answer.codes["EXR_SUFFIX"] == ["A", "E"]
    assert "/v2/availability/dataflow/ECB/EXR/~/A.CAD,CHF.*.SP00.*/*" in answer.url


def test_sdmx_error_codes_win_over_the_status():
    body = (
        b'<m:Error xmlns:m="x"><m:ErrorMessage code="150"><c:Text xmlns:c="y">Dimension FREQ '
        b"unknown</c:Text></m:ErrorMessage></m:Error>"
    )
    assert provider_message(body) == (150, "Dimension FREQ unknown")
    err = error_for(500, body, "http://p/data/X/all", "P", "data")
    assert isinstance(err, InvalidInput) and "It said: Dimension FREQ unknown" in err.message


def test_json_error_bodies_are_read():
    body = b'{"errors": [{"code": 100, "title": "No results found"}]}'
    assert isinstance(error_for(404, body, "http://p", "P", "data"), NoData)


def test_error_body_with_an_entity_bomb_is_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><Error><ErrorMessage code="500"><Text>&c;</Text>'
        b"</ErrorMessage></Error>"
    )
    code, text = provider_message(bomb)
    assert len(text) < 100


def test_a_redirect_within_the_providers_site_is_followed(sdmx_config, fake_provider):
    fake_provider.moved_to = f"{fake_provider.url}/ecb"
    df = dataops.read("MOVED", "EXR", key="M.USD.EUR.SP00.A", last=3)
    assert len(df) == 3


def test_a_redirect_to_another_host_is_refused_before_it_is_requested(sdmx_config, fake_provider):
    other_host = fake_provider.url.replace("127.0.0.1", "localhost")  # the same server, another host name
    fake_provider.moved_to = f"{other_host}/ecb"
    with pytest.raises(RemoteError, match="outside its own site") as err:
        dataops.read("MOVED", "EXR", key="M.USD.EUR.SP00.A", last=3)
    assert err.value.details["url"].startswith("http://localhost:")
    assert [p for p, _ in fake_provider.requests if p.startswith("/ecb")] == []
