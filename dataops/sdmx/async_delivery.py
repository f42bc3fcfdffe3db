"""Eurostat's asynchronous delivery: a footer with a key instead of data, then poll until it is ready.

Eurostat answers a query it will not serve at once with an SDMX message holding only a footer
(code 413) and a key. Its async API then says, at ``{base}/1.0/async/status/{key}``, whether the
data is SUBMITTED, PROCESSING, AVAILABLE, EXPIRED or an UNKNOWN_REQUEST, and serves it at
``{base}/1.0/async/data/{key}`` (possibly zipped). Polling backs off from
``[data] async_poll_interval`` and gives up after ``[data] async_timeout`` with `DataNotReady`.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from lxml import etree

from dataops.errors import DataNotReady, MalformedMessage, RemoteError, TooLarge
from dataops.sdmx.config import DataConfig
from dataops.sdmx.provider_errors import provider_message, safe_parser
from dataops.sdmx.sources import Source

_URL = re.compile(r"(https?://\S+?)/async/(?:data|status)/([\w.\-]+)")
_KEY = re.compile(r"\basync(?:hronous)?\s+key\s*[:=]?\s*([\w.\-]+)", re.IGNORECASE)
_MAX_INTERVAL = 60.0


@dataclass(frozen=True)
class AsyncTicket:
    """Where to ask for, and later fetch, the data of one asynchronous request."""

    key: str
    status_url: str
    data_url: str


def async_ticket(body: bytes, source: Source) -> AsyncTicket | None:
    """The ticket of a footer-only reply carrying an asynchronous key, else ``None``."""
    head = body[: 256 * 1024]
    if b"Footer" not in head or re.search(rb"<(\w+:)?DataSet[\s>]", head):
        return None
    code, text = provider_message(body)
    if code != 413:
        return None
    found = _URL.search(text)
    named = _KEY.search(text)
    if found:
        base, key = found.group(1), found.group(2)
        if _origin(httpx.URL(base)) != _origin(httpx.URL(source.url)):
            # A reply names where to poll; only the provider's own host is ever asked.
            base = _beside(source)
    elif named:
        key, base = named.group(1), _beside(source)
    else:
        return None
    return AsyncTicket(key, f"{base}/async/status/{key}", f"{base}/async/data/{key}")


def _beside(source: Source) -> str:
    """The async API sits beside the SDMX one: .../dissemination/sdmx/2.1 -> .../dissemination/1.0"""
    return re.sub(r"/sdmx/(2\.1|3\.0)/?$", "", source.url.rstrip("/")) + "/1.0"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def async_status(body: bytes) -> str | None:
    """The state word of an async status reply (``AVAILABLE``, ``PROCESSING``...), ``None`` if absent."""
    try:
        root = etree.fromstring(body, safe_parser())
    except etree.XMLSyntaxError:
        return None
    for el in root.iter("{*}status", "status"):
        if len(el) == 0 and el.text and el.text.strip():
            return el.text.strip().upper()
    return None


def wait_until_ready(
    ticket: AsyncTicket,
    get: Callable[[httpx.URL], bytes],
    config: DataConfig,
    source_name: str,
    query_url: str,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Poll the status URL with back-off until AVAILABLE; `DataNotReady` past ``async_timeout``."""
    deadline = clock() + config.async_timeout
    delay = max(config.async_poll_interval, 0.01)
    details = {
        "url": query_url,
        "async_key": ticket.key,
        "status_url": ticket.status_url,
        "data_url": ticket.data_url,
    }
    while True:
        status = async_status(get(httpx.URL(ticket.status_url)))
        if status == "AVAILABLE":
            return
        if status not in ("SUBMITTED", "PROCESSING", "QUEUED"):
            raise RemoteError(
                f"{source_name} no longer has the data of asynchronous request {ticket.key} "
                f"(status {status or 'unreadable'}); run the query again. Status: {ticket.status_url} "
                f"Query: {query_url}",
                details={**details, "status": status},
            )
        remaining = deadline - clock()
        if remaining <= 0:
            raise DataNotReady(
                f"{source_name} had not prepared the data after {config.async_timeout:g} s "
                f"(asynchronous key {ticket.key}, last status {status}); try again later, or raise "
                f"[data] async_timeout. Data: {ticket.data_url} Query: {query_url}",
                details={**details, "status": status},
            )
        sleep(min(delay, remaining))
        delay = min(delay * 1.5, _MAX_INTERVAL)


def unzip_if_zipped(body: bytes, max_bytes: int, where: str) -> bytes:
    """The one member of a zip archive (Eurostat may zip async data), or ``body`` as it is."""
    if not body.startswith(b"PK\x03\x04"):
        return body
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise MalformedMessage(
                    f"The archive from {where} holds {len(members)} files, not one message."
                )
            if members[0].file_size > max_bytes:
                raise TooLarge(
                    f"The message in the archive from {where} is {members[0].file_size / 2**20:.0f} MiB, "
                    "above [data] max_response_mb.",
                    details={"url": where},
                )
            with archive.open(members[0]) as fh:
                return fh.read(max_bytes + 1)
    except zipfile.BadZipFile as exc:
        raise MalformedMessage(f"The archive from {where} is damaged: {exc}") from exc
