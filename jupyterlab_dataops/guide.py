"""What the Launcher's DataOps section offers: the example notebooks and the templates, as files to
create in the user's folder.

Examples are the notebooks of ``examples/`` (their title and description in the notebook's
``dataops`` metadata), run in CI by ``dataops run``. Templates create a step module, a regression-test
notebook, or a new process: its BPMN, its configuration file and a steps module whose topics match the
BPMN's service tasks, all named after the process.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataops.errors import InvalidInput, NotFound

EXAMPLES = Path(__file__).parent / "examples"
TEMPLATES = Path(__file__).parent / "templates"
PROCESS_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Template:
    """Files a template creates: (template file, path to create with ``{key}`` filled in)."""

    title: str
    description: str
    files: tuple[tuple[str, str], ...]
    needs_key: bool = False


TEMPLATE_LIST: dict[str, Template] = {
    "step": Template(
        "Step module",
        "A module of production steps: a function per BPMN service task topic, with logging and a BPMN error.",
        (("step_module.py", "steps.py"),),
    ),
    "regression-test": Template(
        "Regression test notebook",
        "A notebook that builds its own test data, runs your code on it and asserts what must hold.",
        (("regression_test.ipynb", "regression_test.ipynb"),),
    ),
    "process": Template(
        "Production process",
        "A BPMN process, its configuration file and the steps module that serves its service tasks.",
        (
            ("process.bpmn", "processes/{key}.bpmn"),
            ("process_config.toml", "processes/{key}.toml"),
            ("process_config.schema.json", "processes/{key}.schema.json"),
            ("process_steps.py", "steps/{key}.py"),
        ),
        needs_key=True,
    ),
}


def catalogue() -> dict[str, list[dict[str, Any]]]:
    """The examples and the templates, with their titles and descriptions."""
    examples = []
    for path in sorted(EXAMPLES.glob("*.ipynb")):
        meta = json.loads(path.read_text())["metadata"].get("dataops", {})
        examples.append(
            {
                "name": path.name,
                "title": meta.get("title", path.stem),
                "description": meta.get("description", ""),
            }
        )
    templates = [
        {"name": name, "title": t.title, "description": t.description, "needs_key": t.needs_key}
        for name, t in TEMPLATE_LIST.items()
    ]
    return {"examples": examples, "templates": templates}


def example_files(name: str) -> list[dict[str, Any]]:
    """The example notebook ``name`` as a file to create."""
    path = EXAMPLES / name
    if path.parent != EXAMPLES or path.suffix != ".ipynb" or not path.is_file():
        known = ", ".join(p.name for p in sorted(EXAMPLES.glob("*.ipynb")))
        raise NotFound(f"There is no example {name!r} (the examples: {known}).")
    return [_file(name, path.read_text())]


def template_files(name: str, key: str = "") -> list[dict[str, Any]]:
    """The files template ``name`` creates; ``key`` names a new process (lower-case, digits, ``_``)."""
    template = TEMPLATE_LIST.get(name)
    if template is None:
        raise NotFound(f"There is no template {name!r} (the templates: {', '.join(TEMPLATE_LIST)}).")
    if template.needs_key and not PROCESS_KEY.fullmatch(key):
        raise InvalidInput(
            f"A process name starts with a lower-case letter and has only lower-case letters, digits and _ "
            f"(at most 40), not {key!r}: it becomes the BPMN process id and the steps' module name."
        )
    files = []
    for source, target in template.files:
        text = (TEMPLATES / source).read_text()
        if template.needs_key:  # placeholders that keep the template files valid Python, XML and TOML
            text = text.replace("__KEY__", key).replace("__NAME__", key.replace("_", " ").capitalize())
        files.append(_file(target.format(key=key), text))
    return files


def _file(path: str, text: str) -> dict[str, Any]:
    if path.endswith(".ipynb"):
        return {"path": path, "type": "notebook", "format": "json", "content": json.loads(text)}
    return {"path": path, "type": "file", "format": "text", "content": text}
