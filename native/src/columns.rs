//! Arrow-layout column builders for observation attributes: float64, UTF-8 strings, dictionaries.
//!
//! Buffers follow the Arrow columnar format (little-endian values, int64 offsets for text (Arrow's
//! large_string, the type pandas keeps its text in), int32 for dictionaries, a validity
//! bitmap with bit i set when row i has a value), so Python wraps them with
//! `pyarrow.Array.from_buffers` without copying or re-validating.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// What a column's values become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Float,
    /// Text with int32 offsets (Arrow's string).
    Text,
    /// Text with int64 offsets (Arrow's large_string, the type pandas keeps its text in).
    LargeText,
    Dictionary,
}

/// FNV-1a: short attribute values hash faster than with SipHash; inputs are not adversarial
/// keys of a long-lived table (one dictionary per chunk, at most as many entries as rows).
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf29ce484222325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        self.0 = h;
    }
}

pub enum Values {
    Float(Vec<f64>),
    Text {
        offsets: Vec<i64>,
        data: Vec<u8>,
        large: bool,
    },
    Dictionary {
        indices: Vec<u32>,
        lookup: HashMap<Box<[u8]>, u32, BuildHasherDefault<Fnv>>,
        offsets: Vec<i32>,
        data: Vec<u8>,
        last: Option<(Box<[u8]>, u32)>,
    },
}

/// One attribute's values for the rows of a chunk.
pub struct Column {
    pub name: String,
    pub values: Values,
    pub len: usize,
    pub nulls: usize,
    validity: Vec<u8>,
    /// The parse attempt that last named this column (duplicate attributes are refused).
    pub stamp: u64,
}

impl Column {
    /// A column whose first `rows` rows are missing; room for about `expected` rows.
    pub fn new(name: String, kind: Kind, rows: usize, expected: usize) -> Column {
        let values = match kind {
            Kind::Float => Values::Float(Vec::with_capacity(expected)),
            Kind::Text | Kind::LargeText => {
                let mut offsets = Vec::with_capacity(expected + 1);
                offsets.push(0);
                Values::Text {
                    offsets,
                    data: Vec::with_capacity(expected * 8),
                    large: kind == Kind::LargeText,
                }
            }
            Kind::Dictionary => Values::Dictionary {
                indices: Vec::with_capacity(expected),
                lookup: HashMap::default(),
                offsets: vec![0],
                data: Vec::new(),
                last: None,
            },
        };
        let mut column = Column {
            name,
            values,
            len: 0,
            nulls: 0,
            validity: Vec::new(),
            stamp: 0,
        };
        for _ in 0..rows {
            column.push_null();
        }
        column
    }

    pub fn kind(&self) -> Kind {
        match self.values {
            Values::Float(_) => Kind::Float,
            Values::Text { large: false, .. } => Kind::Text,
            Values::Text { large: true, .. } => Kind::LargeText,
            Values::Dictionary { .. } => Kind::Dictionary,
        }
    }

    /// Track row `len`'s validity; the bitmap is only built once a row is missing.
    fn push_bit(&mut self, valid: bool) {
        if self.nulls == 0 && valid {
            self.len += 1;
            return;
        }
        if self.nulls == 0 {
            // The first missing row: every row before it had a value.
            self.validity = vec![0xff; self.len.div_ceil(8)];
            if let Some(last) = self.validity.last_mut() {
                if !self.len.is_multiple_of(8) {
                    *last = (1u8 << (self.len % 8)) - 1;
                }
            }
        }
        if self.len.is_multiple_of(8) {
            self.validity.push(0);
        }
        if valid {
            *self.validity.last_mut().expect("pushed above") |= 1 << (self.len % 8);
        } else {
            self.nulls += 1;
        }
        self.len += 1;
    }

