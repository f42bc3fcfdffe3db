//! The pieces of JSON text the SDMX-JSON observation scanner reads, each accepting a subset of
//! what Python's `json` module accepts.
//!
//! Every function looks at `b[i..]` and either returns where the piece ends or stops: `More` when
//! the text ends before the piece does (more text may complete it), `Plain` for anything this
//! scanner leaves to the plain reader (Python's `json`), which reads it or words the error. So the
//! scanner never accepts text that `json` would refuse or read differently.

/// Why a piece was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    More,
    Plain,
}

pub type Res<T> = Result<T, Stop>;

/// Containers nested deeper than this are left to the plain reader.
const MAX_DEPTH: usize = 200;
/// Longer integers are left to the plain reader (Python limits the digits it converts).
const MAX_DIGITS: usize = 1000;

/// The first index at or after `i` that is not JSON white space.
#[inline]
pub fn ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The byte at `i`, or `More` at the end of the text.
#[inline]
pub fn at(b: &[u8], i: usize) -> Res<u8> {
    b.get(i).copied().ok_or(Stop::More)
}

/// `c` at `i` (after white space): the index after it.
#[inline]
pub fn expect(b: &[u8], i: usize, c: u8) -> Res<usize> {
    let i = ws(b, i);
    if at(b, i)? == c {
        Ok(i + 1)
    } else {
        Err(Stop::Plain)
    }
}

/// A string without escapes starting at `i` (its quote): the content's range and the index after it.
pub fn simple_string(b: &[u8], i: usize) -> Res<(usize, usize, usize)> {
    if at(b, i)? != b'"' {
        return Err(Stop::Plain);
    }
    let start = i + 1;
    let mut j = start;
    loop {
        match at(b, j)? {
            b'"' => return Ok((start, j, j + 1)),
            b'\\' => return Err(Stop::Plain),
            c if c < 0x20 => return Err(Stop::Plain),
            _ => j += 1,
        }
    }
}

/// Any string (escapes checked as `json` checks them): the index after it.
fn string(b: &[u8], i: usize) -> Res<usize> {
    let mut j = i + 1;
    loop {
        match at(b, j)? {
            b'"' => return Ok(j + 1),
            b'\\' => match at(b, j + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => j += 2,
                b'u' => {
                    for k in 2..6 {
                        if !at(b, j + k)?.is_ascii_hexdigit() {
                            return Err(Stop::Plain);
                        }
                    }
                    j += 6;
                }
                _ => return Err(Stop::Plain),
            },
            c if c < 0x20 => return Err(Stop::Plain),
            _ => j += 1,
        }
    }
}

fn digits(b: &[u8], mut i: usize) -> Res<usize> {
    let start = i;
    while at(b, i)?.is_ascii_digit() {
        i += 1;
    }
    if i == start {
        Err(Stop::Plain)
    } else {
        Ok(i)
    }
}

/// A number `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at `i`: its end and whether it is an
/// integer (no fraction, no exponent). A number that reaches the end of the text may go on: `More`.
pub fn number(b: &[u8], i: usize) -> Res<(usize, bool)> {
    let mut j = i;
    if at(b, j)? == b'-' {
        j += 1;
    }
    let int_start = j;
    j = if at(b, j)? == b'0' {
        j + 1
    } else {
        digits(b, j)?
    };
    if j - int_start > MAX_DIGITS {
        return Err(Stop::Plain);
    }
    let mut integer = true;
    if at(b, j)? == b'.' {
        j = digits(b, j + 1)?;
        integer = false;
    }
    if matches!(at(b, j)?, b'e' | b'E') {
        j += 1;
        if matches!(at(b, j)?, b'+' | b'-') {
            j += 1;
        }
        j = digits(b, j)?;
        integer = false;
    }
    at(b, j)?; // the number must visibly end before the text does
    Ok((j, integer))
}

/// The literal `word` at `i`: the index after it.
pub fn literal(b: &[u8], i: usize, word: &[u8]) -> Res<usize> {
    for (k, c) in word.iter().enumerate() {
        if at(b, i + k)? != *c {
            return Err(Stop::Plain);
        }
    }
    Ok(i + word.len())
}

