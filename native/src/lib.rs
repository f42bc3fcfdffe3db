//! `dataops_native`: the compiled observation scanner behind dataops' structure-specific SDMX-ML reader.

mod columns;
mod csv_scan;
mod generic_obs;
mod json_lex;
mod json_py;
mod json_scan;
mod lex;
mod rows;
mod scan;
mod ss_obs;

use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use columns::{le_bytes, narrow_indices, Column, Kind, Values};

fn column_dict<'py>(py: Python<'py>, column: &Column) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", &column.name)?;
    d.set_item("length", column.len)?;
    d.set_item("null_count", column.nulls)?;
    d.set_item("validity", column.validity().map(|v| PyBytes::new(py, v)))?;
    match &column.values {
        Values::Float(values) => {
            d.set_item("kind", "float")?;
            d.set_item("values", PyBytes::new(py, &le_bytes(values)))?;
        }
        Values::Text {
            offsets,
            data,
            large: true,
        } => {
            d.set_item("kind", "large_string")?;
            d.set_item("offsets", PyBytes::new(py, &le_bytes(offsets)))?;
            d.set_item("data", PyBytes::new(py, data))?;
        }
        Values::Text { offsets, data, .. } => {
            let narrow: Vec<i32> = offsets.iter().map(|&o| o as i32).collect();
            d.set_item("kind", "string")?;
            d.set_item("offsets", PyBytes::new(py, &le_bytes(&narrow)))?;
            d.set_item("data", PyBytes::new(py, data))?;
        }
        Values::Dictionary {
            indices,
            lookup,
            offsets,
            data,
            ..
        } => {
            let (width, bytes) = narrow_indices(indices, lookup.len());
            d.set_item("kind", "dictionary")?;
            d.set_item("index_width", width)?;
            d.set_item("indices", PyBytes::new(py, &bytes))?;
            d.set_item("dictionary_length", lookup.len())?;
            d.set_item("offsets", PyBytes::new(py, &le_bytes(offsets)))?;
            d.set_item("data", PyBytes::new(py, data))?;
        }
    }
    Ok(d)
}

/// `buf[start:end]` of a chunk, checked.
fn window(buf: &[u8], start: usize, end: Option<usize>) -> PyResult<&[u8]> {
    let end = end.unwrap_or(buf.len());
    if start > end || end > buf.len() {
        return Err(PyValueError::new_err(
            "start and end must lie within the chunk",
        ));
    }
    if end - start > (i32::MAX as usize) {
        return Err(PyValueError::new_err("a chunk must be smaller than 2 GiB"));
    }
    Ok(&buf[start..end])
}

fn kinds_of(kinds: HashMap<String, String>) -> PyResult<HashMap<String, Kind>> {
    kinds
        .into_iter()
        .map(|(name, kind)| Ok((name, kind_of(&kind)?)))
        .collect()
}

/// The dict `scan_obs_runs` and `scan_generic_runs` return.
fn scan_dict<'py>(
    py: Python<'py>,
    result: &scan::Scan,
    first_run: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("out", PyBytes::new(py, &result.out))?;
    d.set_item("consumed", result.consumed)?;
    d.set_item("passthrough", result.passthrough)?;
    d.set_item("counts", PyList::new(py, &result.counts)?)?;
    let breaks: Vec<usize> = result.breaks.iter().map(|b| b - first_run).collect();
    d.set_item("breaks", PyList::new(py, &breaks)?)?;
    let columns = PyList::empty(py);
    for column in &result.columns {
        columns.append(column_dict(py, column)?)?;
    }
    d.set_item("columns", columns)?;
    Ok(d)
}

/// Scan one chunk of a structure-specific message for runs of plain `<Obs/>` elements.
///
/// Only `buf[start:end]` is scanned (`consumed` counts from `start`). `kinds` maps attribute names to "float", "string" or "large_string" (others become dictionaries). Returns a
/// dict: `out` (the chunk with runs replaced by `<?pi_target id ...?>`), `consumed`,
/// `passthrough`, `counts` (observations per run), `breaks` (run indices that start a new batch:
/// an observation left to lxml comes before them) and `columns` (Arrow buffers per attribute).
#[pyfunction]
#[pyo3(signature = (buf, last, pi_target, first_run, kinds, start=0, end=None))]
#[allow(clippy::too_many_arguments)]
fn scan_obs_runs<'py>(
    py: Python<'py>,
    buf: &[u8],
    last: bool,
    pi_target: &str,
    first_run: usize,
    kinds: HashMap<String, String>,
    start: usize,
    end: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let buf = window(buf, start, end)?;
    let wanted = kinds_of(kinds)?;
    let target = pi_target.as_bytes();
    let result = py.allow_threads(|| {
        let mut rows = rows::Rows::new(buf, &wanted);
        scan::scan(
            buf,
            last,
            target,
            first_run,
            &mut ss_obs::SsObs::default(),
            &mut rows,
        )
    });
    scan_dict(py, &result, first_run)
}

