"""SDMX-ML data messages (2.1 generic, 2.1 and 3.0 structure-specific) read with lxml's target parser.

The target parser never builds a tree: each element start/end becomes one method call, so memory
follows the observations collected, not the size of the message. Error and footer messages turn
into `RemoteError`, `TooLarge` or `NoData`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from dataops.errors import MalformedMessage, NoData, RemoteError, TooLarge
from dataops.sdmx.media import MessageFormat
from dataops.sdmx.model import Structure
from dataops.sdmx.readers.runs import OBS_DIMENSION, GenericScanner, ObsScanner
from dataops.sdmx.readers.table import OBS_VALUE, FooterMessage, TableBuilder, TableInfo
from dataops.sdmx.xml_safety import DTD_REFUSED, safe_parser, syntax_error

TIME_PERIOD = "TIME_PERIOD"


@dataclass
class _Message:
    """A footer or error message being read: its text comes in parts (one per <Text>)."""

    code: str
    severity: str
    parts: list[str] = field(default_factory=list)


def plain(attrib: dict[str, str]) -> dict[str, str]:
    """Unqualified attributes, with ``&`` restored.

    Without entity resolution libxml2 hands over an escaped ``&`` in an attribute value as the
    five characters ``&#38;`` (and every ``&`` that way), so replacing them back is exact.
    """
    # Joined, the names and values are searched at C speed: the usual element has neither.
    if "{" in "".join(attrib):
        out = {k: v for k, v in attrib.items() if k[0] != "{"}
    else:
        out = dict(attrib)
    if "&#38;" in "".join(out.values()):
        for k, v in out.items():
            if "&#38;" in v:
                out[k] = v.replace("&#38;", "&")
    return out


def local(tag: str) -> str:
    """The local part of a Clark-notation tag (``{ns}Series`` → ``Series``)."""
    return tag.rpartition("}")[2]


class MessageTarget:
    """What every SDMX-ML data message has: header, datasets, footer, or an error body."""

    def __init__(self, builder: TableBuilder, info: TableInfo, structure: Structure | None) -> None:
        self.b = builder
        self.info = info
        self.structure = structure
        self.dims = {d.id for d in structure.dimensions} if structure else set()
        self.root_seen = False
        self.dim_at_obs = TIME_PERIOD
        self.dataset = -1  # index of the current dataset context in the builder
        self.dataset_values: dict[str, str] = {}
        self.text: list[str] | None = None  # collecting character data when not None
        self.messages: list[_Message] = []  # footer or error messages
        self.header_ref: dict[str, str] = {}
        self.in_header = False

    # lxml calls these ------------------------------------------------------------------
    def doctype(self, *args: object) -> None:
        raise MalformedMessage(f"{self.info.what} {DTD_REFUSED}")

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def pi(self, target: str, data: str) -> None:
        pass

    def close(self) -> None:
        return None

    # shared handling ---------------------------------------------------------------------
    def start_common(self, name: str, tag: str, attrib: dict[str, str]) -> None:
        """Elements outside the dataset body: header, footer, error messages."""
        if name == "Header":
            self.in_header = True
        elif self.in_header and name == "Structure" and "structureID" in attrib:
            self.dim_at_obs = attrib.get("dimensionAtObservation", TIME_PERIOD)
        elif self.in_header and name == "Ref" and "id" in attrib and not self.header_ref:
            self.header_ref = dict(attrib)
        elif self.in_header and name in ("StructureUsage", "Structure", "ProvisionAgreement"):
            self.text = []
        elif name in ("Message", "ErrorMessage"):
            self.messages.append(_Message(attrib.get("code", ""), attrib.get("severity", "")))
        elif name == "Text" and self.messages:
            self.text = []

    def end_common(self, name: str) -> None:
        if name == "Header":
            self.in_header = False
            self.info.dimension_at_observation = self.dim_at_obs
            self.info.structure_id = self._structure_ref()
        elif self.text is not None and name in ("StructureUsage", "Structure", "ProvisionAgreement"):
            urn = "".join(self.text).strip()
            if urn and not self.header_ref:
                self.header_ref = {"urn": urn}
            self.text = None
        elif name == "Text" and self.text is not None and self.messages:
            self.messages[-1].parts.append("".join(self.text).strip())
            self.text = None

    def check_root(self, tag: str, expected: tuple[str, ...]) -> None:
        self.root_seen = True
        if local(tag) not in expected:
            raise MalformedMessage(
                f"{self.info.what} has root element <{local(tag)}>, expected one of {expected}."
            )

    def _structure_ref(self) -> str:
        ref = self.header_ref
        if "urn" in ref:
            return ref["urn"].rpartition("=")[2]
        if "id" in ref:
            return f"{ref.get('agencyID', '')}:{ref['id']}({ref.get('version', '')})"
        return ""

    def open_dataset(self, values: dict[str, str], action: str | None) -> None:
        self.dataset_values = dict(values)
        if action:
            self.info.actions = [*(self.info.actions or []), action]
            if action.lower() == "delete":
                self.dataset_values["ACTION"] = action
        self.dataset = self.b.new_series(self.dataset_values, real=False)

    def finish(self) -> None:
        """After the last byte: footer and error bodies become exceptions."""
        footer = [FooterMessage(m.code, m.severity, " ".join(m.parts)) for m in self.messages]
        if footer:
            self.info.footer = footer
        if self.b.n_obs or self.b.real_series or not footer:
            return
        first = footer[0]
        text = " ".join(m.text for m in footer)
        code = first.code
        if code == "413":
            raise TooLarge(
                f"The provider says the answer is too large (code 413) and will be delivered later: {text}",
                details={"footer": [asdict(m) for m in footer]},
            )
        if code in ("100", "404"):
            raise NoData(
                f"The provider found no data (code {code}): {text}", details={"footer": asdict(first)}
            )
        raise RemoteError(f"The provider answered with a message instead of data (code {code}): {text}")


class ErrorTarget(MessageTarget):
    """A ``<message:Error>`` body: its text becomes a `RemoteError`."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if not self.root_seen:
            self.check_root(tag, ("Error",))
        self.start_common(local(tag), tag, attrib)

    def end(self, tag: str) -> None:
        self.end_common(local(tag))

    def finish(self) -> None:
        parts = [f"(code {m.code}) " * bool(m.code) + " ".join(m.parts) for m in self.messages]
        text = "; ".join(parts) or "no reason given"
        codes = [m.code for m in self.messages]
        if "100" in codes:
            raise NoData(f"The provider found no data: {text}")
        if "413" in codes or "510" in codes:
            raise TooLarge(f"The provider refused the query as too large: {text}")
        raise RemoteError(f"The provider answered with an error message: {text}", details={"codes": codes})


