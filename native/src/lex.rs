//! The bytes of plain XML markup: character classes and one `name = "value"` attribute at a time.
//!
//! "Plain" is the strict subset of XML the observation scanners read themselves: ASCII names,
//! values in `"` or `'` without `<`, `&` or control characters and valid UTF-8. Anything else
//! makes a scanner leave the element to the XML parser (`Obs::NotPlain`).

/// What a scanner makes of the element at a position.
pub enum Obs {
    /// A plain observation ending before this byte.
    Plain(usize),
    /// Not plain: the XML parser reads it.
    NotPlain,
    /// Cut by the chunk's end: scanned again with the next chunk.
    Incomplete,
    /// Not an observation, but markup to write differently: its end and its new bytes.
    Replaced(usize, Vec<u8>),
}

const WS: u8 = 1;
const NAME_START: u8 = 2;
pub const NAME: u8 = 4;
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

pub fn is_ws(b: u8) -> bool {
    CLASS[b as usize] & WS != 0
}

pub fn is(b: u8, class: u8) -> bool {
    CLASS[b as usize] & class != 0
}

/// A byte an attribute value may hold as it is (plain ASCII, no quote, `<` or `&`).
#[inline]
pub fn is_value(b: u8) -> bool {
    is(b, VALUE)
}

pub fn is_name_start(b: u8) -> bool {
    is(b, NAME_START)
}

/// Valid UTF-8 without U+FFFE / U+FFFF, the only characters XML refuses that UTF-8 can carry
/// above the control characters (rejected before).
pub fn xml_text(value: &[u8]) -> bool {
    std::str::from_utf8(value).is_ok_and(|text| !text.contains(['\u{FFFE}', '\u{FFFF}']))
}

/// Reads plain markup from one chunk; every step fails with `Obs::Incomplete` at the chunk's end
/// (or `Obs::NotPlain` on the message's last chunk, where nothing more comes).
pub struct Lexer<'a> {
    pub buf: &'a [u8],
    pub last: bool,
}

impl<'a> Lexer<'a> {
    pub fn cut(&self) -> Obs {
        if self.last {
            Obs::NotPlain
        } else {
            Obs::Incomplete
        }
    }

    /// The first byte at or after `j` that is not white space.
    pub fn skip_ws(&self, mut j: usize) -> Result<usize, Obs> {
        let buf = self.buf;
        while j < buf.len() && is_ws(buf[j]) {
            j += 1;
        }
        if j >= buf.len() {
            return Err(self.cut());
        }
        Ok(j)
    }

    /// The end of the name starting at `j` (which must start one).
    pub fn name(&self, mut j: usize) -> Result<usize, Obs> {
        let buf = self.buf;
        if j >= buf.len() {
            return Err(self.cut());
        }
        if !is_name_start(buf[j]) {
            return Err(Obs::NotPlain);
        }
        while j < buf.len() && is(buf[j], NAME) {
            j += 1;
        }
        if j >= buf.len() {
            return Err(self.cut());
        }
        Ok(j)
    }

    /// After an attribute's name (at `j`): `= "value"`; returns the value's span and the byte after it.
    pub fn value(&self, j: usize) -> Result<(usize, usize, usize), Obs> {
        let buf = self.buf;
        let n = buf.len();
        let mut j = self.skip_ws(j)?;
        if buf[j] != b'=' {
            return Err(Obs::NotPlain);
        }
        j = self.skip_ws(j + 1)?;
        let quote = buf[j];
        if quote != b'"' && quote != b'\'' {
            return Err(Obs::NotPlain);
        }
        j += 1;
        let start = j;
        let mut ascii = true;
        loop {
            while j < n && is(buf[j], VALUE) {
                j += 1;
            }
            if j >= n {
                return Err(self.cut());
            }
            let b = buf[j];
            if b == quote {
                break;
            }
            if b < 0x80 && b != b'"' && b != b'\'' {
                return Err(Obs::NotPlain); // '<', '&' or a control character
            }
            ascii &= b < 0x80;
            j += 1;
        }
        if !ascii && !xml_text(&buf[start..j]) {
            return Err(Obs::NotPlain);
        }
        Ok((start, j, j + 1))
    }
}
