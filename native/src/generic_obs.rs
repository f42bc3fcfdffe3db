//! Plain generic observations: an `<Obs>` block of `ObsDimension`, `ObsValue`, `ObsKey` and
//! `Attributes` elements, each value becoming a column.
//!
//! Plain means: every element of the block has the `<Obs>`'s prefix, which the message's root
//! element declares (or none); `<Obs>`, `<ObsKey>` and `<Attributes>` have no attributes;
//! `ObsDimension` (`value`, optional `id`), `ObsValue` (`value`) and `Value` (`id`, `value`) are
//! empty elements with plain attributes (see `lex`) and only those; only white space stands
//! between elements; no column is named twice. The column of an `ObsDimension` without `id` is
//! `OBS_DIMENSION` (the reader names it after the header's dimension at observation).

use crate::lex::{is, is_name_start, Lexer, Obs, NAME};
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
    /// The processing instructions' target, which also starts the names of packed elements.
    pub pi_target: Vec<u8>,
}

impl GenericObs {
    pub fn new(prefixes: Vec<Vec<u8>>, pi_target: &[u8]) -> GenericObs {
        GenericObs {
            prefixes,
            keys: Vec::new(),
            key_at: Vec::new(),
            template: Template::default(),
            pi_target: pi_target.to_vec(),
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

/// The next tag from `j`, after white space only, with the prefix `prefix`: whether it is an end
/// tag, its local name and the byte after the name.
#[inline]
fn next_tag<'a>(lex: &Lexer<'a>, j: usize, prefix: &[u8]) -> Result<(bool, &'a [u8], usize), Obs> {
    let buf = lex.buf;
    let j = lex.skip_ws(j)?;
    if buf[j] != b'<' || j + 1 >= buf.len() {
        return Err(if buf[j] == b'<' {
            lex.cut()
        } else {
            Obs::NotPlain
        });
    }
    let closing = buf[j + 1] == b'/';
    let (p, name, after) = qname(lex, j + 1 + closing as usize)?;
    if p != prefix {
        return Err(Obs::NotPlain);
    }
    Ok((closing, name, after))
}

/// A value span: where an attribute's value starts and ends.
type Span = Option<(usize, usize)>;

/// The attributes of an empty element from `k` (after its name): `id` (only where `with_id`) and
/// `value`, each at most once and nothing else, as spans of their values; the byte after its `/>`.
#[inline]
fn id_value(lex: &Lexer, mut k: usize, with_id: bool) -> Result<(Span, Span, usize), Obs> {
    let buf = lex.buf;
    let (mut id, mut value) = (None, None);
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
            b"id" if with_id => &mut id,
            b"value" => &mut value,
            _ => return Err(Obs::NotPlain),
        };
        if slot.replace((start, end)).is_some() {
            return Err(Obs::NotPlain);
        }
        k = next;
    }
    match tag_end(lex, k)? {
        (true, next) => Ok((id, value, next)),
        (false, _) => Err(Obs::NotPlain),
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
            let (closing, name, after) = next_tag(lex, j, prefix)?;
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
                    let (id, value, next) = id_value(lex, after, dimension)?;
                    let Some((start, end)) = value else {
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
    /// its end tag, placed in the open row; the byte after the end tag.
    #[allow(clippy::too_many_arguments)]
    fn values<'a>(
        &mut self,
        lex: &Lexer<'a>,
        rows: &mut Rows<'a>,
        j: usize,
        prefix: &[u8],
        parent: &[u8],
        key: bool,
        placed: &mut usize,
    ) -> Result<usize, Obs> {
        let buf = lex.buf;
        let key_at = &mut self.key_at;
        value_list(lex, j, prefix, parent, |(s, e), (start, end)| {
            if s == e || !rows.place(None, &buf[s..e], start, end) {
                return false;
            }
            if key {
                key_at.push(*placed);
            }
            *placed += 1;
            true
        })
    }

    /// A series' `SeriesKey` or `Attributes` element at `lt` (name ending at `j`) written as one
    /// empty element whose attributes are the values (`<{target}-SeriesKey FREQ="M" .../>`, as
    /// many line breaks), so that the parser hands them over in one call.
    fn packed(&self, lex: &Lexer, lt: usize, prefix: &[u8], name: &[u8], j: usize) -> Obs {
        let buf = lex.buf;
        if !prefix.is_empty() && !self.prefixes.iter().any(|p| p == prefix) {
            return Obs::NotPlain;
        }
        let mut out = Vec::with_capacity(256);
        out.push(b'<');
        out.extend_from_slice(&self.pi_target);
        out.push(b'-');
        out.extend_from_slice(name);
        let mut seen: Vec<&[u8]> = Vec::new();
        let result = tag_end(lex, j).and_then(|(empty, after)| {
            if empty {
                return Err(Obs::NotPlain);
            }
            value_list(lex, after, prefix, name, |(s, e), (start, end)| {
                let id = &buf[s..e];
                // Only ids that are XML names of their own (and not the parser's `xml...`) become attributes.
                let named = !id.is_empty()
                    && is_name_start(id[0])
                    && id.iter().all(|&b| is(b, NAME))
                    && !id.to_ascii_lowercase().starts_with(b"xml")
                    && !seen.contains(&id);
                if !named {
                    return false;
                }
                seen.push(id);
                let quote = if buf[start..end].contains(&b'"') {
                    b'\''
                } else {
                    b'"'
                };
                out.push(b' ');
                out.extend_from_slice(id);
                out.extend_from_slice(&[b'=', quote]);
                out.extend_from_slice(&buf[start..end]);
                out.push(quote);
                true
            })
        });
        match result {
            Ok(end) => {
                let lines = memchr::memchr_iter(b'\n', &buf[lt..end]).count();
                out.resize(out.len() + lines, b'\n');
                out.extend_from_slice(b"/>");
                Obs::Replaced(end, out)
            }
            Err(obs) => obs,
        }
    }
}

/// The `<Value id=".." value=".."/>` elements from `j` up to `parent`'s end tag, each handed to
/// `each` as (id span, value span) (false: not plain); the byte after the end tag.
fn value_list(
    lex: &Lexer,
    mut j: usize,
    prefix: &[u8],
    parent: &[u8],
    mut each: impl FnMut((usize, usize), (usize, usize)) -> bool,
) -> Result<usize, Obs> {
    loop {
        let (closing, name, after) = next_tag(lex, j, prefix)?;
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
        let (Some(id), Some(value), next) = id_value(lex, after, true)? else {
            return Err(Obs::NotPlain);
        };
        if !each(id, value) {
            return Err(Obs::NotPlain);
        }
        j = next;
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
        let local = &buf[local_start..j];
        if local == b"SeriesKey" || local == b"Attributes" {
            let prefix = &buf[lt + 1..local_start.saturating_sub(1).max(lt + 1)];
            return Some(self.packed(lex, lt, prefix, local, j));
        }
        if local != b"Obs" {
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
