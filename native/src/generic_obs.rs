//! Plain generic observations: an `<Obs>` block of `ObsDimension`, `ObsValue`, `ObsKey` and
//! `Attributes` elements, each value becoming a column.
//!
//! Plain means: every element of the block has the `<Obs>`'s prefix, which the message's root
//! element declares (or none); `<Obs>`, `<ObsKey>` and `<Attributes>` have no attributes;
//! `ObsDimension` (`value`, optional `id`), `ObsValue` (`value`) and `Value` (`id`, `value`) are
//! empty elements with plain attributes (see `lex`) and only those; only white space stands
//! between elements; no column is named twice. The column of an `ObsDimension` without `id` is
//! `OBS_DIMENSION` (the reader names it after the header's dimension at observation).

use crate::lex::{is, Lexer, Obs, NAME};
use crate::rows::{Rows, Template};
use crate::scan::ObsParser;

pub const OBS_DIMENSION: &[u8] = b"\x00obs-dimension";
const OBS_VALUE: &[u8] = b"OBS_VALUE";

pub struct GenericObs {
    /// Prefixes the root element declares (a block with another prefix is left to the parser).
    pub prefixes: Vec<Vec<u8>>,
    /// Key columns (from `ObsDimension` and `ObsKey`) with the row that first had them.
    pub keys: Vec<(usize, usize)>,
    /// Positions in the open row of its key values.
    key_at: Vec<usize>,
    template: Template,
}

impl GenericObs {
    pub fn new(prefixes: Vec<Vec<u8>>) -> GenericObs {
        GenericObs {
            prefixes,
            keys: Vec::new(),
            key_at: Vec::new(),
            template: Template::default(),
        }
    }
}

/// The element at `j` (after `<` or `</`): its prefix (empty without one) and local name, and
/// the byte after its name.
fn qname<'a>(lex: &Lexer<'a>, j: usize) -> Result<(&'a [u8], &'a [u8], usize), Obs> {
    let buf = lex.buf;
    let first = lex.name(j)?;
    if buf[first] == b':' {
        let end = lex.name(first + 1)?;
        Ok((&buf[j..first], &buf[first + 1..end], end))
    } else {
        Ok((&[], &buf[j..first], first))
    }
}

/// After an element's name: white space, then `>` (`Ok(false)`) or `/>` (`Ok(true)`).
fn tag_end(lex: &Lexer, j: usize) -> Result<(bool, usize), Obs> {
    let j = lex.skip_ws(j)?;
    match lex.buf[j] {
        b'>' => Ok((false, j + 1)),
        b'/' if j + 1 >= lex.buf.len() => Err(lex.cut()),
        b'/' if lex.buf[j + 1] == b'>' => Ok((true, j + 2)),
        _ => Err(Obs::NotPlain),
    }
}

