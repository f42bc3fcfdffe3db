//! Find runs of plain `<Obs .../>` elements in a chunk of a structure-specific SDMX-ML message,
//! read their attributes into columns, and put a processing instruction in each run's place.
//!
//! "Plain" is a strict subset of XML that needs no decoding: an element named exactly `Obs`,
//! attributes with ASCII names and no prefix, values in `"` or `'` without `<`, `&` or control
//! characters and valid UTF-8, no duplicate names, self-closing. Everything else (other
//! elements, comments, CDATA, processing instructions, any element that is not plain) is copied
//! to the output untouched for the XML parser, which still checks the whole document. After a
//! `<!DOCTYPE` or other `<!` declaration nothing more is scanned: the parser refuses those.

use std::collections::HashMap;

use memchr::memmem;

use crate::columns::{parse_number, same, Column, Kind};

pub struct Scan {
    /// The chunk with each run replaced by `<?target id\n...?>` (one line break per line of the run).
    pub out: Vec<u8>,
    /// Bytes of the input handled; the rest (an element cut by the chunk's end) comes again.
    pub consumed: usize,
    /// A declaration was met: the caller passes the rest of the message through unscanned.
    pub passthrough: bool,
    /// Observations per run, in order.
    pub counts: Vec<usize>,
    /// Run indices before which an observation was left to the XML parser: the runs on either
    /// side must reach the table separately so that observations stay in document order.
    pub breaks: Vec<usize>,
    pub columns: Vec<Column>,
}

enum Obs {
    Plain(usize),
    NotPlain,
    Incomplete,
}

struct Scanner<'a> {
    buf: &'a [u8],
    last: bool,
    kinds: &'a HashMap<String, Kind>,
    columns: Vec<Column>,
    rows: usize,
    attempt: u64,
    /// Column index of the attribute at each position in the previous observation.
    guesses: Vec<usize>,
    found: Vec<(usize, usize, usize, Option<f64>)>, // (column or usize::MAX, value start, value end, number)
    names: Vec<(usize, usize)>,                     // name spans of attributes without a column yet
}

const WS: u8 = 1;
const NAME_START: u8 = 2;
const NAME: u8 = 4;
/// ASCII that an attribute value may hold as it is (not a quote, `<`, `&` or a control character).
const VALUE: u8 = 8;

/// Character classes of every byte value, so each loop tests one table entry per byte.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut k = 0;
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            k |= WS;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            k |= NAME_START;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-') {
            k |= NAME;
        }
        if c >= 0x20 && c < 0x80 && !matches!(c, b'"' | b'\'' | b'<' | b'&') {
            k |= VALUE;
        }
        t[b] = k;
        b += 1;
    }
    t
};

fn is_ws(b: u8) -> bool {
    CLASS[b as usize] & WS != 0
}

/// Valid UTF-8 without U+FFFE / U+FFFF, the only characters XML refuses that UTF-8 can carry
/// above the control characters (rejected before).
fn xml_text(value: &[u8]) -> bool {
    std::str::from_utf8(value).is_ok_and(|text| !text.contains(['\u{FFFE}', '\u{FFFF}']))
}

fn is(b: u8, class: u8) -> bool {
    CLASS[b as usize] & class != 0
}

impl<'a> Scanner<'a> {
    fn cut(&self) -> Obs {
        if self.last {
            Obs::NotPlain
        } else {
            Obs::Incomplete
        }
    }