/// Any JSON value at `i` (after white space), checked but not kept: the index after it.
pub fn skip_value(b: &[u8], i: usize, depth: usize) -> Res<usize> {
    if depth > MAX_DEPTH {
        return Err(Stop::Plain);
    }
    let i = ws(b, i);
    match at(b, i)? {
        b'"' => string(b, i),
        b'{' => {
            let mut j = ws(b, i + 1);
            if at(b, j)? == b'}' {
                return Ok(j + 1);
            }
            loop {
                if at(b, j)? != b'"' {
                    return Err(Stop::Plain);
                }
                j = string(b, j)?;
                j = expect(b, j, b':')?;
                j = ws(b, skip_value(b, j, depth + 1)?);
                match at(b, j)? {
                    b',' => j = ws(b, j + 1),
                    b'}' => return Ok(j + 1),
                    _ => return Err(Stop::Plain),
                }
            }
        }
        b'[' => {
            let mut j = ws(b, i + 1);
            if at(b, j)? == b']' {
                return Ok(j + 1);
            }
            loop {
                j = ws(b, skip_value(b, j, depth + 1)?);
                match at(b, j)? {
                    b',' => j += 1,
                    b']' => return Ok(j + 1),
                    _ => return Err(Stop::Plain),
                }
            }
        }
        b'n' => literal(b, i, b"null"),
        b't' => literal(b, i, b"true"),
        b'f' => literal(b, i, b"false"),
        b'N' => literal(b, i, b"NaN"),
        b'I' => literal(b, i, b"Infinity"),
        b'-' if at(b, i + 1)? == b'I' => literal(b, i, b"-Infinity"),
        b'-' | b'0'..=b'9' => number(b, i).map(|(end, _)| end),
        _ => Err(Stop::Plain),
    }
}

/// An integer literal without sign (`0` or no leading zero) of at most `max_digits` digits.
pub fn unsigned(b: &[u8], i: usize, max_digits: usize) -> Res<(u64, usize)> {
    let end = digits(b, i)?;
    if end - i > max_digits || (b[i] == b'0' && end - i > 1) {
        return Err(Stop::Plain);
    }
    let value = b[i..end]
        .iter()
        .fold(0u64, |v, d| v * 10 + (d - b'0') as u64);
    Ok((value, end))
}

/// The value of an observation: a number (an integer of at most 15 digits, which f64 holds
/// exactly, or a finite float) or null (`None`).
pub fn obs_value(b: &[u8], i: usize) -> Res<(Option<f64>, usize)> {
    if let Some(found) = short_decimal(b, i) {
        return Ok(found);
    }
    if at(b, i)? == b'n' {
        return Ok((None, literal(b, i, b"null")?));
    }
    let (end, integer) = number(b, i)?;
    let text = &b[i..end];
    if integer {
        let negative = text[0] == b'-';
        let body = if negative { &text[1..] } else { text };
        if body.len() > 15 {
            return Err(Stop::Plain);
        }
        let v = body.iter().fold(0i64, |v, d| v * 10 + (d - b'0') as i64);
        // Python reads "-0" as the integer 0, which becomes 0.0, not -0.0.
        return Ok((Some(if negative { -v } else { v } as f64), end));
    }
    match fast_float2::parse::<f64, _>(text) {
        Ok(v) if v.is_finite() => Ok((Some(v), end)),
        _ => Err(Stop::Plain),
    }
}

