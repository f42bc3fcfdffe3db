"""The messages `sdmx_read.py` reads: one data set written in every format, one writer per format.

A data set is a list of (series, observations): the series' dimension and attribute values, and
its observations as (period, value, OBS_STATUS, OBS_CONF). Two shapes: ECB-EXR-like (few long
daily series, `ecb_shaped`) and national-accounts-like (many short quarterly or annual series,
`short_series_shaped`). All share the components of one DSD (`write_structure`).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

NS_MSG = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
NS_SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
NS_GEN = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
NS_COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
NS_STR = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
NS_MSG_30 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message"
NS_SS_30 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/data/structurespecific"
NS_COM_30 = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common"
DIMS = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
SERIES_ATTRS = ["DECIMALS", "TITLE", "UNIT", "UNIT_MULT"]
OBS_ATTRS = ["OBS_STATUS", "OBS_CONF"]

Series = dict[str, str]
Obs = tuple[str, str, str, str]
DataSet = list[tuple[Series, list[Obs]]]


def ecb_shaped(n_series: int, obs_per_series: int = 1000) -> DataSet:
    """Daily exchange-rate-like series of ``obs_per_series`` observations each."""
    out = []
    for i in range(n_series):
        cur = f"C{i:03d}"
        series = {"FREQ": "D", "CURRENCY": cur, "CURRENCY_DENOM": "EUR", "EXR_TYPE": "SP00", "EXR_SUFFIX": "A",
                  "DECIMALS": "4", "TITLE": f"Currency {cur}/Euro", "UNIT": cur, "UNIT_MULT": "0"}  # fmt: skip
        rnd = random.Random(i)
        rows = []
        for o in range(obs_per_series):
            period = f"{2000 + o // 336}-{o // 28 % 12 + 1:02d}-{o % 28 + 1:02d}"
            value = "NaN" if o % 97 == 0 else f"{rnd.uniform(0.5, 150):.5f}"
            rows.append((period, value, "E" if o % 50 == 0 else "A", "F"))
        out.append((series, rows))
    return out


def short_series_shaped(n_series: int = 20_000, seed: int = 7) -> DataSet:
    """National-accounts or balance-of-payments-like: many quarterly or annual series of 12-60
    observations, each with its own title and unit."""
    rnd = random.Random(seed)
    out = []
    for i in range(n_series):
        freq = "Q" if i % 3 else "A"
        n_obs = rnd.randint(12, 60)
        series = {"FREQ": freq, "CURRENCY": f"R{i // 40:03d}", "CURRENCY_DENOM": f"S{i % 40:02d}",
                  "EXR_TYPE": rnd.choice(["B1GQ", "P3", "P5", "D1"]), "EXR_SUFFIX": rnd.choice(["CP", "CLV"]),
                  "DECIMALS": str(rnd.randint(0, 3)), "TITLE": f"Series {i} of area R{i // 40:03d}",
                  "UNIT": rnd.choice(["EUR", "USD", "XDC", "PC"]), "UNIT_MULT": rnd.choice(["0", "3", "6"])}  # fmt: skip
        start = 2024 * (4 if freq == "Q" else 1) - n_obs
        rows = []
        for o in range(n_obs):
            t = start + o
            period = f"{t // 4}-Q{t % 4 + 1}" if freq == "Q" else str(t)
            value = "NaN" if rnd.random() < 0.01 else f"{rnd.uniform(-5e4, 5e5):.1f}"
            rows.append((period, value, "P" if o >= n_obs - 2 else "A", "F"))
        out.append((series, rows))
    return out


def write_structure(path: Path) -> None:
    """The DSD every message refers to (SDMX-ML 2.1 structure message)."""
    comps = "".join(
        f'<str:Dimension id="{d}" position="{i + 1}"><str:ConceptIdentity>'
        f'<Ref id="{d}" maintainableParentID="C"'
        f' maintainableParentVersion="1.0" agencyID="ECB" class="Concept" package="conceptscheme"/>'
        "</str:ConceptIdentity></str:Dimension>"
        for i, d in enumerate(DIMS)
    )
    time = (
        '<str:TimeDimension id="TIME_PERIOD" position="6"><str:ConceptIdentity><Ref id="TIME_PERIOD"'
        ' maintainableParentID="C" maintainableParentVersion="1.0" agencyID="ECB" class="Concept"'
        ' package="conceptscheme"/></str:ConceptIdentity></str:TimeDimension>'
    )
    dim_refs = "".join(f'<str:Dimension><Ref id="{d}"/></str:Dimension>' for d in DIMS)

    def attr(a: str, rel: str) -> str:
        return (
            f'<str:Attribute id="{a}" assignmentStatus="Conditional"><str:ConceptIdentity><Ref id="{a}"'
            ' maintainableParentID="C" maintainableParentVersion="1.0" agencyID="ECB" class="Concept"'
            f' package="conceptscheme"/></str:ConceptIdentity><str:AttributeRelationship>{rel}'
            "</str:AttributeRelationship></str:Attribute>"
        )

    attrs = "".join(attr(a, dim_refs) for a in SERIES_ATTRS) + "".join(
        attr(a, '<str:PrimaryMeasure><Ref id="OBS_VALUE"/></str:PrimaryMeasure>') for a in OBS_ATTRS
    )
    concepts = "".join(
        f'<str:Concept id="{c}"><com:Name xml:lang="en">{c}</com:Name></str:Concept>'
        for c in [*DIMS, "TIME_PERIOD", "OBS_VALUE", *SERIES_ATTRS, *OBS_ATTRS]
    )
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><mes:Structure xmlns:mes="{NS_MSG}" xmlns:str="{NS_STR}"'
        f' xmlns:com="{NS_COM}"><mes:Header><mes:ID>B</mes:ID><mes:Test>false</mes:Test>'
        '<mes:Prepared>2026-01-01T00:00:00</mes:Prepared><mes:Sender id="BENCH"/></mes:Header>'
        '<mes:Structures><str:Concepts><str:ConceptScheme id="C" agencyID="ECB" version="1.0">'
        '<com:Name xml:lang="en">C</com:Name>'
        f"{concepts}</str:ConceptScheme></str:Concepts>"
        '<str:DataStructures><str:DataStructure id="ECB_EXR1" agencyID="ECB" version="1.0">'
        '<com:Name xml:lang="en">Exchange rates</com:Name><str:DataStructureComponents>'
        f'<str:DimensionList id="DimensionDescriptor">{comps}{time}</str:DimensionList>'
        f'<str:AttributeList id="AttributeDescriptor">{attrs}</str:AttributeList>'
        '<str:MeasureList id="MeasureDescriptor"><str:PrimaryMeasure id="OBS_VALUE"><str:ConceptIdentity>'
        '<Ref id="OBS_VALUE" maintainableParentID="C" maintainableParentVersion="1.0" agencyID="ECB"'
        ' class="Concept" package="conceptscheme"/></str:ConceptIdentity></str:PrimaryMeasure>'
        "</str:MeasureList>"
        "</str:DataStructureComponents></str:DataStructure></str:DataStructures></mes:Structures></mes:Structure>"
    )


def _header(root: str, extra_ns: str, ns_msg: str = NS_MSG, ns_com: str = NS_COM) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<message:{root} xmlns:message="{ns_msg}" {extra_ns}'
        f' xmlns:common="{ns_com}">\n<message:Header><message:ID>BENCH</message:ID><message:Test>false'
        '</message:Test><message:Prepared>2026-01-01T00:00:00</message:Prepared><message:Sender id="BENCH"/>'
        '<message:Structure structureID="ECB_EXR1" dimensionAtObservation="TIME_PERIOD"><common:Structure>'
        '<Ref agencyID="ECB" id="ECB_EXR1" version="1.0"/></common:Structure></message:Structure>'
        "</message:Header>\n"
    )


def _ss_body(fh, data: DataSet) -> None:
    for s, rows in data:
        fh.write("<Series " + " ".join(f'{k}="{v}"' for k, v in s.items()) + ">\n")
        fh.writelines(
            f'<Obs TIME_PERIOD="{p}" OBS_VALUE="{v}" OBS_STATUS="{st}" OBS_CONF="{c}"/>\n'
            for p, v, st, c in rows
        )
        fh.write("</Series>\n")


def write_ss21(path: Path, data: DataSet) -> None:
    """SDMX-ML 2.1 structure-specific data."""
    with path.open("w") as fh:
        fh.write(_header("StructureSpecificData", f'xmlns:ss="{NS_SS}"'))
        fh.write('<message:DataSet ss:structureRef="ECB_EXR1">\n')
        _ss_body(fh, data)
        fh.write("</message:DataSet>\n</message:StructureSpecificData>\n")


def write_ss30(path: Path, data: DataSet) -> None:
    """SDMX-ML 3.0 structure-specific data (the dataset's action as an attribute)."""
    with path.open("w") as fh:
        fh.write(_header("StructureSpecificData", f'xmlns:ss="{NS_SS_30}"', NS_MSG_30, NS_COM_30))
        fh.write('<message:DataSet ss:structureRef="ECB_EXR1" ss:action="Information">\n')
        _ss_body(fh, data)
        fh.write("</message:DataSet>\n</message:StructureSpecificData>\n")


def write_generic21(path: Path, data: DataSet) -> None:
    """SDMX-ML 2.1 generic data."""
    with path.open("w") as fh:
        fh.write(_header("GenericData", f'xmlns:generic="{NS_GEN}"'))
        fh.write('<message:DataSet structureRef="ECB_EXR1">\n')
        for s, rows in data:
            key = "".join(f'<generic:Value id="{d}" value="{s[d]}"/>' for d in DIMS)
            attrs = "".join(f'<generic:Value id="{a}" value="{s[a]}"/>' for a in SERIES_ATTRS)
            fh.write(f"<generic:Series><generic:SeriesKey>{key}</generic:SeriesKey>")
            fh.write(f"<generic:Attributes>{attrs}</generic:Attributes>\n")
            fh.writelines(
                f'<generic:Obs><generic:ObsDimension value="{p}"/><generic:ObsValue value="{v}"/>'
                f'<generic:Attributes><generic:Value id="OBS_STATUS" value="{st}"/>'
                f'<generic:Value id="OBS_CONF" value="{c}"/></generic:Attributes></generic:Obs>\n'
                for p, v, st, c in rows
            )
            fh.write("</generic:Series>\n")
        fh.write("</message:DataSet>\n</message:GenericData>\n")


def write_csv10(path: Path, data: DataSet) -> None:
    """SDMX-CSV 1.0 (DATAFLOW first)."""
    with path.open("w") as fh:
        fh.write(",".join(["DATAFLOW", *DIMS, "TIME_PERIOD", "OBS_VALUE", *OBS_ATTRS, *SERIES_ATTRS]) + "\n")
        for s, rows in data:
            key = ",".join(s[d] for d in DIMS)
            sattrs = ",".join(s[a] for a in SERIES_ATTRS)
            fh.writelines(f"ECB:EXR(1.0),{key},{p},{v},{st},{c},{sattrs}\n" for p, v, st, c in rows)


def write_csv20(path: Path, data: DataSet) -> None:
    """SDMX-CSV 2.0 (STRUCTURE, STRUCTURE_ID, ACTION first)."""
    with path.open("w") as fh:
        head = [
            "STRUCTURE",
            "STRUCTURE_ID",
            "ACTION",
            *DIMS,
            "TIME_PERIOD",
            "OBS_VALUE",
            *OBS_ATTRS,
            *SERIES_ATTRS,
        ]
        fh.write(",".join(head) + "\n")
        for s, rows in data:
            key = ",".join(s[d] for d in DIMS)
            sattrs = ",".join(s[a] for a in SERIES_ATTRS)
            fh.writelines(
                f"dataflow,ECB:EXR(1.0),I,{key},{p},{v},{st},{c},{sattrs}\n" for p, v, st, c in rows
            )


def write_json10(path: Path, data: DataSet) -> None:
    """SDMX-JSON 1.0 data, series by series; observation periods from every series' periods."""
    series = [s for s, _ in data]
    periods = list(dict.fromkeys(p for _, rows in data for p, *_ in rows))
    ppos = {p: i for i, p in enumerate(periods)}
    structure = {
        "dimensions": {
            "dataSet": [],
            "series": [{"id": d, "name": d, "keyPosition": i,
                        "values": [{"id": v} for v in dict.fromkeys(s[d] for s in series)]}
                       for i, d in enumerate(DIMS)],
            "observation": [{"id": "TIME_PERIOD", "name": "Time", "role": "time",
                             "values": [{"id": p} for p in periods]}],
        },
        "attributes": {
            "dataSet": [],
            "series": [{"id": a, "name": a,
                        "values": [{"id": v} for v in dict.fromkeys(s[a] for s in series)]}
                       for a in SERIES_ATTRS],
            "observation": [{"id": "OBS_STATUS", "name": "OBS_STATUS",
                             "values": [{"id": v} for v in dict.fromkeys(st for _, rows in data for _, _, st, _ in rows)]},
                            {"id": "OBS_CONF", "name": "OBS_CONF", "values": [{"id": "F"}]}],
        },
    }  # fmt: skip
    positions = {
        c["id"]: {v["id"]: i for i, v in enumerate(c["values"])} for c in structure["dimensions"]["series"]
    }
    apos = {
        c["id"]: {v["id"]: i for i, v in enumerate(c["values"])} for c in structure["attributes"]["series"]
    }
    spos = {v["id"]: i for i, v in enumerate(structure["attributes"]["observation"][0]["values"])}
    with path.open("w") as fh:
        fh.write(
            '{"header": {"id": "BENCH", "prepared": "2026-01-01T00:00:00Z", "sender": {"id": "BENCH"}},'
            ' "structure": ' + json.dumps(structure) + ', "dataSets": [{"action": "Information", "series": {'
        )
        for si, (s, rows) in enumerate(data):
            key = ":".join(str(positions[d][s[d]]) for d in DIMS)
            attrs = [apos[a][s[a]] for a in SERIES_ATTRS]
            body = ",".join(
                f'"{ppos[p]}": [{"null" if v == "NaN" else v}, {spos[st]}, 0]' for p, v, st, _ in rows
            )
            fh.write(
                ("," if si else "")
                + f'"{key}": {{"attributes": {json.dumps(attrs)}, "observations": {{{body}}}}}'
            )
        fh.write("}}]}")


def write_json20(path: Path, data: DataSet) -> None:
    """SDMX-JSON 2.0 data: ``data.structures[0]`` with 2.0 roles, data sets pointing at it."""
    series = [s for s, _ in data]
    periods = list(dict.fromkeys(p for _, rows in data for p, *_ in rows))
    ppos = {p: i for i, p in enumerate(periods)}
    statuses = list(dict.fromkeys(st for _, rows in data for _, _, st, _ in rows))

    def component(cid: str, values: list[str], **extra: object) -> dict[str, object]:
        return {"id": cid, "name": cid, **extra, "values": [{"id": v, "name": v} for v in values]}

    dims = [
        component(d, list(dict.fromkeys(s[d] for s in series)), keyPosition=i) for i, d in enumerate(DIMS)
    ]
    attrs = [component(a, list(dict.fromkeys(s[a] for s in series)), relationship={"dimensions": DIMS})
             for a in SERIES_ATTRS]  # fmt: skip
    structure = {
        "links": [{"rel": "datastructure",
                   "urn": "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=ECB:ECB_EXR1(1.0)"}],
        "dimensions": {"dataSet": [], "series": dims,
                       "observation": [component("TIME_PERIOD", periods, keyPosition=5, role=["TIME_PERIOD"])]},
        "attributes": {"dataSet": [], "series": attrs,
                       "observation": [component("OBS_STATUS", statuses, relationship={"observation": {}}),
                                       component("OBS_CONF", ["F"], relationship={"observation": {}})]},
        "measures": {"observation": [{"id": "OBS_VALUE", "name": "Value"}]},
    }  # fmt: skip
    position = {c["id"]: {v["id"]: i for i, v in enumerate(c["values"])} for c in [*dims, *attrs]}
    spos = {st: i for i, st in enumerate(statuses)}
    with path.open("w") as fh:
        fh.write(
            '{"meta": {"id": "BENCH", "prepared": "2026-01-01T00:00:00Z", "sender": {"id": "BENCH"}},'
            f' "data": {{"structures": [{json.dumps(structure)}], "dataSets": [{{"structure": 0,'
            ' "action": "Information", "series": {'
        )
        for si, (s, rows) in enumerate(data):
            key = ":".join(str(position[d][s[d]]) for d in DIMS)
            body = ",".join(
                f'"{ppos[p]}": [{"null" if v == "NaN" else v}, {spos[st]}, 0]' for p, v, st, _ in rows
            )
            attributes = json.dumps([position[a][s[a]] for a in SERIES_ATTRS])
            fh.write(
                ("," if si else "") + f'"{key}": {{"attributes": {attributes}, "observations": {{{body}}}}}'
            )
        fh.write("}}]}}")


# key → (file name, writer): every format the bench reads.
WRITERS: dict[str, tuple[str, Callable[[Path, DataSet], None]]] = {
    "ss": ("data-ss.xml", write_ss21),
    "generic": ("data-generic.xml", write_generic21),
    "ss30": ("data-ss30.xml", write_ss30),
    "csv": ("data.csv", write_csv10),
    "csv20": ("data-2.0.csv", write_csv20),
    "json": ("data.json", write_json10),
    "json2": ("data-json20.json", write_json20),
}


def write_files(folder: Path, data: DataSet, keys: list[str] | None = None) -> dict[str, Path]:
    """The data set in each format of ``keys`` (all by default) under ``folder``, and the DSD as "structure"."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"structure": folder / "structure.xml"}
    write_structure(paths["structure"])
    for key in keys or list(WRITERS):
        name, writer = WRITERS[key]
        paths[key] = folder / name
        writer(paths[key], data)
    return paths
