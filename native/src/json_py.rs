//! `JsonObsScanner`: the Python face of `json_scan`, reading from the text of dataops' `JsonStream`.
//!
//! The stream holds decoded text (a Python `str`) and a position counted in characters; the
//! scanner reads the same text as UTF-8 bytes. For ASCII text the two counts agree; otherwise an
//! anchor (a character count and its byte offset in one version of the text, named by the
//! stream's `generation`) is carried from call to call, so converting stays linear in the text.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

use crate::json_scan::{ObsColumns, SeriesHead, Status, NULL_POSITION};

struct Anchor {
    generation: u64,
    chars: usize,
    bytes: usize,
}

/// Reads the `observations` objects of one dataset into columns (see `json_scan`).
#[pyclass(module = "dataops_native")]
pub struct JsonObsScanner {
    columns: ObsColumns,
    anchor: Anchor,
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Done => "done",
        Status::Full => "full",
        Status::More => "more",
        Status::Plain => "plain",
    }
}

impl JsonObsScanner {
    /// The byte offset of character `chars` of `b`.
    fn byte_of(&mut self, b: &[u8], ascii: bool, generation: u64, chars: usize) -> usize {
        if ascii {
            return chars.min(b.len());
        }
        let (mut c, mut i) = if self.anchor.generation == generation && self.anchor.chars <= chars {
            (self.anchor.chars, self.anchor.bytes)
        } else {
            (0, 0)
        };
        while c < chars && i < b.len() {
            i += 1;
            while i < b.len() && (b[i] & 0xC0) == 0x80 {
                i += 1;
            }
            c += 1;
        }
        self.anchor = Anchor {
            generation,
            chars: c,
            bytes: i,
        };
        i
    }

    /// The character count of byte offset `to`, knowing `from` (bytes) is character `from_chars`.
    fn chars_of(
        &mut self,
        b: &[u8],
        ascii: bool,
        generation: u64,
        from: usize,
        from_chars: usize,
        to: usize,
    ) -> usize {
        if ascii {
            return to;
        }
        let chars = from_chars + b[from..to].iter().filter(|x| (**x & 0xC0) != 0x80).count();
        self.anchor = Anchor {
            generation,
            chars,
            bytes: to,
        };
        chars
    }
}

#[pymethods]
impl JsonObsScanner {
    #[new]
    fn new() -> Self {
        JsonObsScanner {
            columns: ObsColumns::default(),
            anchor: Anchor {
                generation: u64::MAX,
                chars: 0,
                bytes: 0,
            },
        }
    }