/// Scan one chunk of a generic message for runs of plain `<Obs>` blocks (see `generic_obs`).
///
/// As `scan_obs_runs`; `prefixes` are the namespace prefixes the root element declares, and the
/// dict also has `keys`: (column name, first row) of the columns that are key values
/// (`ObsDimension`, `ObsKey`), in the order they were met.
#[pyfunction]
#[pyo3(signature = (buf, last, pi_target, first_run, kinds, prefixes, start=0, end=None))]
#[allow(clippy::too_many_arguments)]
fn scan_generic_runs<'py>(
    py: Python<'py>,
    buf: &[u8],
    last: bool,
    pi_target: &str,
    first_run: usize,
    kinds: HashMap<String, String>,
    prefixes: Vec<String>,
    start: usize,
    end: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let buf = window(buf, start, end)?;
    let wanted = kinds_of(kinds)?;
    let target = pi_target.as_bytes();
    let prefixes = prefixes.into_iter().map(String::into_bytes).collect();
    let (result, keys) = py.allow_threads(|| {
        let mut rows = rows::Rows::new(buf, &wanted);
        let mut parser = generic_obs::GenericObs::new(prefixes, target);
        let result = scan::scan(buf, last, target, first_run, &mut parser, &mut rows);
        (result, parser.keys)
    });
    let d = scan_dict(py, &result, first_run)?;
    let keys: Vec<(&str, usize)> = keys
        .iter()
        .map(|&(column, row)| (result.columns[column].name.as_str(), row))
        .collect();
    d.set_item("keys", keys)?;
    Ok(d)
}

fn kind_of(name: &str) -> PyResult<Kind> {
    match name {
        "float" => Ok(Kind::Float),
        "string" => Ok(Kind::Text),
        "large_string" => Ok(Kind::LargeText),
        "dictionary" => Ok(Kind::Dictionary),
        other => Err(PyValueError::new_err(format!(
            "unknown column kind {other:?}"
        ))),
    }
}

/// Read whole lines of unquoted SDMX-CSV (`buf[:end]`) into columns; None where pyarrow must read it instead.
///
/// `fields` lists every field of a row as (name, kind or None for a field not kept). Returns a
/// list of column dicts (as `scan_obs_runs`), empty text and missing numbers being null.
#[pyfunction]
#[pyo3(signature = (buf, delimiter, fields, end=None))]
fn scan_csv_rows<'py>(
    py: Python<'py>,
    buf: &[u8],
    delimiter: &str,
    fields: Vec<(String, Option<String>)>,
    end: Option<usize>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let buf = &buf[..end.unwrap_or(buf.len()).min(buf.len())];
    let delimiter = match delimiter.as_bytes() {
        [d] => *d,
        _ => {
            return Err(PyValueError::new_err(
                "the delimiter must be one ASCII character",
            ))
        }
    };
    let mut wanted = Vec::with_capacity(fields.len());
    for (name, kind) in fields {
        wanted.push((name, kind.as_deref().map(kind_of).transpose()?));
    }
    let scanned = py.allow_threads(|| csv_scan::scan_csv(buf, delimiter, &wanted));
    let Some(columns) = scanned else {
        return Ok(None);
    };
    let list = PyList::empty(py);
    for column in &columns {
        list.append(column_dict(py, column)?)?;
    }
    Ok(Some(list))
}

#[pymodule]
fn dataops_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(scan_obs_runs, m)?)?;
    m.add_function(wrap_pyfunction!(scan_csv_rows, m)?)?;
    m.add_function(wrap_pyfunction!(scan_generic_runs, m)?)?;
    m.add_class::<json_py::JsonObsScanner>()?;
    Ok(())
}