class StructureSpecificTarget(MessageTarget):
    """Series, groups and observations as XML attributes named by component ids."""

    def __init__(self, builder: TableBuilder, info: TableInfo, structure: Structure | None) -> None:
        super().__init__(builder, info, structure)
        self.current = -1
        self.series_cols: list[str] = []
        self.flat_first: list[str] | None = None
        self.raw_groups: list[dict[str, str]] = []
        self.scanner: ObsScanner | None = None

    def pi(self, target: str, data: str) -> None:
        if self.scanner is not None and target == self.scanner.pi_target:
            batch, _ = self.scanner.take(int(data.split(None, 1)[0]))
            if self.current < 0:
                raise MalformedMessage(f"{self.info.what} has an observation outside any dataset.")
            if self.flat_first is None:
                self.flat_first = list(batch.table.column_names)
            self.b.add_run(self.current, batch)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == "Obs":
            self.add_obs(attrib)
        elif tag == "Series":
            values = plain(attrib)
            if not self.series_cols:
                self.series_cols = list(values)
            self.current = self.b.new_series(
                {**self.dataset_values, **values} if self.dataset_values else values
            )
        elif tag == "Group":
            self.raw_groups.append(plain(attrib))
        elif not self.root_seen:
            self.check_root(tag, ("StructureSpecificData", "StructureSpecificTimeSeriesData"))
        elif local(tag) == "DataSet" and not self.in_header:
            values = plain(attrib)
            action = next((v for k, v in attrib.items() if k.endswith("}action")), None)
            self.open_dataset(values, action)
            self.current = self.dataset
        else:
            self.start_common(local(tag), tag, attrib)

    def add_obs(self, attrib: dict[str, str]) -> None:
        if self.current < 0:
            raise MalformedMessage(f"{self.info.what} has an observation outside any dataset.")
        if self.flat_first is None:
            self.flat_first = list(attrib)
        self.b.add_obs(self.current, plain(attrib))

    def end(self, tag: str) -> None:
        if tag == "Series":
            self.current = self.dataset
        elif tag != "Obs":
            self.end_common(local(tag))

    def finish(self) -> None:
        super().finish()
        for raw in self.raw_groups:
            keys = self.dims if self.structure else set(self.b.series)
            key = {k: v for k, v in raw.items() if k in keys}
            self.b.add_group(key, {k: v for k, v in raw.items() if k not in keys})
        if self.structure is None:
            self.info.dimensions = self._guess_dimensions()
            self.info.time_dimension = TIME_PERIOD

    def _guess_dimensions(self) -> list[str]:
        # Without a structure the message cannot tell dimensions from series attributes: every
        # series-level component counts as a dimension (as sdmx1 does); for flat messages, what
        # precedes TIME_PERIOD in the first observation.
        dims = [c for c in self.series_cols if c != TIME_PERIOD]
        if self.dim_at_obs not in (TIME_PERIOD, "AllDimensions"):
            dims.append(self.dim_at_obs)
        if not self.series_cols and self.flat_first:
            cut = self.flat_first.index(TIME_PERIOD) if TIME_PERIOD in self.flat_first else 0
            dims = [c for c in self.flat_first[:cut] if c[0] != "{" and c != OBS_VALUE]
        return dims


