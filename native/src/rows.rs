//! The rows of a chunk's plain observations, as Arrow columns named by the values' names.
//!
//! A scanner opens a row (`begin`), places each value under its name (`place`) and then keeps
//! (`commit`) or drops the row (by not committing: the next `begin` forgets it). Columns appear
//! in the order their names are first met; rows without a name are null in its column.

use std::collections::HashMap;

use crate::columns::{parse_number, same, Column, Kind};

pub struct Rows<'a> {
    buf: &'a [u8],
    kinds: &'a HashMap<String, Kind>,
    pub columns: Vec<Column>,
    pub rows: usize,
    attempt: u64,
    /// Column index of the value at each position in the previous row.
    guesses: Vec<usize>,
    /// (column or usize::MAX for a new one, value start, value end, number) of the open row.
    found: Vec<(usize, usize, usize, Option<f64>)>,
    /// Names of the open row's values that have no column yet.
    names: Vec<&'a [u8]>,
}

impl<'a> Rows<'a> {
    /// `kinds` names the columns read as float64 or strings; the others become dictionaries.
    pub fn new(buf: &'a [u8], kinds: &'a HashMap<String, Kind>) -> Rows<'a> {
        Rows {
            buf,
            kinds,
            columns: Vec::new(),
            rows: 0,
            attempt: 0,
            guesses: Vec::new(),
            found: Vec::new(),
            names: Vec::new(),
        }
    }

    pub fn begin(&mut self) {
        self.attempt += 1;
        self.found.clear();
        self.names.clear();
    }

    /// The column the next value probably belongs to (the previous row's at this position), if its
    /// name is at `buf[at..]` followed by a byte that cannot continue a name: (column, name end).
    pub fn guess(&self, at: usize, continues: impl Fn(u8) -> bool) -> Option<(usize, usize)> {
        let g = *self.guesses.get(self.found.len())?;
        let name = self.columns[g].name.as_bytes();
        let end = at + name.len();
        (end < self.buf.len() && same(&self.buf[at..end], name) && !continues(self.buf[end]))
            .then_some((g, end))
    }

    /// Note one value of the open row: false when the row cannot be kept (a name given twice,
    /// text that is no number in a float column).
    pub fn place(
        &mut self,
        known: Option<usize>,
        name: &'a [u8],
        start: usize,
        end: usize,
    ) -> bool {
        let column = known.or_else(|| {
            let g = self.guesses.get(self.found.len()).copied();
            g.filter(|&g| same(self.columns[g].name.as_bytes(), name))
                .or_else(|| {
                    self.columns
                        .iter()
                        .position(|c| same(c.name.as_bytes(), name))
                })
        });
        let value = &self.buf[start..end];
        let float = match column {
            Some(index) => {
                let col = &mut self.columns[index];
                if col.stamp == self.attempt {
                    return false; // the same name twice: the XML parser reads (or refuses) it
                }
                col.stamp = self.attempt;
                col.kind() == Kind::Float
            }
            None => {
                if self.names.iter().any(|n| same(n, name)) {
                    return false;
                }
                self.names.push(name);
                std::str::from_utf8(name)
                    .is_ok_and(|text| self.kinds.get(text) == Some(&Kind::Float))
            }
        };
        let number = if float {
            match parse_number(value) {
                Ok(number) => number,
                Err(()) => return false,
            }
        } else {
            None
        };
        self.found
            .push((column.unwrap_or(usize::MAX), start, end, number));
        true
    }

    /// Note a value of a known column (see `place`).
    #[inline]
    pub fn place_known(&mut self, index: usize, start: usize, end: usize) -> bool {
        let col = &mut self.columns[index];
        if col.stamp == self.attempt {
            return false;
        }
        col.stamp = self.attempt;
        let number = if col.kind() == Kind::Float {
            match parse_number(&self.buf[start..end]) {
                Ok(number) => number,
                Err(()) => return false,
            }
        } else {
            None
        };
        self.found.push((index, start, end, number));
        true
    }

    /// Keep the open row: new columns first, then values, then nulls. False (nothing kept) for a
    /// row without values or with a name that is not UTF-8 text.
    pub fn commit(&mut self) -> bool {
        if self.found.is_empty() || self.names.iter().any(|n| std::str::from_utf8(n).is_err()) {
            return false;
        }
        let mut names = self.names.iter();
        for entry in self.found.iter_mut() {
            if entry.0 == usize::MAX {
                let name = names.next().expect("one name per new column");
                let name = String::from_utf8(name.to_vec()).expect("checked above");
                let kind = self.kinds.get(&name).copied().unwrap_or(Kind::Dictionary);
                // About one observation per 64 bytes of message.
                let mut column = Column::new(name, kind, self.rows, self.buf.len() / 64);
                column.stamp = self.attempt;
                self.columns.push(column);
                entry.0 = self.columns.len() - 1;
            }
        }
        self.guesses.clear();
        for &(index, start, end, number) in &self.found {
            self.guesses.push(index);
            self.columns[index].push(&self.buf[start..end], number);
        }
        if self.found.len() < self.columns.len() {
            let attempt = self.attempt;
            for column in self.columns.iter_mut().filter(|c| c.stamp != attempt) {
                column.push_null();
            }
        }
        self.rows += 1;
        true
    }

    /// Indices of the open row's columns (valid after `commit`), in the order they were placed.
    pub fn placed(&self) -> impl Iterator<Item = usize> + '_ {
        self.found.iter().map(|f| f.0)
    }
}

/// The markup of the last observation read the long way, to read the next ones by comparison.
///
/// Observations of a run are nearly always written alike: the same elements, attributes, order
/// and white space, only the values change. An observation whose markup equals the template's
/// byte for byte, with values of plain ASCII, is read as the template's was, without parsing its
/// markup again; anything else (even one byte) is parsed the long way.
#[derive(Default)]
pub struct Template {
    /// Markup spans in the chunk: before the first value, between values, after the last.
    markup: Vec<(usize, usize)>,
    /// The column of each value.
    columns: Vec<usize>,
}

impl Template {
    /// The template of the row just committed, which spanned `buf[start..end]`.
    pub fn record(&mut self, rows: &Rows, start: usize, end: usize) {
        self.markup.clear();
        self.columns.clear();
        let mut at = start;
        for &(column, value_start, value_end, _) in &rows.found {
            if value_start < at {
                self.markup.clear(); // values out of document order: no template
                return;
            }
            self.markup.push((at, value_start));
            self.columns.push(column);
            at = value_end;
        }
        self.markup.push((at, end));
    }

    /// The end of the observation at `at` if it matches the template (its row committed).
    #[inline]
    pub fn read(&self, rows: &mut Rows, at: usize) -> Option<usize> {
        let (last, values) = self.markup.split_last()?;
        let buf = rows.buf;
        let n = buf.len();
        let mut j = at;
        rows.begin();
        for (&(s, e), &column) in values.iter().zip(&self.columns) {
            let markup = &buf[s..e];
            if n - j < markup.len() || buf[j..j + markup.len()] != *markup {
                return None;
            }
            j += markup.len();
            let start = j;
            while j < n && crate::lex::is_value(buf[j]) {
                j += 1;
            }
            if !rows.place_known(column, start, j) {
                return None;
            }
        }
        let markup = &buf[last.0..last.1];
        if n - j < markup.len() || buf[j..j + markup.len()] != *markup {
            return None;
        }
        rows.commit();
        Some(j + markup.len())
    }
}