/// Powers of ten that f64 holds exactly.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The common value `-?(0|[1-9][0-9]*)(\.[0-9]+)?` of at most 15 digits, read in one pass; None
/// for anything else (read by `obs_value`'s general path). The digits as an integer and the
/// power of ten are both exact in f64, so one division rounds correctly, as Python's `float` does.
#[inline]
fn short_decimal(b: &[u8], i: usize) -> Option<(Option<f64>, usize)> {
    let mut j = i;
    let negative = b.get(j) == Some(&b'-');
    j += negative as usize;
    let start = j;
    let mut m: u64 = 0;
    while let Some(&c) = b.get(j) {
        if !c.is_ascii_digit() {
            break;
        }
        m = m.wrapping_mul(10).wrapping_add((c - b'0') as u64);
        j += 1;
    }
    let int_digits = j - start;
    if int_digits == 0 || (b[start] == b'0' && int_digits > 1) {
        return None;
    }
    let mut scale = 0;
    if b.get(j) == Some(&b'.') {
        j += 1;
        let frac = j;
        while let Some(&c) = b.get(j) {
            if !c.is_ascii_digit() {
                break;
            }
            m = m.wrapping_mul(10).wrapping_add((c - b'0') as u64);
            j += 1;
        }
        scale = j - frac;
        if scale == 0 {
            return None;
        }
    }
    // An exponent, or the end of the text (the number may go on), is for the general path.
    if int_digits + scale > 15 || matches!(b.get(j), None | Some(b'e' | b'E')) {
        return None;
    }
    let v = m as f64 / POW10[scale];
    // Python reads "-0" as the integer 0 (0.0), but "-0.0" as the float -0.0.
    let v = if negative && (scale > 0 || m != 0) {
        -v
    } else {
        v
    };
    Some((Some(v), j))
}

/// A key of canonical positions read in one pass: its range and the index after it; None for
/// anything else (then read by `simple_string` and `key_parts`, which say why).
#[inline]
pub fn short_key(b: &[u8], i: usize, scratch: &mut Vec<i32>) -> Option<(usize, usize, usize)> {
    scratch.clear();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let (mut j, mut part, mut digits) = (i + 1, 0i32, 0usize);
    let mut first_zero = false;
    loop {
        match *b.get(j)? {
            c @ b'0'..=b'9' => {
                if digits == 0 {
                    first_zero = c == b'0';
                } else if first_zero || digits == 9 {
                    return None;
                }
                part = part * 10 + (c - b'0') as i32;
                digits += 1;
            }
            b':' if digits > 0 => {
                scratch.push(part);
                (part, digits) = (0, 0);
            }
            b'"' if digits > 0 || j == i + 1 => {
                if digits > 0 {
                    scratch.push(part);
                }
                return Some((i + 1, j, j + 1));
            }
            _ => return None,
        }
        j += 1;
    }
}

/// The positions of a key (`""`, `"3"`, `"0:12:1"`) into `scratch`.
pub fn key_parts(key: &[u8], scratch: &mut Vec<i32>) -> Res<()> {
    scratch.clear();
    if key.is_empty() {
        return Ok(());
    }
    for part in key.split(|c| *c == b':') {
        // Canonical positions only ("0", "12"; not "012", "+1" or " 1"): they are what the
        // plain reader's cast reads the same way.
        let canonical = !part.is_empty()
            && part.len() <= 9
            && part.iter().all(u8::is_ascii_digit)
            && (part[0] != b'0' || part.len() == 1);
        if !canonical {
            return Err(Stop::Plain);
        }
        let v = part.iter().fold(0i32, |v, d| v * 10 + (d - b'0') as i32);
        scratch.push(v);
    }
    Ok(())
}

/// A series' `attributes`: null (none) or an array of integers and nulls.
pub fn series_attributes(b: &[u8], i: usize) -> Res<(Vec<Option<i64>>, usize)> {
    if at(b, i)? == b'n' {
        return Ok((Vec::new(), literal(b, i, b"null")?));
    }
    if at(b, i)? != b'[' {
        return Err(Stop::Plain);
    }
    let mut out = Vec::new();
    let mut j = ws(b, i + 1);
    if at(b, j)? == b']' {
        return Ok((out, j + 1));
    }
    loop {
        j = ws(b, j);
        if at(b, j)? == b'n' {
            j = literal(b, j, b"null")?;
            out.push(None);
        } else {
            let negative = at(b, j)? == b'-';
            let (v, end) = unsigned(b, j + negative as usize, 15)?;
            out.push(Some(if negative { -(v as i64) } else { v as i64 }));
            j = end;
        }
        j = ws(b, j);
        match at(b, j)? {
            b',' => j += 1,
            b']' => return Ok((out, j + 1)),
            _ => return Err(Stop::Plain),
        }
    }
}
