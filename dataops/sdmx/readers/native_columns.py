"""The compiled extension (``dataops_native``, built from ``native/``) and its columns as Arrow arrays.

Both compiled scanners (`ss_native`, `csv_native`) hand back each column as a dict of Arrow buffers;
`array_of` wraps them without copying. ``dataops_native`` is None where the extension is not installed.
"""

from __future__ import annotations

import pyarrow as pa

try:
    import dataops_native
except ImportError:  # pragma: no cover - depends on how the package was installed
    dataops_native = None
if dataops_native is not None and not hasattr(dataops_native, "scan_generic_runs"):
    # Built from an older native/ (its kinds and functions differ): read as without it.
    dataops_native = None

# How a user gets the compiled scanners: a prebuilt wheel, the `fast` extra (no Rust toolchain).
INSTALL_HINT = (
    "Install it with `pip install 'jupyterlab-dataops[fast]'` "
    "(or `pip install 'dataops-core[fast]'` without JupyterLab)."
)


def native_installed() -> bool:
    """True when the compiled scanners are installed (the ``fast`` extra, ``dataops-native``)."""
    return dataops_native is not None


_INDEX_TYPES = {1: pa.int8(), 2: pa.int16(), 4: pa.int32()}
_TEXT_TYPES = {"string": pa.string(), "large_string": pa.large_string()}


def array_of(column: dict) -> pa.Array:
    """An Arrow array over the buffers the extension filled (no copy, no re-validation)."""
    n, nulls = column["length"], column["null_count"]
    validity = pa.py_buffer(column["validity"]) if column["validity"] is not None else None
    kind = column["kind"]
    if kind == "float":
        return pa.Array.from_buffers(pa.float64(), n, [validity, pa.py_buffer(column["values"])], nulls)
    if kind in ("string", "large_string"):
        buffers = [validity, pa.py_buffer(column["offsets"]), pa.py_buffer(column["data"])]
        return pa.Array.from_buffers(_TEXT_TYPES[kind], n, buffers, nulls)
    dictionary = pa.Array.from_buffers(
        pa.string(),
        column["dictionary_length"],
        [None, pa.py_buffer(column["offsets"]), pa.py_buffer(column["data"])],
    )
    index_type = _INDEX_TYPES[column["index_width"]]
    indices = pa.Array.from_buffers(index_type, n, [validity, pa.py_buffer(column["indices"])], nulls)
    return pa.DictionaryArray.from_arrays(indices, dictionary)
