//! SDMX-JSON `observations` objects (of a series, or a flat dataset's) straight into columns.
//!
//! An observation is `"0:3": [value, attribute position, ...]`: its key is the positions of the
//! observation-level dimensions, its array the value then one value position per observation
//! attribute. They become one int32 column per key part, a float64 value column and one int32
//! column per attribute place, with a run (series position, count) per observations object.
//! Whatever is unusual (escapes, text values, a duplicate key, keys of another length...) stops
//! the scan with `Plain` before anything of that series or slice is kept, and the caller reads
//! that one piece with Python's `json` as the plain reader does (see `json_lex`).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use crate::columns::Fnv;
use crate::json_lex::{
    at, expect, key_parts, literal, obs_value, series_attributes, short_key, simple_string,
    skip_value, unsigned, ws, Res, Stop,
};

/// Single-part keys below this are checked for duplicates in a table indexed by position.
const STAMPED: u64 = 1 << 22;
/// Null in a value column: parsed values are always finite, so NaN marks a missing one.
pub const NULL_VALUE: f64 = f64::NAN;
/// Null in an attribute column (positions are never negative).
pub const NULL_POSITION: i32 = -1;

/// A series read whole: its key and its attribute positions (None for null).
pub struct SeriesHead {
    pub key: (usize, usize),
    pub attributes: Vec<Option<i64>>,
}

/// How a scan ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The object closed; the position is after its `}`.
    Done,
    /// A flat slice is full; the position is after its last observation.
    Full,
    /// The text ended first; the position is after the last piece read whole.
    More,
    /// The next piece is for the plain reader; the position is before it.
    Plain,
}

struct Mark {
    rows: usize,
    parts: Option<usize>,
    attrs: usize,
    runs: usize,
}

/// The columns of the observations read since the last `take`.
#[derive(Default)]
pub struct ObsColumns {
    pub parts: Option<usize>,
    pub keys: Vec<Vec<i32>>,
    pub values: Vec<f64>,
    pub attrs: Vec<Vec<i32>>,
    pub run_owners: Vec<i32>,
    pub run_counts: Vec<i64>,
    stamps: Vec<u32>,
    stamp: u32,
    seen: HashSet<u64, BuildHasherDefault<Fnv>>,
    scratch: Vec<i32>,
    row_attrs: Vec<i32>,
}

impl ObsColumns {
    pub fn rows(&self) -> usize {
        self.values.len()
    }

    fn mark(&self) -> Mark {
        Mark {
            rows: self.rows(),
            parts: self.parts,
            attrs: self.attrs.len(),
            runs: self.run_owners.len(),
        }
    }

    fn rollback(&mut self, m: Mark) {
        self.parts = m.parts;
        self.keys.truncate(m.parts.unwrap_or(0));
        for k in &mut self.keys {
            k.truncate(m.rows);
        }
        self.values.truncate(m.rows);
        self.attrs.truncate(m.attrs);
        for a in &mut self.attrs {
            a.truncate(m.rows);
        }
        self.run_owners.truncate(m.runs);
        self.run_counts.truncate(m.runs);
    }

