"""The compiled scanner as users get it: a wheel `make native-wheel` builds, installed by the ``fast`` extra.

`make native-wheel` (what `make install` and CI use) builds ``native/`` with maturin into a wheel;
a fresh virtual environment whose PATH has no Rust toolchain installs ``dataops-core`` first without
the extra (``dataops.readers_info()`` names the slower paths and how to get the fast one), then with
``[fast]`` from that wheel (the compiled scanner is in use and reads the same table).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging.venvs import Venv, create_venv

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "python" / "dataops"
VERSION = json.loads((REPO / "package.json").read_text())["version"]
NATIVE_VERSION = tomllib.loads((REPO / "native" / "pyproject.toml").read_text())["project"]["version"]
INSTALL_SENTENCE = "Install it with `pip install 'jupyterlab-dataops[fast]'`"
# The user's PATH: the system's directories, without rustup's ~/.cargo/bin.
NO_TOOLCHAIN_PATH = "/usr/local/bin:/usr/bin:/bin"

# cargo builds the scanner (a minute or two the first time), pip installs from the package index.
pytestmark = pytest.mark.timeout(900)

# Run inside the venv: what readers_info says and how a structure-specific file was read.
READ = """
import json, dataops
info = dataops.readers_info()
df = dataops.read_file({sample!r})
print(json.dumps({{
    "info": info.to_dict(),
    "read_path": df.attrs["sdmx"]["read_path"],
    "rows": df[["geo", "TIME_PERIOD", "OBS_VALUE"]].astype(str).values.tolist(),
}}))
"""


@dataclass
class NativeBuild:
    """The user's venv (no Rust toolchain on its PATH) and the wheel `make native-wheel` built."""

    venv: Venv
    wheel: Path


@pytest.fixture(scope="module")
def native(tmp_path_factory) -> NativeBuild:
    """The wheel built by the Makefile's rule into a scratch folder, and dataops-core installed without extras."""
    tmp = tmp_path_factory.mktemp("native-wheel")
    wheels = tmp / "wheels"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS")}
    # The Makefile's own venv variable points at a scratch venv: maturin goes there, not into .venv.
    subprocess.run(
        ["make", "-C", str(REPO), "native-wheel", f"VENV={tmp / 'builder'}", f"NATIVE_WHEELS={wheels}"],
        check=True,
        env=env,
        capture_output=True,
        timeout=840,
    )
    (wheel,) = wheels.glob("dataops_native-*.whl")
    venv = create_venv(tmp / "user", path_tail=NO_TOOLCHAIN_PATH)
    assert (
        shutil.which("cargo", path=venv.env["PATH"]) is None
        and shutil.which("rustc", path=venv.env["PATH"]) is None
    )
    venv.pip(CORE)
    return NativeBuild(venv, wheel)


def test_make_builds_one_abi3_wheel_holding_the_compiled_module_and_no_rust_sources(native):
    names = zipfile.ZipFile(native.wheel).namelist()

    assert native.wheel.name.startswith(f"dataops_native-{NATIVE_VERSION}-cp311-abi3-")
    assert any(n.startswith("dataops_native/") and n.endswith(".so") for n in names)
    assert not [n for n in names if n.endswith((".rs", "Cargo.toml"))]


def test_without_the_extra_readers_info_names_the_slower_paths_and_how_to_install_the_fast_one(
    native, shared_dir
):
    sample = str(shared_dir / "sdmx-samples/ESTAT/NAMA_10_GDP-ss.xml")

    result = native.venv.script(READ.format(sample=sample))

    info = result["info"]
    assert info["compiled"] is False and info["version"] is None
    assert INSTALL_SENTENCE in info["summary"]
    assert "pyarrow-xml" in info["slower"] and "pyarrow-xml" in info["summary"]
    assert info["paths"]["structure-specific"]["file"] == "pyarrow-xml"
    assert result["read_path"] == "pyarrow-xml"


def test_the_fast_extra_installs_the_wheel_without_a_rust_toolchain_and_the_scanner_reads(native, shared_dir):
    sample = str(shared_dir / "sdmx-samples/ESTAT/NAMA_10_GDP-ss.xml")
    slow = native.venv.script(READ.format(sample=sample))

    # --only-binary: pip may not fall back to building native/ from source (there is no cargo anyway).
    native.venv.pip("--only-binary", "dataops-native", "--find-links", native.wheel.parent, f"{CORE}[fast]")
    fast = native.venv.script(READ.format(sample=sample))

    info = fast["info"]
    assert info["compiled"] is True and info["version"] == NATIVE_VERSION
    assert Path(info["module"]).is_relative_to(native.venv.root)  # the wheel's module, not the checkout
    assert info["summary"].startswith(f"Compiled SDMX scanner {NATIVE_VERSION} in use: read paths ")
    assert info["slower"] == [] and "pip install" not in info["summary"]
    assert info["paths"]["structure-specific"]["file"] == "native-xml"
    assert fast["read_path"] == "native-xml"
    assert fast["rows"] == slow["rows"] and len(fast["rows"]) == 4


def test_the_extension_passes_the_fast_extra_through_to_the_library_and_the_wheel():
    extension = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    library = tomllib.loads((CORE / "pyproject.toml").read_text())["project"]

    assert extension["optional-dependencies"]["fast"] == [f"dataops-core[fast]=={VERSION}"]
    assert library["optional-dependencies"]["fast"] == [f"dataops-native=={NATIVE_VERSION}"]
    assert "dataops-native" not in " ".join(library["dependencies"] + extension["dependencies"])
