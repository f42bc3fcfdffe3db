"""Reading BPMN files safely: the process ids they define and the start form of a process."""

from __future__ import annotations

from lxml import etree

from dataops.errors import MalformedMessage
from dataops.workflows.models import FormField

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
# Camunda Modeler writes the camunda namespace; Operaton also accepts its own.
EXTENSION_NAMESPACES = ("http://camunda.org/schema/1.0/bpmn", "http://operaton.org/schema/1.0/bpmn")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse(content: bytes, name: str) -> etree._Element:
    """Parse BPMN XML without DTDs, entities or network; a syntax error names the file and line."""
    try:
        return etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedMessage(f"{name} is not well-formed XML (line {exc.lineno}): {exc.msg}") from exc


def process_ids(content: bytes, name: str) -> list[str]:
    """The ids of the executable processes a BPMN file defines (the definition keys)."""
    root = parse(content, name)
    if root.tag != f"{{{BPMN}}}definitions":
        raise MalformedMessage(f"{name} is not a BPMN 2.0 file: its root element is {root.tag}.")
    ids = [p.get("id") for p in root.iter(f"{{{BPMN}}}process") if p.get("isExecutable") == "true"]
    if not ids:
        raise MalformedMessage(f'{name} defines no executable process (isExecutable="true").')
    return [i for i in ids if i]


def start_form(content: bytes, name: str) -> list[FormField]:
    """The ``formData`` fields of the process's (first) none start event, in their BPMN order."""
    root = parse(content, name)
    for start in root.iter(f"{{{BPMN}}}startEvent"):
        for ns in EXTENSION_NAMESPACES:
            fields = start.findall(f"{{{BPMN}}}extensionElements/{{{ns}}}formData/{{{ns}}}formField")
            if fields:
                return [_field(f, ns) for f in fields]
    return []


def _field(el: etree._Element, ns: str) -> FormField:
    kind = el.get("type") or "string"
    constraints = el.findall(f"{{{ns}}}validation/{{{ns}}}constraint")
    options = {v.get("id") or "": v.get("name") or v.get("id") or "" for v in el.findall(f"{{{ns}}}value")}
    return FormField(
        id=el.get("id") or "",
        label=el.get("label") or el.get("id") or "",
        type=kind,
        default=_default(kind, el.get("defaultValue")),
        required=any(c.get("name") == "required" for c in constraints),
        options=options,
    )


def _default(kind: str, raw: str | None) -> object:
    if raw is None:
        return None
    if kind == "boolean":
        return raw.strip().lower() == "true"
    if kind == "long":
        try:
            return int(raw)
        except ValueError:
            return raw  # an expression such as ${...}: the engine evaluates it, we show it as is
    return raw