class GenericTarget(MessageTarget):
    """Generic data: keys and attributes as ``<Value id=... value=...>`` elements."""

    def __init__(self, builder: TableBuilder, info: TableInfo, structure: Structure | None) -> None:
        super().__init__(builder, info, structure)
        self.stack: list[str] = []
        self.current = -1
        self.obs: dict[str, str] | None = None
        self.group: tuple[dict[str, str], dict[str, str]] | None = None
        self.key_ids: dict[str, None] = {}
        self.scanner: GenericScanner | None = None
        self.packed: dict[str, str] = {}  # the scanner's packed_tags

    def pi(self, target: str, data: str) -> None:
        if self.scanner is not None and target == self.scanner.pi_target:
            batch, index, key_columns = self.scanner.take(int(data.split(None, 1)[0]))
            if self.current < 0:
                raise MalformedMessage(f"{self.info.what} has an observation outside any dataset.")
            if index == 0 and OBS_DIMENSION in batch.table.column_names:
                batch.table = _named_obs_dimension(batch.table, self.dim_at_obs)
            for key in key_columns:
                self.key_ids.setdefault(self.dim_at_obs if key == OBS_DIMENSION else key)
            self.b.add_run(self.current, batch)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        stack = self.stack
        packed = self.packed.get(tag)
        if packed is None and tag[0] == "{":  # a default namespace declared below the root
            packed = self.packed.get(local(tag))
        if packed is not None:
            self.values(packed, stack[-1] if stack else "", attrib)
            stack.append(packed)
            return
        name = local(tag)
        if name == "Value":
            self.value(stack[-1], stack[-2] if len(stack) > 1 else "", attrib)
        elif name == "Obs":
            self.obs = {}
        elif name == "ObsDimension":
            dim = attrib.get("id", self.dim_at_obs)
            self.key_ids.setdefault(dim)
            self._open_obs(name)[dim] = attrib.get("value", "").replace("&#38;", "&")
        elif name == "ObsValue":
            self._open_obs(name)[OBS_VALUE] = attrib.get("value", "")
        elif name == "Series":
            self.current = self.b.new_series(self.dataset_values)
        elif name == "Group":
            self.group = ({}, {})
        elif not self.root_seen:
            self.check_root(tag, ("GenericData", "GenericTimeSeriesData"))
        elif name == "DataSet" and not self.in_header:
            values: dict[str, str] = {}
            self.open_dataset(values, attrib.get("action"))
            self.current = self.dataset
        else:
            self.start_common(name, tag, attrib)
        stack.append(name)

    def _open_obs(self, name: str) -> dict[str, str]:
        if self.obs is None:
            raise MalformedMessage(f"{self.info.what} has a <{name}> outside any observation.")
        return self.obs

    def values(self, parent: str, grand: str, values: dict[str, str]) -> None:
        """The values of a packed ``SeriesKey`` or ``Attributes`` element (see `GenericScanner`)."""
        if self.obs is None and (parent == "SeriesKey" or grand == "Series"):
            if parent == "SeriesKey":
                for vid in values:
                    self.key_ids.setdefault(vid)
            self.b.update_series(self.current, values)
            return
        for vid, val in values.items():
            self.value(parent, grand, {"id": vid, "value": val})

    def value(self, parent: str, grand: str, attrib: dict[str, str]) -> None:
        vid, val = attrib.get("id"), attrib.get("value", "").replace("&#38;", "&")
        if vid is None:
            raise MalformedMessage(f"{self.info.what} has a <Value> without an id.")
        if parent in ("SeriesKey", "ObsKey", "GroupKey"):
            self.key_ids.setdefault(vid)
        if self.obs is not None:
            self.obs[vid] = val
        elif parent == "SeriesKey" or grand == "Series":
            self.b.set_series(self.current, vid, val)
        elif self.group is not None:
            self.group[0 if parent == "GroupKey" else 1][vid] = val
        elif grand == "DataSet":
            self.dataset_values[vid] = val
            self.b.set_series(self.dataset, vid, val)

    def end(self, tag: str) -> None:
        name = self.stack.pop()
        if name == "Obs":
            if self.current < 0:
                raise MalformedMessage(f"{self.info.what} has an observation outside any dataset.")
            self.b.add_obs(self.current, self._open_obs(name))
            self.obs = None
        elif name == "Series":
            self.current = self.dataset
        elif name == "Group" and self.group is not None:
            self.b.add_group(*self.group)
            self.group = None
        else:
            self.end_common(name)

    def finish(self) -> None:
        super().finish()
        time = TIME_PERIOD if TIME_PERIOD in self.key_ids else None
        if time is None and self.dim_at_obs not in ("AllDimensions",) and self.dim_at_obs in self.key_ids:
            time = self.dim_at_obs if self.dim_at_obs == TIME_PERIOD else None
        self.info.time_dimension = time
        self.info.dimensions = [k for k in self.key_ids if k != time]