    /// Read series members of a `series` object from character `pos` of `text` (after its `{`
    /// when `first`, else after a member), numbering them from `position`.
    ///
    /// Returns (status, pos, first, series): status "done" (the object closed), "more" (the text
    /// ended) or "plain" (the next member is for the plain reader); `series` lists (key,
    /// attribute positions) of the series read, whose observations are now in the columns.
    #[pyo3(signature = (text, pos, generation, ascii, first, position))]
    #[allow(clippy::too_many_arguments)]
    fn scan_series<'py>(
        &mut self,
        py: Python<'py>,
        text: &str,
        pos: usize,
        generation: u64,
        ascii: bool,
        first: bool,
        position: usize,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let b = text.as_bytes();
        let start = self.byte_of(b, ascii, generation, pos);
        let mut heads: Vec<SeriesHead> = Vec::new();
        let (end, first, status) = self
            .columns
            .scan_series(b, start, first, position, &mut heads);
        let end_chars = self.chars_of(b, ascii, generation, start, pos, end);
        let series = PyList::empty(py);
        for head in heads {
            let key = &text[head.key.0..head.key.1];
            let attributes = PyList::new(py, head.attributes)?;
            series.append((key, attributes))?;
        }
        PyTuple::new(
            py,
            [
                status_name(status).into_pyobject(py)?.into_any(),
                end_chars.into_pyobject(py)?.into_any(),
                first.into_pyobject(py)?.to_owned().into_any(),
                series.into_any(),
            ],
        )
    }

    /// Read up to `limit` members of a flat dataset's `observations` object from `pos` (as
    /// `scan_series`). Returns (status, pos, first): "done", "full" (the slice is read), "more"
    /// or "plain" (the slice is for the plain reader; nothing of it was kept).
    #[pyo3(signature = (text, pos, generation, ascii, first, limit))]
    fn scan_flat(
        &mut self,
        text: &str,
        pos: usize,
        generation: u64,
        ascii: bool,
        first: bool,
        limit: usize,
    ) -> (&'static str, usize, bool) {
        let b = text.as_bytes();
        let start = self.byte_of(b, ascii, generation, pos);
        let (end, first, status) = self.columns.scan_flat(b, start, first, limit);
        let end_chars = self.chars_of(b, ascii, generation, start, pos, end);
        (status_name(status), end_chars, first)
    }

    /// Observations in the columns.
    fn rows(&self) -> usize {
        self.columns.rows()
    }

    /// Hand over the columns read so far and start afresh: a dict with `rows`, `keys` (int32
    /// positions per key part), `values` and `value_validity` (float64), `value_nulls`,
    /// `attributes` (per place: int32 positions, validity, null count), `run_owners` (int32
    /// series positions, -1 for a flat dataset) and `run_counts` (int64).
    fn take<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = &mut self.columns;
        let rows = c.rows();
        let d = PyDict::new(py);
        d.set_item("rows", rows)?;
        let keys = PyList::empty(py);
        for k in std::mem::take(&mut c.keys) {
            keys.append(le_bytes(py, &k, 4, |v, out| {
                out.copy_from_slice(&v.to_le_bytes())
            }))?;
        }
        d.set_item("keys", keys)?;
        let values = std::mem::take(&mut c.values);
        let (bits, nulls) = validity(&values, |v| v.is_nan());
        d.set_item(
            "values",
            le_bytes(py, &values, 8, |v, out| {
                out.copy_from_slice(&v.to_le_bytes())
            }),
        )?;
        d.set_item("value_validity", bits.map(|v| PyBytes::new(py, &v)))?;
        d.set_item("value_nulls", nulls)?;
        drop(values);
        let attributes = PyList::empty(py);
        for a in std::mem::take(&mut c.attrs) {
            let (bits, nulls) = validity(&a, |v: &i32| *v == NULL_POSITION);
            let data = le_bytes(py, &a, 4, |v, out| out.copy_from_slice(&v.to_le_bytes()));
            attributes.append((data, bits.map(|v| PyBytes::new(py, &v)), nulls))?;
        }
        d.set_item("attributes", attributes)?;
        let owners = std::mem::take(&mut c.run_owners);
        let counts = std::mem::take(&mut c.run_counts);
        d.set_item(
            "run_owners",
            le_bytes(py, &owners, 4, |v, out| {
                out.copy_from_slice(&v.to_le_bytes())
            }),
        )?;
        d.set_item(
            "run_counts",
            le_bytes(py, &counts, 8, |v, out| {
                out.copy_from_slice(&v.to_le_bytes())
            }),
        )?;
        c.parts = None;
        Ok(d)
    }
}

/// The values' little-endian bytes, written straight into a new `bytes` object.
fn le_bytes<'py, T>(
    py: Python<'py>,
    values: &[T],
    width: usize,
    put: impl Fn(&T, &mut [u8]),
) -> Bound<'py, PyBytes> {
    PyBytes::new_with(py, values.len() * width, |buf| {
        for (out, v) in buf.chunks_exact_mut(width).zip(values) {
            put(v, out);
        }
        Ok(())
    })
    .expect("filling bytes cannot fail")
}

/// An Arrow validity bitmap (bit set = a value) and the null count; None when nothing is null.
fn validity<T>(values: &[T], is_null: impl Fn(&T) -> bool) -> (Option<Vec<u8>>, usize) {
    let nulls = values.iter().filter(|v| is_null(v)).count();
    if nulls == 0 {
        return (None, 0);
    }
    let mut bits = vec![0u8; values.len().div_ceil(8)];
    for (i, v) in values.iter().enumerate() {
        if !is_null(v) {
            bits[i / 8] |= 1 << (i % 8);
        }
    }
    (Some(bits), nulls)
}