    /// Parse the element at `at` (which starts with `<Obs` and a space) and, if plain, add its row.
    fn obs(&mut self, at: usize) -> Obs {
        let buf = self.buf;
        let n = buf.len();
        self.attempt += 1;
        self.found.clear();
        self.names.clear();
        let mut j = at + 4;
        loop {
            let ws_start = j;
            while j < n && is_ws(buf[j]) {
                j += 1;
            }
            if j >= n {
                return self.cut();
            }
            let c = buf[j];
            if c == b'/' {
                if j + 1 >= n {
                    return self.cut();
                }
                if buf[j + 1] != b'>' {
                    return Obs::NotPlain;
                }
                return if self.commit() {
                    Obs::Plain(j + 2)
                } else {
                    Obs::NotPlain
                };
            }
            if j == ws_start || !is(c, NAME_START) {
                return Obs::NotPlain;
            }
            let name_start = j;
            // Usually the same attribute as at this position in the previous observation.
            let guess = self.guesses.get(self.found.len()).copied();
            let mut known = None;
            if let Some(g) = guess {
                let name = self.columns[g].name.as_bytes();
                let end = j + name.len();
                if end < n && same(&buf[j..end], name) && !is(buf[end], NAME) {
                    known = Some(g);
                    j = end;
                }
            }
            if known.is_none() {
                while j < n && is(buf[j], NAME) {
                    j += 1;
                }
            }
            let name_end = j;
            while j < n && is_ws(buf[j]) {
                j += 1;
            }
            if j >= n {
                return self.cut();
            }
            if buf[j] != b'=' {
                return Obs::NotPlain;
            }
            j += 1;
            while j < n && is_ws(buf[j]) {
                j += 1;
            }
            if j >= n {
                return self.cut();
            }
            let quote = buf[j];
            if quote != b'"' && quote != b'\'' {
                return Obs::NotPlain;
            }
            j += 1;
            let value_start = j;
            let mut ascii = true;
            loop {
                while j < n && is(buf[j], VALUE) {
                    j += 1;
                }
                if j >= n {
                    return self.cut();
                }
                let b = buf[j];
                if b == quote {
                    break;
                }
                if b < 0x80 && b != b'"' && b != b'\'' {
                    return Obs::NotPlain; // '<', '&' or a control character
                }
                ascii &= b < 0x80;
                j += 1;
            }
            let value_end = j;
            j += 1;
            if !ascii && !xml_text(&buf[value_start..value_end]) {
                return Obs::NotPlain;
            }
            if !self.place(known, name_start, name_end, value_start, value_end) {
                return Obs::NotPlain;
            }
        }
    }

    /// Note one attribute: its column (if any yet), and its number for float columns.
    fn place(
        &mut self,
        known: Option<usize>,
        name_start: usize,
        name_end: usize,
        value_start: usize,
        value_end: usize,
    ) -> bool {
        let name = &self.buf[name_start..name_end];
        let column = known.or_else(|| {
            self.columns
                .iter()
                .position(|c| same(c.name.as_bytes(), name))
        });
        let value = &self.buf[value_start..value_end];
        let number = match column {
            Some(index) => {
                let col = &mut self.columns[index];
                if col.stamp == self.attempt {
                    return false; // the same attribute twice: the XML parser reports it
                }
                col.stamp = self.attempt;
                if col.kind() == Kind::Float {
                    match parse_number(value) {
                        Ok(number) => number,
                        Err(()) => return false,
                    }
                } else {
                    None
                }
            }
            None => {
                if self.names.iter().any(|&(s, e)| same(&self.buf[s..e], name)) {
                    return false;
                }
                self.names.push((name_start, name_end));
                let text = std::str::from_utf8(name).expect("ASCII name");
                if self.kinds.get(text) == Some(&Kind::Float) {
                    match parse_number(value) {
                        Ok(number) => number,
                        Err(()) => return false,
                    }
                } else {
                    None
                }
            }
        };
        self.found
            .push((column.unwrap_or(usize::MAX), value_start, value_end, number));
        true
    }

