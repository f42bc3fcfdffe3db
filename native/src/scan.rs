//! Find runs of plain observations in a chunk of an SDMX-ML message, read them into columns, and
//! put a processing instruction in each run's place.
//!
//! What a plain observation is depends on the message (`ss_obs`, `generic_obs`); a run is a
//! sequence of them with only white space between. Everything else (other elements, comments,
//! CDATA, processing instructions, any observation that is not plain) is copied to the output
//! untouched for the XML parser, which still checks the whole document. After a `<!DOCTYPE` or
//! other `<!` declaration nothing more is scanned: the parser refuses those.

use memchr::memmem;

use crate::columns::Column;
use crate::lex::{is_ws, Lexer, Obs};
use crate::rows::Rows;

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

/// Recognises one kind of plain observation.
pub trait ObsParser<'a> {
    /// None when the element at `lt` (a `<`) is no observation; otherwise what it is, a plain
    /// one being added to `rows`.
    fn at(&mut self, lex: &Lexer<'a>, rows: &mut Rows<'a>, lt: usize) -> Option<Obs>;
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

impl Emitter<'_, '_> {
    fn replace(&mut self, start: usize, end: usize, bytes: &[u8]) {
        self.out.extend_from_slice(&self.buf[self.emitted..start]);
        self.out.extend_from_slice(bytes);
        self.emitted = end;
    }
}

/// Scan one chunk (`last`: no more bytes follow) with `parser`, into `rows`. Run ids start at `first_run`.
pub fn scan<'a>(
    buf: &'a [u8],
    last: bool,
    pi_target: &'a [u8],
    first_run: usize,
    parser: &mut impl ObsParser<'a>,
    rows: &mut Rows<'a>,
) -> Scan {
    let lex = Lexer { buf, last };
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
        match parser.at(&lex, rows, lt) {
            Some(Obs::Plain(end)) => {
                run = Some(match run {
                    Some((start, _, count)) => (start, end, count + 1),
                    None => (lt, end, 1),
                });
                i = end;
                continue;
            }
            Some(Obs::Incomplete) => break lt,
            Some(Obs::Replaced(end, bytes)) => {
                emit.close(&mut run);
                emit.replace(lt, end, &bytes);
                i = end;
                continue;
            }
            Some(Obs::NotPlain) => {
                emit.close(&mut run);
                let next = first_run + emit.counts.len();
                if breaks.last() != Some(&next) {
                    breaks.push(next);
                }
            }
            None => {}
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
        columns: std::mem::take(&mut rows.columns),
    }
}
