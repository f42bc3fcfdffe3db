"""Whether the compiled scanner is in use, and which read path reads each kind of message here.

`readers_info` (``dataops.readers_info()``) answers from the same table `choose_path` consults
(`paths.PATHS`), so what it reports is what a read does; the panels' status line shows its summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from dataops.sdmx.readers.native_columns import INSTALL_HINT, dataops_native, native_installed
from dataops.sdmx.readers.paths import PATHS, Kind

NATIVE_DISTRIBUTION = "dataops-native"


@dataclass(frozen=True)
class ReadersInfo:
    """What reads SDMX data in this Python environment.

    ``paths`` maps each kind of data message (``"structure-specific"``, ``"generic"``, ``"csv"``,
    ``"json"``) and how it is handed over (``"file"``, ``"bytes"``, ``"stream"``) to the read path
    that reads it; ``slower`` lists the paths used instead of the compiled scanner's where it is not
    installed (empty when it is). ``summary`` is the sentence the status line shows.
    """

    compiled: bool
    version: str | None
    module: str | None
    paths: dict[str, dict[str, str]]
    slower: list[str] = field(default_factory=list)
    summary: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The same as plain JSON-ready values."""
        return {
            "compiled": self.compiled,
            "version": self.version,
            "module": self.module,
            "paths": self.paths,
            "slower": list(self.slower),
            "summary": self.summary,
        }


def readers_info() -> ReadersInfo:
    """Whether the compiled scanner (``dataops-native``) is installed and in use, its version,
    the read path of each kind of data message, and, where it is missing, how to install it."""
    compiled = native_installed()
    paths = {
        kind.value: {inp.value: pair[0 if compiled else 1].value for inp, pair in by_input.items()}
        for kind, by_input in PATHS.items()
        if kind is not Kind.ERROR
    }
    compiled_paths = sorted({pair[0].value for by in PATHS.values() for pair in by.values()})
    fallback_paths = sorted(
        {pair[1].value for by in PATHS.values() for pair in by.values() if pair[0] != pair[1]}
    )
    if compiled:
        ver = _native_version()
        native = [p for p in compiled_paths if p.startswith("native-")]
        summary = f"Compiled SDMX scanner {ver or '(version unknown)'} in use: read paths {', '.join(native)}"
        return ReadersInfo(True, ver, getattr(dataops_native, "__file__", None), paths, [], summary)
    summary = (
        f"Compiled SDMX scanner not installed: data is read by the slower paths "
        f"{', '.join(fallback_paths)}. {INSTALL_HINT}"
    )
    return ReadersInfo(False, None, None, paths, fallback_paths, summary)


@cache  # the module imported cannot change within a process; the status line asks often
def _native_version() -> str | None:
    # A wheel installed by pip has metadata; a module built by cargo and put on PYTHONPATH has none.
    try:
        return version(NATIVE_DISTRIBUTION)
    except PackageNotFoundError:
        found = getattr(dataops_native, "__version__", None)
        return str(found) if found is not None else None