    /// A new observations object (or flat slice): keys may repeat across objects, not within.
    fn begin_object(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.stamps.iter_mut().for_each(|s| *s = 0);
            self.stamp = 1;
        }
        self.seen.clear();
    }

    fn duplicate(&mut self, key: &[u8]) -> bool {
        if let [single] = self.scratch[..] {
            if (single as u64) < STAMPED {
                let p = single as usize;
                if self.stamps.len() <= p {
                    self.stamps.resize(p + 1, 0);
                }
                let seen = self.stamps[p] == self.stamp;
                self.stamps[p] = self.stamp;
                return seen;
            }
        }
        let mut h = Fnv::default();
        h.write(key);
        // A hash collision reads as a duplicate: the plain reader then reads that piece.
        !self.seen.insert(h.finish())
    }

    /// One observation member at `i` (its key's quote): the index after its array.
    fn observation(&mut self, b: &[u8], i: usize) -> Res<usize> {
        let (ks, ke, after) = match short_key(b, i, &mut self.scratch) {
            Some(found) => found,
            None => {
                let found = simple_string(b, i)?;
                key_parts(&b[found.0..found.1], &mut self.scratch)?;
                found
            }
        };
        let n = self.scratch.len();
        match self.parts {
            Some(p) if p != n => return Err(Stop::Plain),
            _ => {}
        }
        let mut j = expect(b, after, b':')?;
        j = expect(b, j, b'[')?;
        j = ws(b, j);
        let mut value = None;
        self.row_attrs.clear();
        if at(b, j)? == b']' {
            j += 1;
        } else {
            (value, j) = obs_value(b, j)?;
            loop {
                j = ws(b, j);
                match at(b, j)? {
                    b']' => {
                        j += 1;
                        break;
                    }
                    b',' => {
                        j = ws(b, j + 1);
                        if at(b, j)? == b'n' {
                            j = literal(b, j, b"null")?;
                            self.row_attrs.push(NULL_POSITION);
                        } else if let (Some(d @ b'0'..=b'9'), Some(next)) = (b.get(j), b.get(j + 1))
                        {
                            // The common one-digit position, else the general reading.
                            if next.is_ascii_digit() {
                                let (v, end) = unsigned(b, j, 10)?;
                                if v > i32::MAX as u64 {
                                    return Err(Stop::Plain);
                                }
                                self.row_attrs.push(v as i32);
                                j = end;
                            } else {
                                self.row_attrs.push((d - b'0') as i32);
                                j += 1;
                            }
                        } else {
                            let (v, end) = unsigned(b, j, 10)?;
                            if v > i32::MAX as u64 {
                                return Err(Stop::Plain);
                            }
                            self.row_attrs.push(v as i32);
                            j = end;
                        }
                    }
                    _ => return Err(Stop::Plain),
                }
            }
        }
        if self.duplicate(&b[ks..ke]) {
            return Err(Stop::Plain);
        }
        // The row is read whole: only now does it go into the columns.
        let rows = self.rows();
        if self.parts.is_none() {
            self.parts = Some(n);
            self.keys = vec![Vec::new(); n];
        }
        for (column, p) in self.keys.iter_mut().zip(&self.scratch) {
            column.push(*p);
        }
        self.values.push(value.unwrap_or(NULL_VALUE));
        while self.attrs.len() < self.row_attrs.len() {
            let mut column = Vec::with_capacity(rows + 1);
            column.resize(rows, NULL_POSITION);
            self.attrs.push(column);
        }
        for (k, column) in self.attrs.iter_mut().enumerate() {
            column.push(self.row_attrs.get(k).copied().unwrap_or(NULL_POSITION));
        }
        Ok(j)
    }

    fn push_run(&mut self, owner: i32, count: usize) {
        if count == 0 {
            return;
        }
        if self.run_owners.last() == Some(&owner) && owner < 0 {
            *self.run_counts.last_mut().expect("same length") += count as i64;
        } else {
            self.run_owners.push(owner);
            self.run_counts.push(count as i64);
        }
    }

    /// The observations object at `i` (`{` or `null`): the index after it and its row count.
    fn observations(&mut self, b: &[u8], i: usize) -> Res<(usize, usize)> {
        if at(b, i)? == b'n' {
            return Ok((literal(b, i, b"null")?, 0));
        }
        if at(b, i)? != b'{' {
            return Err(Stop::Plain);
        }
        self.begin_object();
        let start = self.rows();
        let mut j = ws(b, i + 1);
        if at(b, j)? == b'}' {
            return Ok((j + 1, 0));
        }
        loop {
            j = ws(b, self.observation(b, j)?);
            match at(b, j)? {
                b',' => j = ws(b, j + 1),
                b'}' => return Ok((j + 1, self.rows() - start)),
                _ => return Err(Stop::Plain),
            }
        }
    }

    /// One series member (`"0:1": {...}`) at `i`, after its separator: its end and head.
    fn one_series(&mut self, b: &[u8], i: usize, position: usize) -> Res<(usize, SeriesHead)> {
        let (ks, ke, after) = simple_string(b, i)?;
        let mut j = expect(b, after, b':')?;
        j = expect(b, j, b'{')?;
        let mut head = SeriesHead {
            key: (ks, ke),
            attributes: Vec::new(),
        };
        let mut seen_observations = false;
        j = ws(b, j);
        if at(b, j)? == b'}' {
            return Ok((j + 1, head));
        }
        loop {
            let (ms, me, after) = simple_string(b, j)?;
            j = ws(b, expect(b, after, b':')?);
            match &b[ms..me] {
                b"observations" => {
                    if seen_observations {
                        return Err(Stop::Plain);
                    }
                    seen_observations = true;
                    let (end, count) = self.observations(b, j)?;
                    self.push_run(position as i32, count);
                    j = end;
                }
                b"attributes" => (head.attributes, j) = series_attributes(b, j)?,
                _ => j = skip_value(b, j, 0)?,
            }
            j = ws(b, j);
            match at(b, j)? {
                b',' => j = ws(b, j + 1),
                b'}' => return Ok((j + 1, head)),
                _ => return Err(Stop::Plain),
            }
        }
    }

    /// Series members from `i` (after the object's `{` when `first`, else after a member) until
    /// the object closes or a stop; each series is kept whole or not at all.
    pub fn scan_series(
        &mut self,
        b: &[u8],
        mut i: usize,
        mut first: bool,
        position: usize,
        heads: &mut Vec<SeriesHead>,
    ) -> (usize, bool, Status) {
        loop {
            let mark = self.mark();
            let attempt = separator(b, i, first).and_then(|next| match next {
                None => Ok(None),
                Some(j) => self.one_series(b, j, position + heads.len()).map(Some),
            });
            match attempt {
                Ok(None) => return (ws(b, i) + 1, first, Status::Done),
                Ok(Some((end, head))) => {
                    heads.push(head);
                    i = end;
                    first = false;
                }
                Err(stop) => {
                    self.rollback(mark);
                    return (i, first, status_of(stop));
                }
            }
        }
    }

    /// Up to `limit` observations of a flat dataset's object, from `i` as `scan_series`; the
    /// slice is kept whole or not at all.
    pub fn scan_flat(
        &mut self,
        b: &[u8],
        start: usize,
        first_at_start: bool,
        limit: usize,
    ) -> (usize, bool, Status) {
        let mark = self.mark();
        self.begin_object();
        let (mut i, mut first, mut count) = (start, first_at_start, 0);
        let result = loop {
            if count == limit {
                break Ok(Status::Full);
            }
            match separator(b, i, first) {
                Ok(None) => {
                    i = ws(b, i) + 1;
                    break Ok(Status::Done);
                }
                Ok(Some(j)) => match self.observation(b, j) {
                    Ok(end) => {
                        i = end;
                        first = false;
                        count += 1;
                    }
                    Err(stop) => break Err(stop),
                },
                Err(stop) => break Err(stop),
            }
        };
        match result {
            Ok(status) => {
                self.push_run(-1, count);
                (i, first, status)
            }
            Err(stop) => {
                self.rollback(mark);
                (start, first_at_start, status_of(stop))
            }
        }
    }
}

fn status_of(stop: Stop) -> Status {
    match stop {
        Stop::More => Status::More,
        Stop::Plain => Status::Plain,
    }
}

/// Before a member: None when the object closes here, else where the member's key starts.
fn separator(b: &[u8], i: usize, first: bool) -> Res<Option<usize>> {
    let j = ws(b, i);
    match at(b, j)? {
        b'}' => Ok(None),
        b',' if !first => Ok(Some(ws(b, j + 1))),
        b'"' if first => Ok(Some(j)),
        _ => Err(Stop::Plain),
    }
}
