"""Turn a provider's refusal (status, ``<message:Error>``, Eurostat footer) into a `dataops.errors` error.

Every error names the provider and carries the URL in its sentence and its ``details``, so a
statistician can paste it into a browser or a ticket.
"""

from __future__ import annotations

import json
import re

from lxml import etree

from dataops.errors import (
    DataOpsError,
    Forbidden,
    InvalidInput,
    NoData,
    NotFound,
    NotImplementedByProvider,
    ProviderDown,
    RateLimited,
    RemoteError,
    TooLarge,
    Unauthorized,
    UnknownDataflow,
)

# SDMX 2.1 web service guidelines, error codes (section V): what each means for the user.
_SDMX_CODES = {100: 404, 110: 401, 130: 413, 140: 400, 150: 400, 500: 503, 501: 501, 503: 503, 510: 413}
_MAX_ERROR_BODY = 256 * 1024


def safe_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, expands no entity and touches no network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def provider_message(body: bytes) -> tuple[int | None, str]:
    """``(sdmx error code, text)`` from an SDMX-ML or SDMX-JSON error body, else ``(None, short text)``."""
    body = body[:_MAX_ERROR_BODY]
    head = body.lstrip()[:1]
    if head == b"<":
        try:
            root = etree.fromstring(body, safe_parser())
        except etree.XMLSyntaxError:
            return None, _plain(body)
        for el in root.iter("{*}ErrorMessage", "{*}Message"):
            code = el.get("code")
            texts = [t.text.strip() for t in el.iter("{*}Text") if t.text and t.text.strip()]
            return (int(code) if code and code.isdigit() else None), " ".join(texts)
        # lxml-stubs still type element text as ``str | bytes``; lxml gives ``str`` in Python 3.
        return None, _plain(b" ".join(t.encode() for t in root.itertext()))  # type: ignore[union-attr]
    if head in (b"{", b"["):
        try:
            doc = json.loads(body)
        except ValueError:
            return None, _plain(body)
        errors = doc.get("errors") if isinstance(doc, dict) else None
        if errors and isinstance(errors[0], dict):
            err = errors[0]
            text = err.get("title") or err.get("detail") or err.get("message") or ""
            if isinstance(text, dict):
                text = text.get("en") or next(iter(text.values()), "")
            code = str(err.get("code"))
            return (int(code) if code.isdigit() else None), str(text)
        return None, _plain(body)
    return None, _plain(body)


def _plain(body: bytes) -> str:
    text = re.sub(rb"<[^>]+>", b" ", body[:2000]).decode("utf-8", "replace")
    return " ".join(text.split())[:500]


def footer_error(body: bytes, url: str, source_name: str) -> TooLarge | None:
    """Eurostat's footer-only reply to a large query (code 413, a file URL to fetch later), if it is one."""
    head = body[:_MAX_ERROR_BODY]
    if b"Footer" not in head or re.search(rb"<(\w+:)?DataSet[\s>]", head):
        return None
    code, text = provider_message(body)
    if code != 413:
        return None
    links = re.findall(r"https?://\S+", text)
    return TooLarge(
        f"{source_name} will not deliver this query directly because it is too large; it said: {text} "
        f"Narrow the key or the period, or fetch the file later. Query: {url}",
        details={
            "url": url,
            "status": 413,
            "provider_message": text,
            "file_url": links[0] if links else None,
        },
    )


def error_for(
    status: int, body: bytes, url: str, source_name: str, kind: str, retry_after: float | None = None
) -> DataOpsError:
    """The `DataOpsError` for a refused request; ``kind`` is data, availability, dataflow or structure."""
    code, text = provider_message(body) if body else (None, "")
    # Some providers send the SDMX error code with a 200 or 500 status; the code is the better signal.
    effective = _SDMX_CODES.get(code, status) if code is not None else status
    reason = f" It said: {text.rstrip('.')}." if text else ""
    details = {"url": url, "status": status, "sdmx_code": code, "provider_message": text}
    where = f" Query: {url}"
    if effective in (204, 404) and kind in ("data", "availability"):
        return NoData(f"{source_name} has no data for this query.{reason}{where}", details=details)
    if effective == 404 and kind == "dataflow":
        return UnknownDataflow(f"{source_name} has no such dataflow.{reason}{where}", details=details)
    if effective == 404:
        return NotFound(f"{source_name} does not have this {kind}.{reason}{where}", details=details)
    if effective == 413:
        return TooLarge(
            f"{source_name} refused the query because the answer would be too large; narrow the key or "
            f"the period.{reason}{where}",
            details=details,
        )
    if effective == 501:
        return NotImplementedByProvider(
            f"{source_name} does not support this kind of {kind} query.{reason}{where}", details=details
        )
    if effective == 401:
        return Unauthorized(
            f"{source_name} requires credentials that were missing or refused.{reason}{where}",
            details=details,
        )
    if effective == 403:
        return Forbidden(f"{source_name} does not allow this query.{reason}{where}", details=details)
    if effective == 400:
        return InvalidInput(f"{source_name} refused the query as invalid.{reason}{where}", details=details)
    if effective == 429:
        wait = f" (it asked to wait {retry_after:g} s)" if retry_after else ""
        return RateLimited(
            f"{source_name} is limiting requests{wait}; try again later.{reason}{where}", details=details
        )
    if effective >= 500:
        return ProviderDown(
            f"{source_name} is not working right now (HTTP {status}); try again later.{reason}{where}",
            details=details,
        )
    return RemoteError(f"{source_name} refused the query (HTTP {status}).{reason}{where}", details=details)