    /// A row without this attribute.
    pub fn push_null(&mut self) {
        match &mut self.values {
            Values::Float(v) => v.push(0.0),
            Values::Text { offsets, data, .. } => offsets.push(data.len() as i64),
            Values::Dictionary { indices, .. } => indices.push(0),
        }
        self.push_bit(false);
    }

    /// A row's value (already checked: valid UTF-8, a number for float columns).
    pub fn push(&mut self, value: &[u8], number: Option<f64>) {
        let valid = match &mut self.values {
            Values::Float(v) => {
                v.push(number.unwrap_or(0.0));
                number.is_some()
            }
            Values::Text { offsets, data, .. } => {
                data.extend_from_slice(value);
                offsets.push(data.len() as i64);
                true
            }
            Values::Dictionary {
                indices,
                lookup,
                offsets,
                data,
                last,
            } => {
                let index = match last {
                    Some((text, index)) if same(text, value) => *index,
                    _ => {
                        let index = match lookup.get(value) {
                            Some(index) => *index,
                            None => {
                                let index = lookup.len() as u32;
                                lookup.insert(value.into(), index);
                                data.extend_from_slice(value);
                                offsets.push(data.len() as i32);
                                index
                            }
                        };
                        *last = Some((value.into(), index));
                        index
                    }
                };
                indices.push(index);
                true
            }
        };
        self.push_bit(valid);
    }

    /// The validity bitmap, or None when every row has a value.
    pub fn validity(&self) -> Option<&[u8]> {
        (self.nulls > 0).then_some(&self.validity[..])
    }
}

/// The number a float column holds for `value`: Ok(None) for the spellings of a missing value
/// ("", NaN, nan, NA, N/A, as `table.to_float` reads them),
/// Err(()) for text that is no number (the element is then left to the XML parser).
pub fn parse_number(value: &[u8]) -> Result<Option<f64>, ()> {
    if matches!(value, b"" | b"NaN" | b"nan" | b"NA" | b"N/A") {
        return Ok(None);
    }
    fast_float2::parse::<f64, _>(value)
        .map(Some)
        .map_err(|_| ())
}

/// Byte equality for the short names and values of observations (no call to memcmp).
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Dictionary indices in the narrowest width for `size` entries (1, 2 or 4 bytes, as pandas codes).
pub fn narrow_indices(indices: &[u32], size: usize) -> (usize, Vec<u8>) {
    if size < 128 {
        (1, indices.iter().map(|i| *i as u8).collect())
    } else if size < 32_768 {
        (
            2,
            indices
                .iter()
                .flat_map(|i| (*i as u16).to_le_bytes())
                .collect(),
        )
    } else {
        (4, indices.iter().flat_map(|i| i.to_le_bytes()).collect())
    }
}

/// The bytes of a slice of numbers as Arrow wants them (little-endian): the slice itself on
/// little-endian machines, a copy elsewhere.
pub fn le_bytes<T: Copy + ToLe>(values: &[T]) -> std::borrow::Cow<'_, [u8]> {
    if cfg!(target_endian = "little") {
        // SAFETY: plain numbers (i32, i64, f64) have no padding and any byte is a valid u8;
        // the length covers exactly the slice's memory.
        let bytes = unsafe {
            std::slice::from_raw_parts(values.as_ptr() as *const u8, std::mem::size_of_val(values))
        };
        std::borrow::Cow::Borrowed(bytes)
    } else {
        std::borrow::Cow::Owned(values.iter().flat_map(|v| v.le()).collect())
    }
}

/// Numbers with a little-endian byte form.
pub trait ToLe {
    fn le(&self) -> Vec<u8>;
}

impl ToLe for i32 {
    fn le(&self) -> Vec<u8> {
        self.to_le_bytes().to_vec()
    }
}

impl ToLe for i64 {
    fn le(&self) -> Vec<u8> {
        self.to_le_bytes().to_vec()
    }
}

impl ToLe for f64 {
    fn le(&self) -> Vec<u8> {
        self.to_le_bytes().to_vec()
    }
}