    /// Add the parsed element as one row: new columns first, then values, then nulls.
    fn commit(&mut self) -> bool {
        let mut names = self.names.iter();
        for entry in self.found.iter_mut() {
            if entry.0 == usize::MAX {
                let (s, e) = *names.next().expect("one name per new column");
                let name = String::from_utf8(self.buf[s..e].to_vec()).expect("ASCII name");
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
}

/// Writes the output: input bytes as they are, each closed run as a processing instruction.
struct Emitter<'a, 'b> {
    buf: &'a [u8],
    pi_target: &'a [u8],
    first_run: usize,
    out: &'b mut Vec<u8>,
    counts: &'b mut Vec<usize>,
    /// Input bytes before this are in `out`.
    emitted: usize,
}

impl Emitter<'_, '_> {
    fn close(&mut self, run: &mut Option<(usize, usize, usize)>) {
        if let Some((start, end, count)) = run.take() {
            let out = &mut *self.out;
            out.extend_from_slice(&self.buf[self.emitted..start]);
            out.extend_from_slice(b"<?");
            out.extend_from_slice(self.pi_target);
            out.extend_from_slice(format!(" {}", self.first_run + self.counts.len()).as_bytes());
            let lines = memchr::memchr_iter(b'\n', &self.buf[start..end]).count();
            out.resize(out.len() + lines, b'\n');
            out.extend_from_slice(b"?>");
            self.counts.push(count);
            self.emitted = end;
        }
    }
}

/// Scan one chunk (`last`: no more bytes follow). Run ids start at `first_run`.
pub fn scan(
    buf: &[u8],
    last: bool,
    pi_target: &[u8],
    first_run: usize,
    kinds: &HashMap<String, Kind>,
) -> Scan {
    let mut s = Scanner {
        buf,
        last,
        kinds,
        columns: Vec::new(),
        rows: 0,
        attempt: 0,
        guesses: Vec::new(),
        found: Vec::new(),
        names: Vec::new(),
    };
    let n = buf.len();
    let mut out = Vec::with_capacity(n / 8);
    let mut counts = Vec::new();
    let mut run: Option<(usize, usize, usize)> = None; // start, end, observations
    let mut passthrough = false;
    let mut breaks: Vec<usize> = Vec::new();
    let mut i = 0;
    let mut emit = Emitter {
        buf,
        pi_target,
        first_run,
        out: &mut out,
        counts: &mut counts,
        emitted: 0,
    };
    let stop = loop {
        let Some(offset) = memchr::memchr(b'<', &buf[i..]) else {
            break n;
        };
        let lt = i + offset;
        if let Some((_, end, _)) = run {
            if !buf[end..lt].iter().all(|b| is_ws(*b)) {
                emit.close(&mut run);
            }
        }
        let rest = &buf[lt..];
        if rest.len() < 9 && !last {
            break lt; // too short to tell what it is: wait for the next chunk
        }
        let skip = if rest.starts_with(b"<!--") {
            Some(&b"-->"[..])
        } else if rest.starts_with(b"<![CDATA[") {
            Some(&b"]]>"[..])
        } else if rest.starts_with(b"<?") {
            Some(&b"?>"[..])
        } else {
            None
        };
        if let Some(closer) = skip {
            emit.close(&mut run);
            match memmem::find(&rest[2..], closer) {
                Some(k) => {
                    i = lt + 2 + k + closer.len();
                    continue;
                }
                None if last => break n,
                None => break lt,
            }
        }
        if rest.starts_with(b"<!") {
            emit.close(&mut run);
            passthrough = true;
            break n;
        }
        if rest.len() > 4 && rest.starts_with(b"<Obs") && is_ws(rest[4]) {
            match s.obs(lt) {
                Obs::Plain(end) => {
                    run = Some(match run {
                        Some((start, _, count)) => (start, end, count + 1),
                        None => (lt, end, 1),
                    });
                    i = end;
                    continue;
                }
                Obs::Incomplete => break lt,
                Obs::NotPlain => {
                    emit.close(&mut run);
                    let next = first_run + emit.counts.len();
                    if breaks.last() != Some(&next) {
                        breaks.push(next);
                    }
                }
            }
        }
        emit.close(&mut run);
        i = lt + 1;
    };
    emit.close(&mut run);
    let emitted = emit.emitted;
    out.extend_from_slice(&buf[emitted..stop]);
    breaks.retain(|b| *b > first_run && *b < first_run + counts.len());
    Scan {
        out,
        consumed: stop,
        passthrough,
        counts,
        breaks,
        columns: s.columns,
    }
}
