"""The history of data as one SDMX data message of several datasets (REST ``includeHistory=true``).

Each past dissemination is one dataset: the observations it added or revised, with ``action``
``Replace`` and ``validFromDate`` its time, and, when it removed observations, a second dataset
with ``action`` ``Delete`` and ``validToDate`` its time (sdmx-twg/sdmx-rest ``doc/data.md``).
SDMX-ML 2.1 (generic and structure-specific) and 3.0 carry these attributes on ``DataSet``;
SDMX-JSON 2.0 as ``action``, ``validFrom`` and ``validTo`` of each data set, each with its own
structure entry. SDMX-CSV and SDMX-JSON 1.0 are refused: they carry one version of the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

import pyarrow as pa

from dataops.errors import NotAcceptable
from dataops.sdmx import data_messages
from dataops.sdmx.model import Dataflow, Structure

HISTORY_FORMATS = ("generic21", "ss21", "ss30", "json20")


@dataclass(frozen=True)
class DataSetVersion:
    """One dataset of a history: rows in the read shape, ``Replace`` (valid from ``valid_from``) or
    ``Delete`` (valid until ``valid_to``); times are ISO 8601 with their offset."""

    table: pa.Table
    action: str
    valid_from: str | None = None
    valid_to: str | None = None


def check_format(fmt: str) -> None:
    """`NotAcceptable` unless ``fmt`` can carry several datasets each with its validity."""
    if fmt not in HISTORY_FORMATS:
        raise NotAcceptable(
            "includeHistory=true answers one dataset per past version of the data, each with its "
            "validity, which SDMX-CSV and SDMX-JSON 1.0 cannot carry; ask for SDMX-ML 2.1 or 3.0 "
            "(application/vnd.sdmx.genericdata+xml;version=2.1, "
            "application/vnd.sdmx.data+xml;version=3.0.0) or SDMX-JSON 2.0 "
            "(application/vnd.sdmx.data+json;version=2.0.0)."
        )


def write(
    fmt: str, versions: list[DataSetVersion], dataflow: Dataflow, structure: Structure, *, flat: bool = False
) -> Iterator[bytes]:
    """The message in format ``fmt`` (one of `HISTORY_FORMATS`), one dataset per version, in order."""
    check_format(fmt)
    if fmt == "json20":
        return iter([_json(versions, dataflow, structure, flat)])
    return _xml(fmt, versions, dataflow, structure, flat)


def _xml(
    fmt: str, versions: list[DataSetVersion], dataflow: Dataflow, structure: Structure, flat: bool
) -> Iterator[bytes]:
    # Each version is written as a message of its own by the one-dataset writers; the first one's
    # header opens the answer and every version contributes its DataSet element.
    prefix = "ss:" if fmt != "generic21" else ""
    closing = b""
    for i, version in enumerate(versions):
        text = _whole(data_messages.write(fmt, version.table, dataflow, structure, flat=flat))
        start = text.index(b"<message:DataSet ")
        head_end = text.index(b">", start) + 1
        end = text.rindex(b"</message:DataSet>") + len(b"</message:DataSet>")
        if i == 0:
            yield text[:start]
        closing = text[end:]
        opening = text[start:head_end].decode()
        validity = [
            f" {prefix}{name}={quoteattr(value)}"
            for name, value in (("validFromDate", version.valid_from), ("validToDate", version.valid_to))
            if value
        ]
        opening = opening.replace(
            f'{prefix}action="Information"', f'{prefix}action="{version.action}"' + "".join(validity)
        )
        yield opening.encode() + text[head_end:end]
    yield closing


def _json(versions: list[DataSetVersion], dataflow: Dataflow, structure: Structure, flat: bool) -> bytes:
    message: dict | None = None
    for i, version in enumerate(versions):
        one = json.loads(_whole(data_messages.write("json20", version.table, dataflow, structure, flat=flat)))
        data_set = one["data"]["dataSets"][0]
        data_set["structure"] = i
        data_set["action"] = version.action
        if version.valid_from:
            data_set["validFrom"] = version.valid_from
        if version.valid_to:
            data_set["validTo"] = version.valid_to
        one["data"]["structures"][0]["dataSets"] = [i]
        if message is None:
            message = one
        else:
            message["data"]["structures"].append(one["data"]["structures"][0])
            message["data"]["dataSets"].append(data_set)
    assert message is not None
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()


def _whole(body: bytes | Iterator[bytes]) -> bytes:
    return body if isinstance(body, bytes) else b"".join(body)