impl GenericObs {
    fn block<'a>(&mut self, lex: &Lexer<'a>, rows: &mut Rows<'a>, lt: usize) -> Result<usize, Obs> {
        let buf = lex.buf;
        let (prefix, _, j) = qname(lex, lt + 1)?;
        if !prefix.is_empty() && !self.prefixes.iter().any(|p| p == prefix) {
            return Err(Obs::NotPlain);
        }
        let (empty, mut j) = tag_end(lex, j)?;
        if empty {
            return Err(Obs::NotPlain);
        }
        self.key_at.clear();
        let mut placed = 0;
        let mut keyed = false; // an ObsDimension or ObsKey was met (at most one of them)
        loop {
            j = lex.skip_ws(j)?;
            if buf[j] != b'<' || j + 1 >= buf.len() {
                return Err(if buf[j] == b'<' { lex.cut() } else { Obs::NotPlain });
            }
            let closing = buf[j + 1] == b'/';
            let (p, name, after) = qname(lex, j + 1 + closing as usize)?;
            if p != prefix {
                return Err(Obs::NotPlain);
            }
            if closing {
                if name != b"Obs" {
                    return Err(Obs::NotPlain);
                }
                let (_, end) = tag_end(lex, after)?;
                if buf[end - 2] == b'/' {
                    return Err(Obs::NotPlain);
                }
                if !rows.commit() {
                    return Err(Obs::NotPlain);
                }
                for &at in &self.key_at {
                    let column = rows.placed().nth(at).expect("a placed value");
                    if !self.keys.iter().any(|k| k.0 == column) {
                        self.keys.push((column, rows.rows - 1));
                    }
                }
                return Ok(end);
            }
            match name {
                b"ObsDimension" | b"ObsValue" => {
                    let dimension = name == b"ObsDimension";
                    if dimension && std::mem::replace(&mut keyed, true) {
                        return Err(Obs::NotPlain);
                    }
                    let (mut id, mut value, mut k) = (None, None, after);
                    loop {
                        let ws_start = k;
                        k = lex.skip_ws(k)?;
                        if buf[k] == b'/' || buf[k] == b'>' {
                            break;
                        }
                        if k == ws_start {
                            return Err(Obs::NotPlain);
                        }
                        let name_end = lex.name(k)?;
                        let (start, end, next) = lex.value(name_end)?;
                        let slot = match &buf[k..name_end] {
                            b"id" if dimension => &mut id,
                            b"value" => &mut value,
                            _ => return Err(Obs::NotPlain),
                        };
                        if slot.replace((start, end)).is_some() {
                            return Err(Obs::NotPlain);
                        }
                        k = next;
                    }
                    let (empty, next) = tag_end(lex, k)?;
                    let Some((start, end)) = value.filter(|_| empty) else {
                        return Err(Obs::NotPlain);
                    };
                    let column = match (dimension, id) {
                        (false, _) => OBS_VALUE,
                        (true, None) => OBS_DIMENSION,
                        (true, Some((s, e))) => &buf[s..e],
                    };
                    if column.is_empty() || !rows.place(None, column, start, end) {
                        return Err(Obs::NotPlain);
                    }
                    if dimension {
                        self.key_at.push(placed);
                    }
                    placed += 1;
                    j = next;
                }
                b"Attributes" | b"ObsKey" => {
                    let key = name == b"ObsKey";
                    // With both an ObsDimension and an ObsKey, the parser's last value would win.
                    if key && std::mem::replace(&mut keyed, true) {
                        return Err(Obs::NotPlain);
                    }
                    let (empty, next) = tag_end(lex, after)?;
                    if empty {
                        return Err(Obs::NotPlain);
                    }
                    j = self.values(lex, rows, next, prefix, name, key, &mut placed)?;
                }
                _ => return Err(Obs::NotPlain),
            }
        }
    }

    /// The `<Value id=".." value=".."/>` elements of an `Attributes` or `ObsKey` element, up to
    /// its end tag; the byte after it.
    #[allow(clippy::too_many_arguments)]
    fn values<'a>(
        &mut self,
        lex: &Lexer<'a>,
        rows: &mut Rows<'a>,
        mut j: usize,
        prefix: &[u8],
        parent: &[u8],
        key: bool,
        placed: &mut usize,
    ) -> Result<usize, Obs> {
        let buf = lex.buf;
        loop {
            j = lex.skip_ws(j)?;
            if buf[j] != b'<' || j + 1 >= buf.len() {
                return Err(if buf[j] == b'<' { lex.cut() } else { Obs::NotPlain });
            }
            let closing = buf[j + 1] == b'/';
            let (p, name, after) = qname(lex, j + 1 + closing as usize)?;
            if p != prefix {
                return Err(Obs::NotPlain);
            }
            if closing {
                let (empty, end) = tag_end(lex, after)?;
                return if name == parent && !empty {
                    Ok(end)
                } else {
                    Err(Obs::NotPlain)
                };
            }
            if name != b"Value" {
                return Err(Obs::NotPlain);
            }
            let (mut id, mut value, mut k) = (None, None, after);
            loop {
                let ws_start = k;
                k = lex.skip_ws(k)?;
                if buf[k] == b'/' || buf[k] == b'>' {
                    break;
                }
                if k == ws_start {
                    return Err(Obs::NotPlain);
                }
                let name_end = lex.name(k)?;
                let (start, end, next) = lex.value(name_end)?;
                let slot = match &buf[k..name_end] {
                    b"id" => &mut id,
                    b"value" => &mut value,
                    _ => return Err(Obs::NotPlain),
                };
                if slot.replace((start, end)).is_some() {
                    return Err(Obs::NotPlain);
                }
                k = next;
            }
            let (empty, next) = tag_end(lex, k)?;
            let (Some((s, e)), Some((start, end)), true) = (id, value, empty) else {
                return Err(Obs::NotPlain);
            };
            if s == e || !rows.place(None, &buf[s..e], start, end) {
                return Err(Obs::NotPlain);
            }
            if key {
                self.key_at.push(*placed);
            }
            *placed += 1;
            j = next;
        }
    }
}

impl<'a> ObsParser<'a> for GenericObs {
    fn at(&mut self, lex: &Lexer<'a>, rows: &mut Rows<'a>, lt: usize) -> Option<Obs> {
        if let Some(end) = self.template.read(rows, lt) {
            return Some(Obs::Plain(end));
        }
        // A candidate is `<Obs` or `<prefix:Obs` followed by something that ends the name.
        let buf = lex.buf;
        let mut j = lt + 1;
        while j < buf.len() && is(buf[j], NAME) {
            j += 1;
        }
        let local_start = if j < buf.len() && buf[j] == b':' {
            let s = j + 1;
            j = s;
            while j < buf.len() && is(buf[j], NAME) {
                j += 1;
            }
            s
        } else {
            lt + 1
        };
        if j >= buf.len() {
            return (!lex.last).then_some(Obs::Incomplete); // the name may go on in the next chunk
        }
        if &buf[local_start..j] != b"Obs" {
            return None;
        }
        rows.begin();
        Some(match self.block(lex, rows, lt) {
            Ok(end) => {
                self.template.record(rows, lt, end);
                Obs::Plain(end)
            }
            Err(obs) => obs,
        })
    }
}
