"""What `dataops run` is told to run: notebook lists and papermill parameters."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

import yaml

from dataops.errors import InvalidInput, MalformedMessage, NotFound


def parse_value(text: str) -> Any:
    """Type a ``-p`` value the way papermill's own command line does (bool, None, int, float, else str)."""
    if text in ("True", "true"):
        return True
    if text in ("False", "false"):
        return False
    if text in ("None", "null"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """``["n=3", "name=ECB"]`` → ``{"n": 3, "name": "ECB"}``; a missing ``=`` is refused."""
    params: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise InvalidInput(
                f"The parameter {item!r} must be written name=value, "
                "with a Python variable name before the '='."
            )
        params[name] = parse_value(value)
    return params


def load_parameter_file(path: Path) -> dict[str, Any]:
    """Parameters from a YAML (or JSON) file holding one mapping of names to values."""
    if not path.is_file():
        raise NotFound(f"The parameter file {path} does not exist.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MalformedMessage(f"The parameter file {path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) and k.isidentifier() for k in data):
        raise InvalidInput(
            f"The parameter file {path} must hold one mapping of parameter names to values (name: value)."
        )
    return data


def read_notebook_list(path: Path) -> list[str]:
    """Notebooks named in a list file, one path or glob per line (``#`` starts a comment).

    Paths are relative to the current folder (the repository root in CI). Globs expand in sorted
    order, so notebooks promoted later join the run without editing the list.
    """
    if not path.is_file():
        raise NotFound(f"The notebook list {path} does not exist.")
    out: list[str] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if glob.has_magic(line):
            matches = sorted(glob.glob(line))
            if not matches:
                raise NotFound(f"Line {number} of {path} ({line!r}) matches no notebook.")
            out.extend(m for m in matches if m not in out)
        elif line not in out:
            out.append(line)
    if not out:
        raise InvalidInput(f"The notebook list {path} names no notebook.")
    return out
