//! Plain structure-specific observations: `<Obs A="..." B="..."/>`, one value per attribute.
//!
//! Plain means: an element named exactly `Obs` (no prefix), attributes with ASCII names and no
//! prefix, plain values (see `lex`), no name twice, self-closing.

use crate::lex::{is, is_ws, Lexer, Obs, NAME};
use crate::rows::{Rows, Template};
use crate::scan::ObsParser;

#[derive(Default)]
pub struct SsObs {
    template: Template,
}

impl<'a> ObsParser<'a> for SsObs {
    fn at(&mut self, lex: &Lexer<'a>, rows: &mut Rows<'a>, lt: usize) -> Option<Obs> {
        let rest = &lex.buf[lt..];
        if let Some(end) = self.template.read(rows, lt) {
            return Some(Obs::Plain(end));
        }
        if rest.len() > 4 && rest.starts_with(b"<Obs") && is_ws(rest[4]) {
            rows.begin();
            Some(match attributes(lex, rows, lt + 4) {
                Ok(end) if rows.commit() => {
                    self.template.record(rows, lt, end);
                    Obs::Plain(end)
                }
                Ok(_) => Obs::NotPlain,
                Err(obs) => obs,
            })
        } else {
            None
        }
    }
}

/// The attributes from `j` to the closing `/>`, placed in the open row; the byte after `/>`.
fn attributes<'a>(lex: &Lexer<'a>, rows: &mut Rows<'a>, mut j: usize) -> Result<usize, Obs> {
    let buf = lex.buf;
    loop {
        let ws_start = j;
        j = lex.skip_ws(j)?;
        if buf[j] == b'/' {
            if j + 1 >= buf.len() {
                return Err(lex.cut());
            }
            return if buf[j + 1] == b'>' {
                Ok(j + 2)
            } else {
                Err(Obs::NotPlain)
            };
        }
        if j == ws_start {
            return Err(Obs::NotPlain);
        }
        let name_start = j;
        // Usually the same attribute as at this position in the previous observation.
        let known = rows.guess(j, |b| is(b, NAME));
        let name_end = match known {
            Some((_, end)) => end,
            None => lex.name(j)?,
        };
        let (start, end, next) = lex.value(name_end)?;
        if !rows.place(known.map(|k| k.0), &buf[name_start..name_end], start, end) {
            return Err(Obs::NotPlain);
        }
        j = next;
    }
}
