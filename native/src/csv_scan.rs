//! Rows of an unquoted SDMX-CSV block into Arrow columns.
//!
//! In SDMX-CSV the coded columns repeat from one row to the next (a series' rows share their key
//! and series attributes), so each dictionary column first compares a value with the previous
//! row's and hashes only when it changed: that is what makes this faster than a general CSV
//! reader building dictionaries. Anything this reader does not handle (a `"` anywhere, a row with
//! another number of fields, a value that is no number, invalid UTF-8) makes it give up, and the
//! caller reads the message with pyarrow, which also words the error.

use crate::columns::{parse_number, Column, Kind};

/// The columns of the rows in `buf` (whole lines; empty lines are skipped), or None to give up.
/// `fields` has one entry per field of a row: its name and kind, or None for a field not kept.
pub fn scan_csv(
    buf: &[u8],
    delimiter: u8,
    fields: &[(String, Option<Kind>)],
) -> Option<Vec<Column>> {
    if memchr::memchr(b'"', buf).is_some() || std::str::from_utf8(buf).is_err() {
        return None;
    }
    let expected = buf.len() / 64;
    let mut columns: Vec<Option<Column>> = fields
        .iter()
        .map(|(name, kind)| kind.map(|k| Column::new(name.clone(), k, 0, expected)))
        .collect();
    let mut start = 0;
    while start < buf.len() {
        let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
        let mut line = &buf[start..end];
        start = end + 1;
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        if line.is_empty() {
            continue;
        }
        let mut field = 0;
        let mut rest = line;
        loop {
            let cut = memchr::memchr(delimiter, rest);
            let value = &rest[..cut.unwrap_or(rest.len())];
            match columns.get_mut(field) {
                None => return None, // more fields than the header
                Some(None) => {}
                Some(Some(column)) => {
                    if column.kind() == Kind::Float {
                        match parse_number(value) {
                            Ok(number) => column.push(value, number),
                            Err(()) => return None,
                        }
                    } else if value.is_empty() {
                        column.push_null();
                    } else {
                        column.push(value, None);
                    }
                }
            }
            field += 1;
            match cut {
                Some(i) => rest = &rest[i + 1..],
                None => break,
            }
        }
        if field != fields.len() {
            return None; // fewer fields than the header
        }
    }
    Some(columns.into_iter().flatten().collect())
}