def _named_obs_dimension(table: pa.Table, dim: str) -> pa.Table:
    """``OBS_DIMENSION`` (``ObsDimension`` without an id) renamed ``dim``, merged into a ``dim``
    column from ``ObsKey`` values if the batch has one (a scanner never gives both in one row);
    the column stays where the first of them was."""
    names = table.column_names
    k = names.index(OBS_DIMENSION)
    if dim not in names:
        return table.rename_columns([dim if n == OBS_DIMENSION else n for n in names])
    i = names.index(dim)
    merged = pc.coalesce(table.column(i).cast(pa.string()), table.column(k).cast(pa.string()))
    table = table.set_column(min(i, k), dim, merged)
    return table.remove_column(max(i, k))


TARGETS: dict[MessageFormat, type[MessageTarget]] = {
    MessageFormat.GENERIC_21: GenericTarget,
    MessageFormat.STRUCTURE_SPECIFIC_21: StructureSpecificTarget,
    MessageFormat.STRUCTURE_SPECIFIC_30: StructureSpecificTarget,
    MessageFormat.ERROR: ErrorTarget,
}


def read_xml_data(
    chunks: Iterator[bytes],
    fmt: MessageFormat,
    what: str,
    structure: Structure | None,
    *,
    obs_scanner: ObsScanner | None = None,
    generic_scanner: GenericScanner | None = None,
) -> tuple[TableBuilder, TableInfo]:
    """Parse an SDMX-ML data (or error) message into a builder; the caller builds the table.

    A scanner given for the message's kind (structure-specific or generic) reads the runs of
    plain observations; lxml reads everything else, and everything when none is given.
    """
    builder = TableBuilder()
    info = TableInfo(format=fmt, what=what)
    target = TARGETS[fmt](builder, info, structure)
    parser = safe_parser(target=target)
    scanner: ObsScanner | GenericScanner | None = None
    if isinstance(target, StructureSpecificTarget) and obs_scanner is not None:
        scanner = target.scanner = obs_scanner
    elif isinstance(target, GenericTarget) and generic_scanner is not None:
        scanner = target.scanner = generic_scanner
        target.packed = generic_scanner.packed_tags
    try:
        if scanner is None:
            for chunk in chunks:
                parser.feed(chunk)
        else:
            for chunk in chunks:
                parser.feed(scanner.feed(chunk))
            parser.feed(scanner.close())
        parser.close()
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, what) from None
    except pa.ArrowInvalid as exc:
        raise MalformedMessage(
            f"{what} has observation values that are not valid UTF-8 text: {exc}"
        ) from None
    target.finish()
    return builder, info
